// `cyclops run FILES...`: the cycle-level simulation beside the analytical model.
#include <unistd.h>

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
#include "sim/cli/run_progress.h"
#include "sim/cli/run_report.h"
#include "sim/cli/spec_requirements.h"
#include "sim/cli/timeloop_outputs.h"
#include "sim/cli/trace_options.h"
#include "sim/core/atomic_file.h"
#include "sim/core/error.h"
#include "sim/core/output_set.h"
#include "sim/energy/primitive_energy.h"
#include "sim/mapping/layer_plan.h"
#include "sim/mapping/mapper.h"
#include "sim/mapping/mapping_yaml.h"
#include "sim/network/activation.h"
#include "sim/spec/loader.h"
#include "sim/stats/stats_writer.h"
#include "sim/top/layer_simulation.h"
#include "sim/top/map_first.h"
#include "sim/top/run_summary.h"

namespace cyclops::cli {
namespace {

class RunCommand : public Command {
 public:
  std::string Summary() const override {
    return "Simulate a layer cycle by cycle with real data, beside the analytical estimate";
  }
  void AddOptions(CLI::App& command) override {
    AddSpecFilesOption(command, files_, "Spec files: architecture, problem, mapping, ERT (keys merge)",
                       &strict_);
    command.add_option("--out", out_dir_, "Write DIR/stats.json, DIR/summary.json, DIR/action_counts.yaml");
    command.add_option(
        "--timeloop-out", timeloop_dir_,
        "Write the simulated counters as DIR/timeloop-model.stats.txt and .map.txt (Timeloop's layout)");
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
    command
        .add_option("--prune", prune_,
                    "Magnitude-prune the first operand (a layer's Weights) to this density after drawing it")
        ->check(CLI::Range(0.0, 1.0));
    command.add_flag("--dump-programs", dump_programs_, "Print the PE program listing");
    command.add_flag("--bank-conflicts", bank_conflicts_, "Model storage bank conflicts (Timeloop does not)");
    command
        .add_option("--prefetch-depth", prefetch_depth_,
                    "Tile versions staged ahead of the one in use (1 = fills overlap compute; 0 deadlocks)")
        ->check(CLI::Range(0, 1));
    command
        .add_option("--noc", noc_,
                    "'spec': the architecture's noc topology carries transfers; 'none': ideal buses")
        ->check(CLI::IsMember({"spec", "none"}));
    command.add_option("--noc-param", noc_params_, "NAME=VALUE: set a NoC topology parameter (repeatable)");
    command.add_option("--sweep", sweep_,
                       "noc.PARAM=V1,V2,...: run once per value (each in its own process) and print a table");
    command.add_option(
        "--input-file", input_file_,
        "Read the second operand (a conv's Inputs) from this tensor file instead of seeding it");
    command.add_option("--output-file", output_file_,
                       "Write the simulated result data space to this tensor file");
    AddResourceOptions(command, resources_);
    trace_.AddOptions(command);
    command.add_flag("--no-progress", no_progress_, "No progress line, even on a terminal");
  }
  int Run() override {
    if (!sweep_.empty()) {
      if (!trace_.file.empty())
        throw SpecError({"", 0, 0, "--trace"}, "records one run and --sweep runs several",
                        "--trace without --sweep (trace the value you want in a run of its own)");
      return Sweep();
    }
    const std::unique_ptr<trace::TraceRecorder> recorder = trace_.MakeRecorder();
    spec::Spec spec = LoadSpecsForCommand(files_, strict_);
    RequireForAnalysis(spec, /*need_mapping=*/false);
    outputs_ = OutputsFor(out_dir_, timeloop_dir_);  // an unwritable folder fails now, not after the run
    GuardHardware(spec, resources_);
    if (!spec.mapping) spec.mapping = MapFirst(spec);
    const spec::SparseOptimizations* sparse = spec.sparse ? &*spec.sparse : nullptr;
    const analysis::AnalysisResult analysis = analysis::Analyze(
        *spec.architecture, *spec.workload, *spec.mapping, spec.energy ? &*spec.energy : nullptr, sparse);
    top::HardwareOptions hardware;
    if (bus_width_) hardware.bus_width = *bus_width_;
    hardware.bank_conflicts = bank_conflicts_;
    top::UseCyclopsSettings(spec.cyclops, hardware);
    hardware.use_noc = noc_ == "spec";
    hardware.noc_params = NocParams();
    if (hardware.use_noc && !spec.architecture->noc && !noc_params_.empty())
      throw SpecError({"", 0, 0, "--noc-param"}, "the architecture has no noc topology to set parameters of",
                      "an architecture with a `noc:` key");
    top::LayerOptions options;
    options.seed = seed_ ? *seed_ : spec.cyclops.seed;
    options.psum_bits = spec.cyclops.psum_bits;
    options.value_bits = top::OperandBits(*spec.architecture);
    options.sparse = sparse;
    options.prune_density = prune_;
    if (watchdog_) options.run.watchdog_cycles = *watchdog_;
    options.run.prefetch_depth = prefetch_depth_;
    if (!input_file_.empty()) options.second_operand = ReadTensorOption(input_file_, "--input-file");
    if (!weights_file_.empty()) options.first_operand = ReadTensorOption(weights_file_, "--weights-file");
    GuardLayerRun(spec, *spec.mapping, analysis, resources_, hardware.use_noc);
    options.run.trace = recorder.get();
    RunProgress progress(!no_progress_ && isatty(STDERR_FILENO), analysis.cycles);
    options.run.progress = progress.Callback();
    top::Accelerator accelerator(*spec.architecture, hardware);
    top::SimulationResult result;
    try {
      result = top::SimulateLayer(accelerator, *spec.workload, *spec.mapping, options);
    } catch (const SimulationError&) {  // a stuck run's timeline up to where it stuck is what explains it
      progress.Finish();
      if (recorder) trace_.Finish(*recorder);
      throw;
    }
    progress.Finish();
    const top::RunSummary summary = top::Summarize(spec, analysis, result);
    const RunReport report{spec, analysis, summary, result};
    if (dump_programs_) std::cout << result.pe_program << "\n" << result.transfer_listing << "\n";
    std::cout << report.Text();
    if (!timeloop_dir_.empty())
      AddTimeloopOutputs(*outputs_, timeloop_dir_, spec, analysis,
                         SimulatedTimeloopStats(spec, analysis, result));
    if (outputs_ && out_dir_.empty()) outputs_->Commit();
    if (!out_dir_.empty()) {
      outputs_->Add("stats.json", stats::RenderStats(result.stats, "json"));
      outputs_->Add("summary.json", summary.ToJson());
      outputs_->Add("action_counts.yaml", report.ActionCountsYaml());
      if (!spec.energy->estimated_from.empty())  // no ERT given: the one the counts were priced with
        outputs_->Add("estimated_ERT.yaml", energy::EnergyTableYaml(*spec.energy));
      if (!result.noc_json.empty()) outputs_->Add("noc.json", result.noc_json);
      const std::string names = outputs_->Names();
      outputs_->Commit();
      std::cout << "  wrote " << out_dir_ << "/" << names << "\n";
    }
    if (!timeloop_dir_.empty())
      std::cout << "  wrote " << timeloop_dir_ << "/" << kTimeloopOutputNames << "\n";
    if (!output_file_.empty()) network::WriteValuesFile(output_file_, result.outputs);
    if (recorder) trace_.Finish(*recorder);
    if (result.mismatch)
      throw OutputMismatchError("simulated outputs differ from the reference kernel at " + *result.mismatch);
    return 0;
  }

