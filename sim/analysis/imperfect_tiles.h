// The analytical model of an imperfectly factorized mapping (Timeloop v3's "Ruby" form, spec/specs.h): a
// loop's factor need not divide its dimension, and a loop runs its residual when every loop of its dimension
// outside it is at its last iteration. The loops of a dimension then count in mixed radix up to its bound,
// so the nest is the perfect nest of the factors clipped to the problem: a tile whose outer loops of a
// dimension stand at their last iterations is cut short along it (Timeloop's mold_high_residual), and a
// spatial instance past the residual has nothing to do in those iterations.
//
// Counts are what Timeloop's nest analysis does with such a nest, in closed form as for perfect mappings
// (tile_analysis.h): the same reuse rule (box_reuse.h), the same sampling (iteration 0, iteration 1 standing
// for the uniform rest, and — where a loop's last iteration differs because its dimension is cut short —
// that last iteration from the true previous tile, as Ruby runs the second-last and last iterations). Since
// instances differ, totals are summed over instance classes (per spatial loop of an imperfect dimension:
// its digits below, at and past the residual's last digit), and the per-instance figures are averages over
// the instances ever used (Ruby's averaged per-instance statistics). A multicast group reads as its most
// active member (the parent sends once what any of them needs). Differences from Ruby, where its sampling
// approximates: the last iteration of a perfect loop whose dimension is cut short inside it is counted
// from its own delta (Ruby reuses iteration 1's); cycles are the iterations the busiest MAC runs (Ruby's
// arithmetic model counts the product of the temporal factors).
#pragma once

#include <cstdint>
#include <vector>

#include "sim/analysis/analysis.h"
#include "sim/analysis/loop_nest.h"

namespace cyclops::analysis {

struct ImperfectCounts {
  std::vector<std::vector<DataSpaceAccesses>> accesses;  // [level][data space], as CountAccesses gives them
  std::vector<int64_t> used_instances;                   // per storage level: instances that ever hold a tile
  int64_t mac_instances = 0;                             // MACs that ever compute
  int64_t cycles = 0;                                    // temporal iterations of the busiest MAC
};

// The counts of a mapping with imperfect factors (mapping.Imperfect()); for a perfect one they equal
// CountAccesses' but cost more. `exact_walk`: every iteration of every temporal loop instead of Ruby's
// sample (iteration 0, iteration 1 for the uniform rest, the last), as the hardware runs them
// (TileWalk::kExact).
ImperfectCounts CountImperfectAccesses(const spec::Architecture& architecture, const spec::Mapping& mapping,
                                       const LoopNest& nest, bool exact_walk = false);

}  // namespace cyclops::analysis
