// Cyclops' figures in Timeloop's report files (sim/stats/timeloop_stats.h), for Timeloop users to diff:
// `--timeloop-out DIR` on analyze (the analytical model) and run (the simulated counters), and the
// side-by-side of `cyclops compare`.
#pragma once

#include <string>

#include "sim/analysis/analysis.h"
#include "sim/spec/specs.h"
#include "sim/stats/timeloop_stats.h"
#include "sim/top/layer_simulation.h"

namespace cyclops::cli {

// The analytical report with the simulated counters in place of the analytical ones: per-instance
// reads, fills and updates (simulated totals ÷ instances), their energies, leakage over the simulated
// cycles, the simulated cycles, and the energy Accelergy computes from the run's action counts.
stats::TimeloopStats SimulatedTimeloopStats(const spec::Spec& spec, const analysis::AnalysisResult& analysis,
                                            const top::SimulationResult& simulation);

// Writes DIR/timeloop-model.stats.txt and DIR/timeloop-model.map.txt (whole or not at all) and says so.
void WriteTimeloopOutputs(const std::string& dir, const spec::Spec& spec,
                          const analysis::AnalysisResult& analysis, const stats::TimeloopStats& stats);

}  // namespace cyclops::cli
