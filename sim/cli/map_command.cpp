// `cyclops map FILES...`: search the constrained mapspace for good mappings with the analytical model,
// print the best few and write the chosen one as Timeloop mapping YAML.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <stdexcept>
#include <thread>

#include "sim/cli/command.h"
#include "sim/cli/spec_requirements.h"
#include "sim/core/atomic_file.h"
#include "sim/mapping/mapper.h"
#include "sim/mapping/mapping_yaml.h"
#include "sim/spec/loader.h"

namespace cyclops::cli {
namespace {

std::string Row(const char* format, auto... values) {
  char buffer[256];
  std::snprintf(buffer, sizeof buffer, format, values...);
  return buffer;
}

class MapCommand : public Command {
 public:
  std::string Summary() const override {
    return "Search mappings (random sampling under the architecture's constraints) with the analytical model";
  }
  void AddOptions(CLI::App& command) override {
    command.add_option("files", files_, "Spec files: architecture (with constraints), problem, ERT")
        ->required()
        ->check(CLI::ExistingFile);
    command.add_option("--objective", objective_, "What to minimise: edp, energy or latency")
        ->check(CLI::IsMember({"edp", "energy", "latency"}));
    command.add_option("--seed", options_.seed, "Seed of the search (same seed and budget → same result)");
    command
        .add_option("--evaluations", options_.evaluations,
                    "Mappings to evaluate in all (0 = until time limit)")
        ->check(CLI::NonNegativeNumber);
    command
        .add_option("--time-limit", options_.time_limit_seconds,
                    "Stop after S seconds (0 = none); a limit that cuts the search makes it timing-dependent")
        ->check(CLI::NonNegativeNumber);
    command.add_option("--threads", options_.threads, "Search threads (default: hardware threads)")
        ->check(CLI::PositiveNumber);
    command.add_option("--top", options_.top, "How many distinct mappings to list")
        ->check(CLI::PositiveNumber);
    command.add_option("--out", out_dir_, "Write DIR/mapping.yaml (the best mapping)");
  }
  int Run() override {
    spec::Spec spec = spec::LoadSpecFiles(files_);
    if (!spec.architecture || !spec.workload)
      throw std::invalid_argument("map needs an architecture and a problem among its files");
    PrintNotes(spec);
    if (spec.mapping) std::cerr << "note: the mapping given is ignored; map searches for one\n";
    options_.objective = mapping::ParseObjective(objective_);
    if (options_.threads == 0) options_.threads = std::max(1u, std::thread::hardware_concurrency());
    if (!spec.energy && options_.objective != mapping::Objective::kLatency)
      throw std::invalid_argument("objective " + objective_ + " needs an energy table (ERT) among the files");

    const mapping::MapperResult result = mapping::SearchMappings(
        *spec.architecture, *spec.workload, spec.energy ? &*spec.energy : nullptr, options_);
    std::cout << Row("evaluated %lld mappings (%lld valid) in %.2f s on %d threads, objective %s\n",
                     static_cast<long long>(result.evaluated), static_cast<long long>(result.valid),
                     result.seconds, options_.threads, objective_.c_str());
    if (result.best.empty()) throw std::runtime_error("no valid mapping found: raise --evaluations");
    std::cout << Row("%4s %14s %16s %14s %10s %8s\n", "rank", "cycles", "energy (pJ)", "EDP (J*cycle)",
                     "pJ/MAC", "util");
    for (size_t i = 0; i < result.best.size(); ++i) {
      const analysis::AnalysisResult& r = result.best[i].result;
      std::cout << Row("%4zu %14lld %16.2f %14.4g %10.3f %7.2f%%\n", i + 1, static_cast<long long>(r.cycles),
                       r.energy_pj, r.energy_pj * 1e-12 * static_cast<double>(r.cycles), r.pj_per_compute,
                       100.0 * r.utilization);
    }
    const std::string yaml =
        mapping::MappingYaml(*spec.architecture, *spec.workload, result.best.front().mapping);
    if (out_dir_.empty()) {
      std::cout << "\nbest mapping:\n" << yaml;
    } else {
      WriteFileAtomically(out_dir_ + "/mapping.yaml", yaml);
      std::cout << "  wrote " << out_dir_ << "/mapping.yaml\n";
    }
    return 0;
  }

 private:
  std::vector<std::string> files_;
  std::string objective_ = "edp";
  std::string out_dir_;
  mapping::MapperOptions options_{.threads = 0};
};

CYCLOPS_REGISTER_COMMAND("map", MapCommand);

}  // namespace
}  // namespace cyclops::cli
