// How the tiles of one storage level move over time and across its children, following Timeloop's
// (pre-2025, before its "Translation fix") nest analysis:
//   - Deltas. A level's tile is refilled by the part of each new tile not in the previous one, but only
//     while the tile keeps moving by the same translation. When the translation changes (for example
//     an irrelevant inner loop leaves the tile in place, then an outer loop moves it) the whole tile is
//     refilled and the translation is forgotten. Differences of boxes that are not boxes count as whole.
//     The rule lives in box_reuse.h (one implementation, shared with the simulator).
//   - Sampling. Like Timeloop, each temporal loop runs iteration 0 once and iteration 1 standing in for
//     the remaining factor − 1 iterations, so the "previous tile" after a loop is its iteration-1 tile.
//   - Multicast. Children of a spatial fan-out whose deltas are identical share one parent access.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/analysis/loop_nest.h"

namespace cyclops::analysis {

// Per data space: sum over the run of one instance's delta sizes at the level's tile boundary.
std::vector<int64_t> TileDeltas(const LoopNest& nest, int level);

// Number of distinct data-space offsets among the children of `level`'s spatial fan-out (children with
// the same offset receive identical deltas: one multicast). 1 when the level has no fan-out.
int64_t DistinctChildOffsets(const LoopNest& nest, int level, int data_space);

// Distinct values one instance of each level sees over the run (Timeloop's partition size): the full
// data space at the top, split at each fan-out in proportion to child tile over fan-out tile.
std::vector<int64_t> PartitionSizes(const LoopNest& nest, int data_space);

}  // namespace cyclops::analysis
