// The sparse analytical model: Sparseloop (Timeloop v2) on top of the dense counts. For every storage
// level and data space it splits reads, fills and updates into actual, gated and skipped ones, counts the
// metadata a representation format moves, and the compute units' actual, gated and skipped computes;
// cycles follow from the actual + gated accesses and computes (a skipped one costs no cycle), energy
// from the actual and gated ones priced by the ERT (sim/energy/sparse_energy.h). Same arithmetic as
// Sparseloop, operation for operation, so fixed_structured counts match it exactly.
//
// The passes, in Sparseloop's order: representation formats and their ranks (which loops each rank
// spans); expected data and metadata occupancy of every tile under its density model; metadata accesses
// in proportion to the dense ones; the probability that each gated or skipped read finds an empty
// conditioned-on tile, and how that removes accesses below it and computes; per-level sizes, energy and
// bandwidth-bound cycles.
#pragma once

#include "sim/analysis/analysis.h"
#include "sim/analysis/loop_nest.h"
#include "sim/energy/sparse_energy.h"

namespace cyclops::analysis {

// `result` holds the dense model's figures for `mapping`; fills its sparse fields and replaces cycles,
// energy, address generations, temporal reductions and bandwidths with Sparseloop's. Throws SpecError
// when compressed tiles do not fit a level or the mapping does not suit the formats (Sparseloop's failed
// evaluations; the mapper counts them as invalid mappings).
void ApplySparseModel(const spec::Architecture& architecture, const spec::Workload& workload,
                      const spec::Mapping& mapping, const energy::SparseEnergyPrices& prices,
                      const spec::SparseOptimizations& sparse, const LoopNest& nest, AnalysisResult& result);

}  // namespace cyclops::analysis
