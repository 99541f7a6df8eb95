// `cyclops analyze FILES...`: the analytical model alone — fast, no simulation.
#include <CLI/CLI.hpp>
#include <iostream>

#include "sim/analysis/analysis.h"
#include "sim/cli/command.h"
#include "sim/cli/spec_requirements.h"
#include "sim/cli/timeloop_outputs.h"
#include "sim/core/atomic_file.h"
#include "sim/spec/loader.h"
#include "sim/stats/analysis_writer.h"
#include "sim/stats/timeloop_report.h"
#include "sim/top/noc_bound_model.h"

namespace cyclops::cli {
namespace {

class AnalyzeCommand : public Command {
 public:
  std::string Summary() const override {
    return "Analytical (Timeloop-style) estimate of a mapping: per-level accesses, cycles, energy";
  }
  void AddOptions(CLI::App& command) override {
    AddSpecFilesOption(command, files_, "Spec files: architecture, problem, mapping, ERT (keys merge)",
                       &strict_);
    command.add_option("--out", out_dir_, "Also write DIR/analysis.json");
    command.add_flag("--json", json_to_stdout_, "Print the JSON instead of the table");
    command.add_flag("--no-noc-bound", no_noc_,
                     "Timeloop's model alone: no NoC bound even when the architecture has a noc:");
    command.add_option("--timeloop-out", timeloop_dir_,
                       "Also write DIR/timeloop-model.stats.txt and .map.txt in Timeloop's layout");
  }
  int Run() override {
    spec::Spec spec = LoadSpecsForCommand(files_, strict_);
    RequireForAnalysis(spec);
    analysis::AnalysisResult result =
        analysis::Analyze(*spec.architecture, *spec.workload, *spec.mapping,
                          spec.energy ? &*spec.energy : nullptr, spec.sparse ? &*spec.sparse : nullptr);
    if (!no_noc_) top::AddNocBound(*spec.architecture, *spec.workload, *spec.mapping, result);
    const std::string json = stats::AnalysisJson(*spec.architecture, *spec.workload, result);
    if (!out_dir_.empty()) WriteFileAtomically(out_dir_ + "/analysis.json", json);
    std::cout << (json_to_stdout_ ? json : stats::AnalysisText(*spec.architecture, *spec.workload, result));
    if (!spec.energy->estimated_from.empty())
      std::cout << "  energy estimated (no ERT given): " << spec.energy->estimated_from << "\n";
    if (!out_dir_.empty()) std::cout << "  wrote " << out_dir_ << "/analysis.json\n";
    if (!timeloop_dir_.empty())
      WriteTimeloopOutputs(
          timeloop_dir_, spec, result,
          stats::TimeloopStatsOf(*spec.architecture, *spec.workload, *spec.mapping, result, &*spec.energy));
    return 0;
  }

 private:
  std::vector<std::string> files_;
  bool strict_ = false;
  std::string out_dir_;
  std::string timeloop_dir_;
  bool json_to_stdout_ = false;
  bool no_noc_ = false;
};

CYCLOPS_REGISTER_COMMAND("analyze", AnalyzeCommand);

}  // namespace
}  // namespace cyclops::cli
