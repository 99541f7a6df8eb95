#include "sim/sweep/tool_path.h"

#include <unistd.h>

#include <cstdlib>
#include <sstream>
#include <stdexcept>

namespace cyclops::sweep {

std::string ToolPath(const std::string& name, const std::string& package) {
  const char* path = std::getenv("PATH");
  std::stringstream folders(path ? path : "/usr/bin:/bin");
  for (std::string folder; std::getline(folders, folder, ':');) {
    const std::string candidate = (folder.empty() ? "." : folder) + "/" + name;
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  throw std::runtime_error("'" + name + "' is not on PATH: install " + package + " (scripts/setup does)");
}

}  // namespace cyclops::sweep
