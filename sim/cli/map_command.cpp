// `cyclops map FILES...`: search the constrained mapspace for good mappings with the analytical model,
// print the best few and write the chosen one as Timeloop mapping YAML.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <thread>

#include "sim/cli/command.h"
#include "sim/cli/sim_rerank.h"
#include "sim/cli/spec_requirements.h"
#include "sim/core/error.h"
#include "sim/core/output_set.h"
#include "sim/mapping/mapper.h"
#include "sim/mapping/mapping_yaml.h"
#include "sim/spec/loader.h"
#include "sim/top/simulatable.h"

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
    AddSpecFilesOption(command, files_, "Spec files: architecture (with constraints), problem, ERT");
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
    command
        .add_option("--sim-rerank", sim_rerank_,
                    "Simulate the best K cycle by cycle and choose by the simulated objective "
                    "(candidates and run logs in DIR/rerank/ with --out, else a temporary folder)")
        ->check(CLI::PositiveNumber);
  }
  int Run() override {
    spec::Spec spec = spec::LoadSpecFiles(files_);
    RequireForAnalysis(spec, /*need_mapping=*/false);
    PrintNotes(spec);
    std::optional<OutputSet> outputs;
    if (!out_dir_.empty()) outputs.emplace(out_dir_);  // an unwritable --out fails before the search
    if (spec.mapping && sim_rerank_ == 0)
      std::cerr << "note: the mapping given is ignored; map searches for one\n";
    if (spec.mapping && sim_rerank_ > 0) CheckNoMappingGiven(spec);
    const int listed = options_.top;
    // Some of the analytically best may be beyond the cycle-level simulator; keep reserves.
    if (sim_rerank_ > 0) options_.top = std::max(options_.top, 100 * sim_rerank_);
    options_.objective = mapping::ParseObjective(objective_);
    if (options_.threads == 0) options_.threads = std::max(1u, std::thread::hardware_concurrency());
    if (!spec.energy && options_.objective != mapping::Objective::kLatency)
      throw SpecError({files_.front(), 0, 0, "ERT"}, "objective " + objective_ + " needs an energy table",
                      "add an Accelergy ERT file, or --objective latency");

    // On an architecture with a NoC, a mapping is legal only if its network can carry what it moves.
    std::optional<top::SimulatableCheck> carried;
    if (spec.architecture->noc) {
      carried.emplace(*spec.architecture, *spec.workload, /*use_noc=*/true);
      options_.admissible = std::ref(*carried);
    }
    const mapping::MapperResult result = mapping::SearchMappings(
        *spec.architecture, *spec.workload, spec.energy ? &*spec.energy : nullptr, options_);
    std::cout << Row("evaluated %lld mappings (%lld valid) in %.2f s on %d threads, objective %s\n",
                     static_cast<long long>(result.evaluated), static_cast<long long>(result.valid),
                     result.seconds, options_.threads, objective_.c_str());
    if (result.best.empty()) throw std::runtime_error("no valid mapping found: raise --evaluations");
    std::cout << Row("%4s %14s %16s %14s %10s %8s\n", "rank", "cycles", "energy (pJ)", "EDP (J*cycle)",
                     "pJ/MAC", "util");
    for (size_t i = 0; i < result.best.size() && i < static_cast<size_t>(listed); ++i) {
      const analysis::AnalysisResult& r = result.best[i].result;
      std::cout << Row("%4zu %14lld %16.2f %14.4g %10.3f %7.2f%%\n", i + 1, static_cast<long long>(r.cycles),
                       r.energy_pj, r.energy_pj * 1e-12 * static_cast<double>(r.cycles), r.pj_per_compute,
                       100.0 * r.utilization);
    }
    size_t chosen = 0;
    if (sim_rerank_ > 0) chosen = Rerank(spec, result.best);  // an index into result.best
    const std::string yaml =
        mapping::MappingYaml(*spec.architecture, *spec.workload, result.best[chosen].mapping);
    if (out_dir_.empty()) {
      std::cout << "\nbest mapping:\n" << yaml;
    } else {
      outputs->Add("mapping.yaml", yaml);
      outputs->Commit();
      std::cout << "  wrote " << out_dir_ << "/mapping.yaml\n";
    }
    return 0;
  }

 private:
  // Simulates the best sim_rerank_ candidates, prints the table, returns the chosen one's index.
  size_t Rerank(const spec::Spec& spec, const std::vector<mapping::MappingCandidate>& best) {
    std::filesystem::path work_dir = out_dir_ + "/rerank";
    if (out_dir_.empty()) {
      std::string pattern = (std::filesystem::temp_directory_path() / "cyclops-rerank-XXXXXX").string();
      if (!mkdtemp(pattern.data()))
        throw std::runtime_error("cannot create a temporary folder for --sim-rerank");
      work_dir = pattern;
    }
    std::cout << "\nsimulating the best " << sim_rerank_ << " cycle by cycle (--sim-rerank):\n";
    std::cout.flush();
    const RerankResult rerank =
        SimRerank(files_, spec, best, sim_rerank_, options_.objective, work_dir.string());
    if (out_dir_.empty()) std::filesystem::remove_all(work_dir);
    std::cout << RerankTable(rerank, options_.objective);
    if (rerank.chosen < 0) throw std::runtime_error("--sim-rerank: every candidate's simulation failed");
    const int rank = rerank.rows[rerank.chosen].analytical_rank;
    std::cout << "  chosen by simulated " << objective_ << ": analytical rank " << rank << "\n";
    return static_cast<size_t>(rank - 1);
  }

  std::vector<std::string> files_;
  std::string objective_ = "edp";
  std::string out_dir_;
  int sim_rerank_ = 0;
  mapping::MapperOptions options_{.threads = 0};
};

CYCLOPS_REGISTER_COMMAND("map", MapCommand);

}  // namespace
}  // namespace cyclops::cli
