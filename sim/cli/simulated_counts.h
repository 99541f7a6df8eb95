// The cycle-level run's counters in the forms other tools read: Accelergy action counts (priced by the
// energy table, sim/energy/action_counts.h). Shared by `cyclops run`'s report and its --timeloop-out.
#pragma once

#include "sim/analysis/analysis.h"
#include "sim/energy/action_counts.h"
#include "sim/spec/specs.h"
#include "sim/top/layer_simulation.h"

namespace cyclops::cli {

// Every storage level's simulated reads, fills and updates per data space and instance, the MACs, and
// leakage over the simulated cycles for the instances the analysis says the mapping uses.
energy::ActionCounts SimulatedActionCounts(const spec::Spec& spec, const analysis::AnalysisResult& analysis,
                                           const top::SimulationResult& simulation);

}  // namespace cyclops::cli
