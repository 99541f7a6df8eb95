// Cyclops' figures in Timeloop's report files (sim/stats/timeloop_stats.h), for Timeloop users to diff:
// `--timeloop-out DIR` on analyze (the analytical model) and run (the simulated counters), and the
// side-by-side of `cyclops compare`.
#pragma once

#include <optional>
#include <string>

#include "sim/analysis/analysis.h"
#include "sim/core/output_set.h"
#include "sim/spec/specs.h"
#include "sim/stats/timeloop_stats.h"
#include "sim/top/layer_simulation.h"

namespace cyclops::cli {

// The analytical report with the simulated counters in place of the analytical ones: per-instance
// reads, fills and updates (simulated totals ÷ instances), their energies, leakage over the simulated
// cycles, the simulated cycles, and the energy Accelergy computes from the run's action counts.
stats::TimeloopStats SimulatedTimeloopStats(const spec::Spec& spec, const analysis::AnalysisResult& analysis,
                                            const top::SimulationResult& simulation);

// Queues DIR/timeloop-model.stats.txt and DIR/timeloop-model.map.txt in `outputs` (DIR: one of its folders),
// written with the command's other outputs, whole or not at all.
void AddTimeloopOutputs(OutputSet& outputs, const std::string& dir, const spec::Spec& spec,
                        const analysis::AnalysisResult& analysis, const stats::TimeloopStats& stats);
// A command's outputs as one set: --out and --timeloop-out, each when given; nothing when neither is.
// Checks the folders now (SpecError at the option when one cannot be written).
std::optional<OutputSet> OutputsFor(const std::string& out_dir, const std::string& timeloop_dir);
inline constexpr const char* kTimeloopOutputNames = "timeloop-model.stats.txt, timeloop-model.map.txt";

}  // namespace cyclops::cli
