// `cyclops run FILES...`: the cycle-level simulation beside the analytical model.
#include <CLI/CLI.hpp>
#include <functional>
#include <iostream>
#include <map>
#include <stdexcept>
#include <thread>

#include "sim/analysis/analysis.h"
#include "sim/cli/command.h"
#include "sim/cli/noc_sweep.h"
#include "sim/cli/option_checks.h"
#include "sim/cli/resource_options.h"
#include "sim/cli/run_report.h"
#include "sim/cli/spec_requirements.h"
#include "sim/core/atomic_file.h"
#include "sim/core/error.h"
#include "sim/core/output_set.h"
#include "sim/mapping/layer_plan.h"
#include "sim/mapping/mapper.h"
#include "sim/mapping/mapping_yaml.h"
#include "sim/network/activation.h"
#include "sim/spec/loader.h"
#include "sim/stats/stats_writer.h"
#include "sim/top/layer_simulation.h"
#include "sim/top/simulatable.h"

namespace cyclops::cli {
namespace {

// Bank-conflict cycles per storage level, summed over its instances, from the stats tree.
std::vector<std::pair<std::string, uint64_t>> BankConflicts(const stats::StatsTree& tree) {
  std::map<std::string, uint64_t> per_level;
  for (const auto& [path, group] : tree.groups()) {
    const stats::Counter* counter = group->FindCounter("bank_conflict_cycles");
    if (!counter || counter->value() == 0) continue;
    std::string level = path.substr(path.find('.') + 1);
    level = level.substr(0, level.find('['));
    per_level[level] += counter->value();
  }
  return {per_level.begin(), per_level.end()};
}

class RunCommand : public Command {
 public:
  std::string Summary() const override {
    return "Simulate a layer cycle by cycle with real data, beside the analytical estimate";
  }
  void AddOptions(CLI::App& command) override {
    AddSpecFilesOption(command, files_, "Spec files: architecture, problem, mapping, ERT (keys merge)");
    command.add_option("--out", out_dir_, "Write DIR/stats.json, DIR/summary.json, DIR/action_counts.yaml");
    command.add_option("--seed", seed_,
                       "Seed of the generated input and weight values (default: cyclops.seed)");
    command
        .add_option("--bus-width", bus_width_, "Values per cycle on every fan-out bus (default: unlimited)")
        ->check(FiniteAtLeast(spec::kSmallestBandwidth));
    command.add_option("--watchdog", watchdog_, "Stop when nothing progresses for this many cycles")
        ->check(CLI::PositiveNumber);
    command
        .add_option("--map-evaluations", map_evaluations_,
                    "Without a mapping in the files: mappings the mapper evaluates first")
        ->check(CLI::PositiveNumber);
    command.add_flag("--dump-programs", dump_programs_, "Print the PE program listing");
    command.add_flag("--bank-conflicts", bank_conflicts_, "Model storage bank conflicts (Timeloop does not)");
    command
        .add_option("--prefetch-depth", prefetch_depth_,
                    "Tile versions staged ahead of the one in use (1 = fills overlap compute; 0 deadlocks)")
        ->check(CLI::Range(0, 1));
    command.add_option("--noc", noc_, "'spec': the architecture's noc topology carries transfers; 'none': ideal buses")
        ->check(CLI::IsMember({"spec", "none"}));
    command.add_option("--noc-param", noc_params_, "NAME=VALUE: set a NoC topology parameter (repeatable)");
    command.add_option("--sweep", sweep_,
                       "noc.PARAM=V1,V2,...: run once per value (each in its own process) and print a table");
    command.add_option("--input-file", input_file_,
                       "Read the second operand (a conv's Inputs) from this tensor file instead of seeding it");
    command.add_option("--output-file", output_file_, "Write the simulated result data space to this tensor file");
    AddResourceOptions(command, resources_);
  }
  int Run() override {
    if (!sweep_.empty()) return Sweep();
    spec::Spec spec = spec::LoadSpecFiles(files_);
    RequireForAnalysis(spec, /*need_mapping=*/false);
    PrintNotes(spec);
    if (!out_dir_.empty()) outputs_.emplace(out_dir_);  // an unwritable --out fails now, not after the run
    GuardHardware(spec, resources_);
    if (!spec.mapping) spec.mapping = MapFirst(spec);
    const analysis::AnalysisResult analysis = analysis::Analyze(
        *spec.architecture, *spec.workload, *spec.mapping, spec.energy ? &*spec.energy : nullptr);
    top::SimulationOptions options;
    options.seed = seed_ ? *seed_ : spec.cyclops.seed;
    options.psum_bits = spec.cyclops.psum_bits;
    options.value_bits =
        static_cast<int>(std::min<int64_t>(spec.architecture->storage.front().word_bits, 16));
    if (bus_width_) options.bus_width = *bus_width_;
    if (watchdog_) options.watchdog_cycles = *watchdog_;
    options.bank_conflicts = bank_conflicts_;
    options.prefetch_depth = prefetch_depth_;
    options.use_noc = noc_ == "spec";
    options.noc_params = NocParams();
    if (options.use_noc && !spec.architecture->noc && !noc_params_.empty())
      throw SpecError({"", 0, 0, "--noc-param"}, "the architecture has no noc topology to set parameters of",
                      "an architecture with a `noc:` key");
    if (!input_file_.empty()) options.second_operand = network::ReadValuesFile(input_file_);
    GuardLayerRun(spec, *spec.mapping, analysis, resources_, options.use_noc);
    top::LayerSimulation simulation(*spec.architecture, *spec.workload, *spec.mapping, options);
    const top::SimulationResult result = simulation.Run();
    const RunReport report{spec, analysis, result, BankConflicts(simulation.stats())};
    if (dump_programs_)
      std::cout << result.pe_program << "\n"
                << mapping::LayerPlan(*spec.architecture, *spec.workload, *spec.mapping).TransferListing()
                << "\n";
    std::cout << report.Text();
    if (outputs_) {
      outputs_->Add("stats.json", stats::RenderStats(simulation.stats(), "json"));
      outputs_->Add("summary.json", report.SummaryJson());
      outputs_->Add("action_counts.yaml", report.ActionCountsYaml());
      const std::string noc_json = simulation.NocJson();
      if (!noc_json.empty()) outputs_->Add("noc.json", noc_json);
      const std::string names = outputs_->Names();
      outputs_->Commit();
      std::cout << "  wrote " << out_dir_ << "/" << names << "\n";
    }
    if (!output_file_.empty()) network::WriteValuesFile(output_file_, result.outputs);
    if (result.mismatch)
      throw OutputMismatchError("simulated outputs differ from the reference kernel at " + *result.mismatch);
    return 0;
  }

