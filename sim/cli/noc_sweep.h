// `cyclops run ... --sweep noc.<param>=v1,v2,...`: one layer across values of one NoC builder parameter
// (a width, the link latency, a cluster count), each value simulated in its own process (SystemC elaborates
// once per process) by this same binary, then one table: simulated and analytical cycles, the top stall,
// the busiest NoC port's utilisation and the energy. The knee where the layer stops being
// bandwidth-bound is where the cycles stop falling.
#pragma once

#include <string>
#include <vector>

#include "sim/spec/specs.h"

namespace cyclops::cli {

// "name=value" → (name, value typed as a YAML scalar would be: integer, number, boolean or text).
// SpecError naming the option when there is no '='.
std::pair<std::string, spec::NocParamValue> ParseNocParam(const std::string& option, const std::string& text);

struct NocSweep {
  std::string parameter;            // builder parameter, without the "noc." prefix
  std::vector<std::string> values;  // as written
};
// "noc.<param>=v1,v2,..." → NocSweep; SpecError on any other form.
NocSweep ParseNocSweep(const std::string& text);

// Runs `run_arguments` (the run command's arguments without --sweep and --out) once per value with
// `--noc-param <param>=<value> --out <out_dir>/<param>_<value>`, then prints the table. Returns the exit
// status: 0 when every run succeeded, else the first failing run's status.
int RunNocSweep(const NocSweep& sweep, const std::vector<std::string>& run_arguments,
                const std::string& out_dir);

}  // namespace cyclops::cli
