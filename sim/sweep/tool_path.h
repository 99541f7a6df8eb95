// Finding an outside tool (GNU parallel, sbatch) on PATH, since child processes start by full path.
#pragma once

#include <string>

namespace cyclops::sweep {

// The full path of `name` on PATH; std::runtime_error naming `package` when it is not there.
std::string ToolPath(const std::string& name, const std::string& package);

}  // namespace cyclops::sweep