 private:
  // No mapping among the files: search one (objective EDP, or latency without an ERT; seed
  // cyclops.seed), say which, and write it to DIR/mapping.yaml with --out.
  spec::Mapping MapFirst(const spec::Spec& spec) {
    mapping::MapperOptions options;
    options.objective = spec.energy ? mapping::Objective::kEdp : mapping::Objective::kLatency;
    options.seed = spec.cyclops.seed;
    options.evaluations = map_evaluations_;
    options.threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    options.top = 1;
    // Only mappings the simulator (and the architecture's NoC) can run count as found.
    top::SimulatableCheck simulatable(*spec.architecture, *spec.workload, noc_ == "spec", NocParams());
    options.admissible = std::ref(simulatable);
    const mapping::MapperResult found = mapping::SearchMappings(
        *spec.architecture, *spec.workload, spec.energy ? &*spec.energy : nullptr, options);
    if (found.best.empty())
      throw std::runtime_error("no mapping given and the mapper found none the simulator can run in " +
                               std::to_string(found.evaluated) +
                               " evaluations: raise --map-evaluations or pass a mapping");
    const mapping::MappingCandidate& best = found.best.front();
    const std::string yaml = mapping::MappingYaml(*spec.architecture, *spec.workload, best.mapping);
    std::cout << "no mapping given: the mapper chose this one (objective "
              << mapping::ObjectiveName(options.objective) << ", seed " << options.seed << ", "
              << found.evaluated << " evaluations, " << found.valid << " valid and simulatable; analytical cycles "
              << best.result.cycles << ")\n"
              << yaml;
    if (outputs_) outputs_->Add("mapping.yaml", yaml);  // written with the run's other outputs
    std::cout << "\n";
    return best.mapping;
  }

  std::map<std::string, spec::NocParamValue> NocParams() const {
    std::map<std::string, spec::NocParamValue> params;
    for (const std::string& param : noc_params_) params.insert(ParseNocParam("--noc-param", param));
    return params;
  }

  // The same run once per value of the swept parameter, each in a process of its own.
  int Sweep() {
    std::vector<std::string> arguments{"run"};
    arguments.insert(arguments.end(), files_.begin(), files_.end());
    if (seed_) arguments.insert(arguments.end(), {"--seed", std::to_string(*seed_)});
    if (bus_width_) arguments.insert(arguments.end(), {"--bus-width", std::to_string(*bus_width_)});
    if (watchdog_) arguments.insert(arguments.end(), {"--watchdog", std::to_string(*watchdog_)});
    if (bank_conflicts_) arguments.push_back("--bank-conflicts");
    arguments.insert(arguments.end(), {"--prefetch-depth", std::to_string(prefetch_depth_), "--map-evaluations",
                                       std::to_string(map_evaluations_), "--noc", noc_});
    for (const std::string& param : noc_params_) arguments.insert(arguments.end(), {"--noc-param", param});
    for (const std::string& argument : ResourceArguments(resources_)) arguments.push_back(argument);
    return RunNocSweep(ParseNocSweep(sweep_), arguments, out_dir_);
  }

  std::vector<std::string> files_;
  std::string out_dir_;
  std::string noc_ = "spec";
  std::vector<std::string> noc_params_;
  std::string sweep_;
  std::string input_file_, output_file_;
  std::optional<uint64_t> seed_;
  std::optional<double> bus_width_;
  std::optional<uint64_t> watchdog_;
  bool dump_programs_ = false;
  bool bank_conflicts_ = false;
  int prefetch_depth_ = 1;
  int64_t map_evaluations_ = mapping::MapperOptions{}.evaluations;
  ResourceOptions resources_;
  std::optional<OutputSet> outputs_;
};

CYCLOPS_REGISTER_COMMAND("run", RunCommand);

}  // namespace
}  // namespace cyclops::cli
