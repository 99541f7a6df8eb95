// `cyclops compare DIR`: a Timeloop output folder (parsed-processed-input.yaml, the stats and, for mapper
// runs, the chosen mapping) against Cyclops: the same mapping through the analytical model and the
// cycle-level simulation, every counter beside Timeloop's.
#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>

#include "sim/analysis/analysis.h"
#include "sim/cli/command.h"
#include "sim/cli/spec_requirements.h"
#include "sim/cli/timeloop_outputs.h"
#include "sim/core/atomic_file.h"
#include "sim/core/error.h"
#include "sim/stats/timeloop_comparison.h"
#include "sim/analysis/timeloop_report.h"

namespace cyclops::cli {
namespace {

namespace fs = std::filesystem;

// The files of a Timeloop output folder: timeloop-mapper.* for mapper runs, timeloop-model.* otherwise.
struct TimeloopFolder {
  std::vector<std::string> spec_files;  // input, chosen mapping (mapper runs), ERT when present
  std::string stats;
  std::string tool;
};

TimeloopFolder FindFiles(const std::string& dir) {
  const fs::path folder(dir);
  const fs::path input = folder / "parsed-processed-input.yaml";
  if (!fs::exists(input))
    throw SpecError({dir, 0, 0, ""}, "no parsed-processed-input.yaml in the folder",
                    "a Timeloop output folder (parsed-processed-input.yaml, timeloop-*.stats.txt)");
  TimeloopFolder files;
  for (const char* tool : {"timeloop-mapper", "timeloop-model"})
    if (fs::exists(folder / (std::string(tool) + ".stats.txt"))) {
      files.tool = tool;
      break;
    }
  if (files.tool.empty())
    throw SpecError({dir, 0, 0, ""}, "no timeloop-mapper.stats.txt or timeloop-model.stats.txt in the folder",
                    "the folder Timeloop wrote its outputs to");
  files.stats = (folder / (files.tool + ".stats.txt")).string();
  files.spec_files.push_back(input.string());
  if (files.tool == "timeloop-mapper") {
    const fs::path mapping = folder / "timeloop-mapper.map.yaml";
    if (!fs::exists(mapping))
      throw SpecError({dir, 0, 0, ""}, "a mapper run without timeloop-mapper.map.yaml",
                      "the mapper's chosen mapping");
    files.spec_files.push_back(mapping.string());
  }
  const fs::path ert = folder / (files.tool + ".ERT.yaml");
  if (fs::exists(ert)) files.spec_files.push_back(ert.string());
  return files;
}

class CompareCommand : public Command {
 public:
  std::string Summary() const override {
    return "Set a Timeloop output folder's figures beside Cyclops' analytical and simulated ones, counter by "
           "counter";
  }
  void AddOptions(CLI::App& command) override {
    command
        .add_option("dir", dir_, "Timeloop output folder (parsed-processed-input.yaml, timeloop-*.stats.txt)")
        ->required()
        ->check(CLI::ExistingDirectory);
    command.add_flag("--no-simulation", no_simulation_, "Compare the analytical model only (fast)");
    command.add_option("--out", out_dir_,
                       "Also write DIR/compare.json (every row) and Cyclops' own Timeloop files");
  }
  int Run() override {
    const TimeloopFolder files = FindFiles(dir_);
    spec::Spec spec = LoadSpecsForCommand(files.spec_files, /*strict=*/false);
    RequireForAnalysis(spec);
    const stats::TimeloopStats timeloop = ReadStats(files.stats);
    const analysis::AnalysisResult analysis =
        analysis::Analyze(*spec.architecture, *spec.workload, *spec.mapping, &*spec.energy);
    const stats::TimeloopStats analytical =
        analysis::TimeloopStatsOf(*spec.architecture, *spec.workload, *spec.mapping, analysis, &*spec.energy);
    std::optional<stats::TimeloopStats> simulated;
    std::string not_simulated = "--no-simulation";
    if (!no_simulation_) {
      try {
        top::LayerSimulation simulation(*spec.architecture, *spec.workload, *spec.mapping, {});
        const top::SimulationResult result = simulation.Run();
        if (result.mismatch)
          throw OutputMismatchError("simulated outputs differ from the reference kernel at " +
                                    *result.mismatch);
        simulated = SimulatedTimeloopStats(spec, analysis, result);
      } catch (const SpecError& refused) {  // a mapping the cycle-level simulator cannot run, with the reason
        not_simulated = refused.problem();
      }
    }
    stats::Comparison comparison =
        stats::CompareWithTimeloop(timeloop, analytical, simulated ? &*simulated : nullptr);
    comparison.not_simulated_because = not_simulated;
    std::cout << comparison.Text("Cyclops beside Timeloop: " + dir_ + " (" + files.tool + ".stats.txt)");
    if (!out_dir_.empty()) {
      WriteFileAtomically(out_dir_ + "/compare.json", comparison.Json(dir_));
      std::cout << "  wrote " << out_dir_ << "/compare.json\n";
      WriteTimeloopOutputs(out_dir_, spec, analysis, simulated ? *simulated : analytical);
    }
    return 0;
  }

 private:
  static stats::TimeloopStats ReadStats(const std::string& path) {
    try {
      return stats::ReadTimeloopStats(path);
    } catch (const std::exception& error) {
      throw SpecError({path, 0, 0, ""}, error.what(), "a Timeloop stats report with its Summary Stats");
    }
  }

  std::string dir_;
  std::string out_dir_;
  bool no_simulation_ = false;
};

CYCLOPS_REGISTER_COMMAND("compare", CompareCommand);

}  // namespace
}  // namespace cyclops::cli