 private:
  // A tensor file given on the command line is input: one that cannot be read is located at its option.
  static std::vector<int64_t> ReadTensorOption(const std::string& path, const std::string& option) {
    try {
      return network::ReadValuesFile(path);
    } catch (const std::runtime_error& error) {
      throw SpecError({path, 0, 0, option}, error.what(), "a tensor file written by --output-file (CYT1)");
    }
  }
  // No mapping among the files: search one, say which, and write it to DIR/mapping.yaml with --out.
  spec::Mapping MapFirst(const spec::Spec& spec) {
    top::MapFirstOptions options;
    options.evaluations = map_evaluations_;
    options.use_noc = noc_ == "spec";
    options.noc_params = NocParams();
    const top::MapFirstResult found = top::MapFirst(spec, options);
    std::cout << "no mapping given: " << found.summary << "\n" << found.yaml;
    if (!out_dir_.empty()) outputs_->Add("mapping.yaml", found.yaml);  // written with the run's other outputs
    std::cout << "\n";
    return found.mapping;
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
    if (prune_) arguments.insert(arguments.end(), {"--prune", std::to_string(*prune_)});
    if (strict_) arguments.push_back("--strict");
    arguments.insert(arguments.end(), {"--prefetch-depth", std::to_string(prefetch_depth_),
                                       "--map-evaluations", std::to_string(map_evaluations_), "--noc", noc_});
    for (const std::string& param : noc_params_) arguments.insert(arguments.end(), {"--noc-param", param});
    for (const std::string& argument : ResourceArguments(resources_)) arguments.push_back(argument);
    return RunNocSweep(ParseNocSweep(sweep_), arguments, out_dir_);
  }

  std::vector<std::string> files_;
  bool strict_ = false;
  std::string out_dir_;
  std::string timeloop_dir_;
  std::string noc_ = "spec";
  std::vector<std::string> noc_params_;
  std::string sweep_;
  std::string input_file_, output_file_, weights_file_;
  std::optional<uint64_t> seed_;
  std::optional<double> bus_width_;
  std::optional<double> prune_;
  std::optional<uint64_t> watchdog_;
  TraceRequest trace_;
  bool no_progress_ = false;
  bool dump_programs_ = false;
  bool bank_conflicts_ = false;
  int prefetch_depth_ = 1;
  int64_t map_evaluations_ = top::MapFirstOptions{}.evaluations;
  ResourceOptions resources_;
  std::optional<OutputSet> outputs_;
};

CYCLOPS_REGISTER_COMMAND("run", RunCommand);

}  // namespace
}  // namespace cyclops::cli
