#include "sim/cli/noc_sweep.h"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <sstream>

#include "sim/core/child_process.h"
#include "sim/top/run_summary.h"
#include "sim/core/error.h"
#include "sim/stats/text_format.h"

namespace cyclops::cli {

std::pair<std::string, spec::NocParamValue> ParseNocParam(const std::string& option,
                                                          const std::string& text) {
  const size_t equals = text.find('=');
  if (equals == std::string::npos || equals == 0)
    throw SpecError({"", 0, 0, option}, "'" + text + "' is not name=value", "e.g. iact_width_bits=48");
  return {text.substr(0, equals), spec::NocParamFromText(text.substr(equals + 1))};
}

NocSweep ParseNocSweep(const std::string& text) {
  const std::string prefix = "noc.";
  const size_t equals = text.find('=');
  if (text.rfind(prefix, 0) != 0 || equals == std::string::npos || equals <= prefix.size())
    throw SpecError({"", 0, 0, "--sweep"}, "'" + text + "' is not noc.<param>=v1,v2,...",
                    "e.g. --sweep noc.iact_width_bits=8,16,24,48");
  NocSweep sweep;
  sweep.parameter = text.substr(prefix.size(), equals - prefix.size());
  std::stringstream values(text.substr(equals + 1));
  for (std::string value; std::getline(values, value, ',');)
    if (!value.empty()) sweep.values.push_back(value);
  if (sweep.values.empty())
    throw SpecError({"", 0, 0, "--sweep"}, "no values after '='", "a comma-separated list of values");
  return sweep;
}

int RunNocSweep(const NocSweep& sweep, const std::vector<std::string>& run_arguments,
                const std::string& out_dir) {
  const std::string root = out_dir.empty() ? std::filesystem::temp_directory_path().string() +
                                                 "/cyclops_sweep_" + std::to_string(getpid())
                                           : out_dir;
  std::filesystem::create_directories(root);
  std::cout << "sweep of noc." << sweep.parameter << " (each run's files in " << root << "/)\n\n";
  std::cout << stats::Format("  %-16s %12s %12s %7s %10s %8s %8s  %s\n", sweep.parameter.c_str(), "cycles",
                             "analytical", "ratio", "energy uJ", "NoC uJ", "busiest", "top stall");
  int status = 0;
  for (const std::string& value : sweep.values) {
    const std::string dir = root + "/" + sweep.parameter + "_" + value;
    std::filesystem::create_directories(dir);
    std::vector<std::string> arguments = run_arguments;
    arguments.insert(arguments.end(), {"--noc-param", sweep.parameter + "=" + value, "--out", dir});
    const int code = WaitForExit(StartProcess(SelfExecutable(), arguments, dir + "/run.log"));
    if (code != 0) {
      std::cout << stats::Format("  %-16s failed with exit status %d (see %s/run.log)\n", value.c_str(), code,
                                 dir.c_str());
      if (status == 0) status = code;
      continue;
    }
    std::ifstream file(dir + "/summary.json");
    std::stringstream text;
    text << file.rdbuf();
    const top::RunSummary summary = top::RunSummary::FromJson(text.str(), dir + "/summary.json");
    const double simulated = static_cast<double>(summary.cycles);
    const double analytical = static_cast<double>(summary.analytical_cycles);
    std::string top_stall = "none";
    if (!summary.stalls.empty())
      top_stall = summary.stalls[0].cause + " (" + stats::Grouped(summary.stalls[0].cycles) + ")";
    std::string busiest = "-";
    double noc_energy = 0;
    if (summary.noc && !summary.noc->busiest_ports.empty()) {
      double most = 0;
      for (const auto& port : summary.noc->busiest_ports) most = std::max(most, static_cast<double>(port.busy_cycles));
      busiest = stats::Format("%.0f%%", simulated > 0 ? 100.0 * most / simulated : 0.0);
      noc_energy = summary.noc->energy_pj;
    }
    std::cout << stats::Format("  %-16s %12s %12s %7.2f %10.3f %8.3f %8s  %s\n", value.c_str(),
                               stats::Grouped(static_cast<int64_t>(simulated)).c_str(),
                               stats::Grouped(static_cast<int64_t>(analytical)).c_str(),
                               analytical > 0 ? simulated / analytical : 0.0,
                               summary.energy_pj / 1e6, noc_energy / 1e6,
                               busiest.c_str(), top_stall.c_str());
  }
  return status;
}

}  // namespace cyclops::cli
