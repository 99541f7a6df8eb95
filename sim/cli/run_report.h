// The report of `cyclops run`: simulated against analytical, side by side — cycles with the difference
// broken down by cause, every per-level counter and energy — as text, JSON summary and Accelergy-style
// action counts.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "sim/analysis/analysis.h"
#include "sim/spec/specs.h"
#include "sim/top/layer_simulation.h"

namespace cyclops::cli {

struct RunReport {
  const spec::Spec& spec;
  const analysis::AnalysisResult& analysis;
  const top::SimulationResult& simulation;
  std::vector<std::pair<std::string, uint64_t>> bank_conflicts;  // per level, when modelled

  double SimulatedEnergy(int level, int d) const;  // pJ, dynamic, all instances
  double SimulatedTotalEnergy() const;             // pJ, including leakage over simulated cycles
  int CounterMismatches() const;                   // per-level counters that differ from the analysis
  // NoC energy: value-hops × the ERT's `noc` `hop` entry (pJ per value per link); 0 without one. Not in
  // SimulatedTotalEnergy, which stays comparable with the analytical model (whose networks are free).
  double NocEnergy() const;
  std::string Text() const;
  std::string SummaryJson() const;
  std::string ActionCountsYaml() const;
};

}  // namespace cyclops::cli
