// The report of `cyclops run`: simulated against analytical, side by side — cycles with the difference
// broken down by cause, every per-level counter and energy — as text and Accelergy-style action counts,
// formatted from the run's RunSummary (whose JSON form is summary.json).
#pragma once

#include <string>

#include "sim/analysis/analysis.h"
#include "sim/spec/specs.h"
#include "sim/top/layer_simulation.h"
#include "sim/top/run_summary.h"

namespace cyclops::cli {

struct RunReport {
  const spec::Spec& spec;
  const analysis::AnalysisResult& analysis;
  const top::RunSummary& summary;
  const top::SimulationResult& simulation;

  std::string Text() const;
  std::string ActionCountsYaml() const;
};

}  // namespace cyclops::cli
