// An analytical-model result in Timeloop's report layout (timeloop_stats.h): what `cyclops analyze
// --timeloop-out DIR` writes, and what `cyclops run --timeloop-out` starts from before putting the
// simulated counters in. Levels and names follow Timeloop: storage levels innermost first numbered from
// 1 (dummy fan-out levels keep their number but are not listed), per-instance counts.
#pragma once

#include <vector>

#include "sim/analysis/analysis.h"
#include "sim/spec/specs.h"
#include "sim/stats/timeloop_stats.h"

namespace cyclops::analysis {

stats::TimeloopStats TimeloopStatsOf(const spec::Architecture& architecture, const spec::Workload& workload,
                                     const spec::Mapping& mapping, const AnalysisResult& result,
                                     const spec::EnergyTable* energy);

std::vector<stats::TimeloopMapLevel> TimeloopMapOf(const spec::Architecture& architecture,
                                                   const spec::Workload& workload,
                                                   const spec::Mapping& mapping,
                                                   const AnalysisResult& result);

}  // namespace cyclops::analysis
