// `cyclops analyze FILES...`: the analytical model alone — fast, no simulation.
#include <CLI/CLI.hpp>
#include <iostream>
#include <optional>

#include "sim/analysis/analysis.h"
#include "sim/cli/command.h"
#include "sim/cli/spec_requirements.h"
#include "sim/cli/timeloop_outputs.h"
#include "sim/core/output_set.h"
#include "sim/spec/loader.h"
#include "sim/analysis/analysis_writer.h"
#include "sim/analysis/timeloop_report.h"
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
    command.add_flag("--exact-walk", exact_walk_,
                     "Walk every loop iteration (as the hardware runs) instead of Timeloop's two-iteration "
                     "sample; the two differ for sliding windows under loops of more than 2 iterations");
    command.add_flag("--no-noc-bound", no_noc_,
                     "Timeloop's model alone: no NoC bound even when the architecture has a noc:");
    command.add_option("--timeloop-out", timeloop_dir_,
                       "Also write DIR/timeloop-model.stats.txt and .map.txt in Timeloop's layout");
  }
  int Run() override {
    spec::Spec spec = LoadSpecsForCommand(files_, strict_);
    RequireForAnalysis(spec);
    // An unwritable --out or --timeloop-out fails before the work.
    std::optional<OutputSet> outputs = OutputsFor(out_dir_, timeloop_dir_);
    analysis::AnalysisResult result =
        analysis::Analyze(*spec.architecture, *spec.workload, *spec.mapping,
                          spec.energy ? &*spec.energy : nullptr, spec.sparse ? &*spec.sparse : nullptr,
                          exact_walk_ ? analysis::TileWalk::kExact : analysis::TileWalk::kTimeloopSample);
    if (!no_noc_) top::AddNocBound(*spec.architecture, *spec.workload, *spec.mapping, result);
    const std::string json = analysis::AnalysisJson(*spec.architecture, *spec.workload, result);
    if (!out_dir_.empty()) outputs->Add("analysis.json", json);
    if (!timeloop_dir_.empty())
      AddTimeloopOutputs(
          *outputs, timeloop_dir_, spec, result,
          analysis::TimeloopStatsOf(*spec.architecture, *spec.workload, *spec.mapping, result, &*spec.energy));
    if (outputs) outputs->Commit();
    std::cout << (json_to_stdout_ ? json : analysis::AnalysisText(*spec.architecture, *spec.workload, result));
    if (!spec.energy->estimated_from.empty())
      std::cout << "  energy estimated (no ERT given): " << spec.energy->estimated_from << "\n";
    if (!out_dir_.empty()) std::cout << "  wrote " << out_dir_ << "/analysis.json\n";
    if (!timeloop_dir_.empty())
      std::cout << "  wrote " << timeloop_dir_ << "/" << kTimeloopOutputNames << "\n";
    return 0;
  }

 private:
  std::vector<std::string> files_;
  bool strict_ = false;
  std::string out_dir_;
  std::string timeloop_dir_;
  bool json_to_stdout_ = false;
  bool exact_walk_ = false;
  bool no_noc_ = false;
};

CYCLOPS_REGISTER_COMMAND("analyze", AnalyzeCommand);

}  // namespace
}  // namespace cyclops::cli
