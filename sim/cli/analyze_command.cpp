// `cyclops analyze FILES...`: the analytical model alone — fast, no simulation.
#include <CLI/CLI.hpp>
#include <iostream>
#include <optional>

#include "sim/analysis/analysis.h"
#include "sim/cli/command.h"
#include "sim/cli/spec_requirements.h"
#include "sim/core/output_set.h"
#include "sim/spec/loader.h"
#include "sim/stats/analysis_writer.h"

namespace cyclops::cli {
namespace {

class AnalyzeCommand : public Command {
 public:
  std::string Summary() const override {
    return "Analytical (Timeloop-style) estimate of a mapping: per-level accesses, cycles, energy";
  }
  void AddOptions(CLI::App& command) override {
    AddSpecFilesOption(command, files_, "Spec files: architecture, problem, mapping, ERT (keys merge)");
    command.add_option("--out", out_dir_, "Also write DIR/analysis.json");
    command.add_flag("--json", json_to_stdout_, "Print the JSON instead of the table");
  }
  int Run() override {
    spec::Spec spec = spec::LoadSpecFiles(files_);
    RequireForAnalysis(spec);
    PrintNotes(spec);
    std::optional<OutputSet> outputs;
    if (!out_dir_.empty()) outputs.emplace(out_dir_);
    const analysis::AnalysisResult result = analysis::Analyze(
        *spec.architecture, *spec.workload, *spec.mapping, spec.energy ? &*spec.energy : nullptr);
    const std::string json = stats::AnalysisJson(*spec.architecture, *spec.workload, result);
    if (outputs) {
      outputs->Add("analysis.json", json);
      outputs->Commit();
    }
    std::cout << (json_to_stdout_ ? json : stats::AnalysisText(*spec.architecture, *spec.workload, result));
    if (!spec.energy) std::cout << "  (no ERT given: energy figures are zero)\n";
    if (!out_dir_.empty()) std::cout << "  wrote " << out_dir_ << "/analysis.json\n";
    return 0;
  }

 private:
  std::vector<std::string> files_;
  std::string out_dir_;
  bool json_to_stdout_ = false;
};

CYCLOPS_REGISTER_COMMAND("analyze", AnalyzeCommand);

}  // namespace
}  // namespace cyclops::cli
