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

#include "sim/analysis/box_reuse.h"
#include "sim/analysis/loop_nest.h"

namespace cyclops::analysis {

// Working storage of the functions below, kept between calls so that evaluating many mappings
// allocates nothing once it has grown (one per thread: not shared).
struct TileScratch {
  struct WalkMemo {
    uint32_t stamp = 0;  // valid when equal to TileScratch::stamp
    int exit = 0;        // the reuse state the subtree leaves
    int64_t sum = 0;
  };
  std::vector<int> outer_loops;
  std::vector<Translation> steps;
  std::vector<int64_t> weights;
  std::vector<int64_t> step_sizes;
  std::vector<int> step_class;
  std::vector<int> classes;  // the first step of each translation
  std::vector<WalkMemo> memo;
  uint32_t stamp = 0;
  std::vector<Translation> child_steps;
  std::vector<int64_t> child_factors;
  std::vector<Translation> offsets;
  std::vector<Translation> grown;
  std::vector<int64_t> line;
};

// The box of every level's tile of every data space, [level × data spaces + data space]: Project of the
// level's tile extent, worked out once for the functions below.
void ProjectTiles(const LoopNest& nest, std::vector<DataBox>& tiles);

// Sum over the run of one instance's delta sizes at the level's tile boundary, for one data space
// whose tile there is `tile`.
int64_t TileDelta(const LoopNest& nest, int level, int data_space, const DataBox& tile, TileScratch& scratch);
// The same for every data space.
std::vector<int64_t> TileDeltas(const LoopNest& nest, int level);

// Number of distinct data-space offsets among the children of `level`'s spatial fan-out (children with
// the same offset receive identical deltas: one multicast). 1 when the level has no fan-out.
int64_t DistinctChildOffsets(const LoopNest& nest, int level, int data_space, TileScratch& scratch);
int64_t DistinctChildOffsets(const LoopNest& nest, int level, int data_space);

// Distinct values one instance of each level sees over the run (Timeloop's partition size): the full
// data space at the top, split at each fan-out in proportion to child tile over fan-out tile.
// `tiles` from ProjectTiles; `partition` is resized to the levels.
void PartitionSizes(const LoopNest& nest, int data_space, const std::vector<DataBox>& tiles,
                    std::vector<int64_t>& partition);

}  // namespace cyclops::analysis
