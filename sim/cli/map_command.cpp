// `cyclops map FILES...`: search the constrained mapspace for good mappings with the analytical model,
// print the best few and write the chosen one as Timeloop mapping YAML.
#include <unistd.h>

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
#include "sim/cli/map_progress.h"
#include "sim/cli/sim_rerank.h"
#include "sim/cli/spec_requirements.h"
#include "sim/core/error.h"
#include "sim/core/output_set.h"
#include "sim/mapping/mapper.h"
#include "sim/mapping/mapping_yaml.h"
#include "sim/spec/loader.h"
#include "sim/top/noc_bound_model.h"
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
    AddSpecFilesOption(command, files_,
                       "Spec files: architecture (with constraints), problem, ERT, Timeloop mapper settings",
                       &strict_);
    objective_option_ =
        command
            .add_option("--objective", objective_,
                        "What to minimise: edp, energy or latency — with the architecture's NoC bound "
                        "when it has a noc: — or timeloop-edp, timeloop-energy, timeloop-latency (Timeloop's "
                        "model alone, for comparisons with Timeloop). Default: the files' mapper "
                        "optimization_metrics, else edp")
            ->check(CLI::IsMember(
                {"edp", "energy", "latency", "timeloop-edp", "timeloop-energy", "timeloop-latency"}));
    command.add_option("--seed", options_.seed, "Seed of the search (same seed and budget → same result)");
    command
        .add_option("--evaluations", options_.evaluations,
                    "Mappings to evaluate in all (0 = until time limit); also caps a mapper file's search")
        ->check(CLI::NonNegativeNumber);
    command
        .add_option("--time-limit", options_.time_limit_seconds,
                    "Stop after S seconds (0 = none); a limit that cuts the search makes it timing-dependent")
        ->check(CLI::NonNegativeNumber);
    threads_option_ = command
                          .add_option("--threads", options_.threads,
                                      "Search threads (default: mapper num_threads, else hardware threads)")
                          ->check(CLI::PositiveNumber);
    command.add_option("--top", options_.top, "How many distinct mappings to list")
        ->check(CLI::PositiveNumber);
    command.add_option("--out", out_dir_, "Write DIR/mapping.yaml (the best mapping)");
    command
        .add_option("--sim-rerank", sim_rerank_,
                    "Simulate the best K cycle by cycle and choose by the simulated objective "
                    "(candidates and run logs in DIR/rerank/ with --out, else a temporary folder)")
        ->check(CLI::PositiveNumber);
    command
        .add_option("--jobs", jobs_,
                    "--sim-rerank: run the distinct candidates on N worker processes, each elaborating the "
                    "accelerator once (the table is the same for any N)")
        ->check(CLI::PositiveNumber);
    command.add_flag("--rerank-full", rerank_full_,
                     "--sim-rerank: simulate every candidate to the end (by default, with the latency "
                     "objective, a run stops once it cannot beat the best earlier one)");
    command.add_flag("--no-progress", no_progress_, "No progress line, even on a terminal");
    command.add_flag(
        "--imperfect", options_.imperfect,
        "Search imperfect factors too (Timeloop v3's Ruby mapspace: a factor that does not divide "
        "its dimension, the last iteration partial); cyclops run simulates them too");
  }
  int Run() override {
    spec::Spec spec = LoadSpecsForCommand(files_, strict_);
    RequireForAnalysis(spec, /*need_mapping=*/false);
    std::optional<OutputSet> outputs;
    if (!out_dir_.empty()) outputs.emplace(out_dir_);  // an unwritable --out fails before the search
    if (spec.mapping && sim_rerank_ == 0)
      std::cerr << "note: the mapping given is ignored; map searches for one\n";
    if (spec.mapping && sim_rerank_ > 0) CheckNoMappingGiven(spec);
    options_.sparse = spec.sparse ? &*spec.sparse : nullptr;  // mapped by the sparse analytical model
    const int listed = options_.top;
    // Some of the analytically best may be beyond the cycle-level simulator; keep reserves.
    if (sim_rerank_ > 0) options_.top = std::max(options_.top, 100 * sim_rerank_);
    const bool timeloop_form = objective_.rfind("timeloop-", 0) == 0;
    if (timeloop_form) objective_ = objective_.substr(9);
    options_.objective = mapping::ParseObjective(objective_);
    if (spec.mapper) ApplyMapperSpec(*spec.mapper, *spec.architecture);
    if (options_.threads == 0) options_.threads = std::max(1u, std::thread::hardware_concurrency());

    // On an architecture with a NoC, a mapping is legal only if its network can carry what it moves.
    std::optional<top::SimulatableCheck> carried;
    std::optional<top::NocBoundModel> noc_bound;
    if (spec.architecture->noc) {
      carried.emplace(*spec.architecture, *spec.workload, /*use_noc=*/true,
                      std::map<std::string, spec::NocParamValue>{}, options_.sparse);
      options_.admissible = std::ref(*carried);
      // The objective sees the NoC: each candidate's transfers bounded by their most loaded links.
      if (!timeloop_form && options_.metrics.empty()) {
        noc_bound.emplace(*spec.architecture, *spec.workload);
        options_.refine = [&noc_bound](const spec::Mapping& m, analysis::AnalysisResult& r) {
          noc_bound->Apply(m, r);
        };
      }
    }
    MapProgress progress(!no_progress_ && isatty(STDERR_FILENO), options_.evaluations, objective_);
    options_.progress = progress.Callback();
    const mapping::MapperResult result = mapping::SearchMappings(
        *spec.architecture, *spec.workload, spec.energy ? &*spec.energy : nullptr, options_);
    progress.Finish();
    std::cout << Row("evaluated %lld mappings (%lld valid) in %.2f s on %d threads, %s %s\n",
                     static_cast<long long>(result.evaluated), static_cast<long long>(result.valid),
                     result.seconds, options_.threads, options_.metrics.empty() ? "objective" : "metrics",
                     MetricsText().c_str());
    if (spec.mapper) std::cout << StopText(result);
    if (result.best.empty()) throw std::runtime_error("no valid mapping found: raise --evaluations");
    std::cout << Row("%4s %14s %14s %16s %14s %10s %8s\n", "rank", "cycles", "NoC bound", "energy (pJ)",
                     "EDP (J*cycle)", "pJ/MAC", "util");
    for (size_t i = 0; i < result.best.size() && i < static_cast<size_t>(listed); ++i) {
      const analysis::AnalysisResult& r = result.best[i].result;
      const std::string noc = noc_bound ? std::to_string(r.noc_cycles) : std::string("-");
      std::cout << Row("%4zu %14lld %14s %16.2f %14.4g %10.3f %7.2f%%\n", i + 1,
                       static_cast<long long>(r.cycles), noc.c_str(), r.energy_pj,
                       r.energy_pj * 1e-12 * static_cast<double>(r.cycles), r.pj_per_compute,
                       100.0 * r.utilization);
    }
    size_t chosen = 0;
    if (sim_rerank_ > 0)
      chosen = Rerank(spec, result.best, noc_bound.has_value());  // an index into result.best
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
  // Timeloop's `mapper:` settings, where the command line does not set the same thing
  // (sim/mapping/mapper.h says how each maps onto Cyclops' search).
  void ApplyMapperSpec(const spec::MapperSpec& mapper, const spec::Architecture& architecture) {
    if (!mapper.metrics.empty() && objective_option_->count() == 0) {
      try {
        options_.metrics =
            mapping::ParseMetrics(mapper.metrics, static_cast<int>(architecture.storage.size()));
      } catch (const std::invalid_argument& error) {
        throw SpecError(mapper.metrics_where, error.what());
      }
      // --sim-rerank chooses by the simulated counterpart of the first metric.
      const mapping::Metric::Kind first = options_.metrics.front().kind;
      if (first == mapping::Metric::Kind::kDelay) options_.objective = mapping::Objective::kLatency;
      if (first == mapping::Metric::Kind::kEnergy) options_.objective = mapping::Objective::kEnergy;
      objective_ = mapping::ObjectiveName(options_.objective);
    }
    if (mapper.num_threads && threads_option_->count() == 0)
      options_.threads = static_cast<int>(*mapper.num_threads);
    // Timeloop's own defaults when a mapper section leaves them out: timeout 1000, victory_condition 500.
    options_.timeout = mapper.timeout.value_or(1000);
    options_.victory_condition = mapper.victory_condition.value_or(500);
    options_.search_size = mapper.search_size.value_or(0);
    const std::string& algorithm = mapper.algorithm;
    if (algorithm == "linear_pruned" || algorithm == "linear-pruned" || algorithm == "exhaustive")
      std::cerr
          << "note: mapper algorithm '" << algorithm << "' (" << mapper.algorithm_where.ToString()
          << "): Cyclops has no exhaustive enumeration; it searches by random sampling and hill climbing "
             "under the same limits\n";
    else if (algorithm == "hybrid")
      std::cerr << "note: mapper algorithm 'hybrid' (" << mapper.algorithm_where.ToString()
                << "): searched by Cyclops' random sampling and hill climbing\n";
    if (options_.search_size == 0)
      std::cerr << "note: mapper (" << mapper.where.ToString()
                << ") sets no search_size: the search also stops after " << options_.evaluations
                << " evaluations (--evaluations)\n";
  }

  std::string MetricsText() const {
    if (options_.metrics.empty()) return objective_;
    std::string text;
    for (const mapping::Metric& metric : options_.metrics)
      text += (text.empty() ? "" : ", ") + MetricName(metric);
    return text;
  }

  std::string StopText(const mapping::MapperResult& result) const {
    std::string text = "  search ended per stream (16 streams, Timeloop's per-thread limits):";
    auto part = [&](int count, const std::string& why) {
      if (count > 0) text += " " + std::to_string(count) + " " + why + ";";
    };
    part(result.streams_done_by_victory,
         "by victory_condition (" + std::to_string(options_.victory_condition) + " valid without improving)");
    const int64_t timeout = options_.timeout.value_or(0);
    part(result.streams_done_by_timeout,
         timeout == 0 ? "by timeout 0 (at the first invalid mapping, as in Timeloop)"
                      : "by timeout (" + std::to_string(timeout) + " invalid in a row)");
    part(result.streams_done_by_search_size, "by search_size");
    part(result.streams_done_by_budget, "by the evaluation budget");
    text.back() = '\n';
    return text;
  }

  // Simulates the best sim_rerank_ candidates, prints the table, returns the chosen one's index.
  size_t Rerank(const spec::Spec& spec, const std::vector<mapping::MappingCandidate>& best, bool noc_bound) {
    std::filesystem::path work_dir = out_dir_ + "/rerank";
    if (out_dir_.empty()) {
      std::string pattern = (std::filesystem::temp_directory_path() / "cyclops-rerank-XXXXXX").string();
      if (!mkdtemp(pattern.data()))
        throw std::runtime_error("cannot create a temporary folder for --sim-rerank");
      work_dir = pattern;
    }
    std::cout << "\nsimulating the best " << sim_rerank_ << " cycle by cycle (--sim-rerank):\n";
    std::cout.flush();
    RerankOptions rerank_options;
    rerank_options.k = sim_rerank_;
    rerank_options.objective = options_.objective;
    rerank_options.bound = !rerank_full_;
    rerank_options.jobs = jobs_;
    rerank_options.setting = {files_, noc_bound};
    const RerankResult rerank = SimRerank(spec, best, rerank_options, work_dir.string());
    if (out_dir_.empty()) std::filesystem::remove_all(work_dir);
    std::cout << RerankTable(rerank, options_.objective);
    if (rerank.chosen < 0) throw std::runtime_error("--sim-rerank: every candidate's simulation failed");
    const int rank = rerank.rows[rerank.chosen].analytical_rank;
    std::cout << "  chosen by simulated " << objective_ << ": analytical rank " << rank << "\n";
    return static_cast<size_t>(rank - 1);
  }

  std::vector<std::string> files_;
  bool strict_ = false;
  CLI::Option* objective_option_ = nullptr;
  CLI::Option* threads_option_ = nullptr;
  std::string objective_ = "edp";
  std::string out_dir_;
  int sim_rerank_ = 0;
  int jobs_ = 1;
  bool rerank_full_ = false;
  bool no_progress_ = false;
  mapping::MapperOptions options_ = [] {  // not a designated initialiser: it warns of every unnamed member
    mapping::MapperOptions options;
    options.threads = 0;  // 0 = the mapper file's num_threads, else the hardware's
    return options;
  }();
};

CYCLOPS_REGISTER_COMMAND("map", MapCommand);

}  // namespace
}  // namespace cyclops::cli
