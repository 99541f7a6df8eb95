// The mapping flattened into one loop nest, the way Timeloop's nest analysis sees it: innermost loop
// first; within a storage level the spatial loops (fan-out to the level below) sit inside the temporal
// loops. Loops with factor 1 are dropped: they never move a tile. A nest can be rebuilt in place for
// another mapping of the same workload (Assign), reusing its storage: the mapper evaluates thousands.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "sim/spec/specs.h"

namespace cyclops::analysis {

struct Loop {
  int dimension = 0;
  int64_t factor = 1;
  int64_t residual =
      1;               // iterations when its dimension's outer loops are at their last (= factor if perfect)
  int64_t stride = 1;  // product of the factors of all inner loops over the same dimension
  bool spatial = false;
  int level = 0;        // storage level that owns the loop
  bool y_axis = false;  // a spatial loop laid out along the mesh's Y (after the mapping's split)
};

// An axis-aligned box in a data space: per rank the inclusive range [low, high]. Timeloop's AAHR.
constexpr int kMaxRanks = 8;
struct DataBox {
  int ranks = 0;
  std::array<int64_t, kMaxRanks> low{};
  std::array<int64_t, kMaxRanks> high{};
  int64_t Size() const {  // inline: the engine asks it per fill
    int64_t size = 1;
    for (int r = 0; r < ranks; ++r) size *= high[r] - low[r] + 1;
    return size;
  }
};

class LoopNest {
 public:
  LoopNest(const spec::Workload& workload, const spec::Mapping& mapping);
  // The workload's projections only; Assign a mapping before anything else.
  explicit LoopNest(const spec::Workload& workload);
  // Rebuilds the nest for `mapping` (of the same workload); allocates nothing once sized.
  void Assign(const spec::Mapping& mapping);

  const std::vector<Loop>& loops() const { return loops_; }
  int levels() const { return static_cast<int>(first_loop_.size()); }
  // Loops of level m are [FirstLoop(m), FirstLoop(m+1)); spatial ones come first.
  int FirstLoop(int level) const { return first_loop_[level]; }
  int EndLoop(int level) const {
    return level + 1 < levels() ? first_loop_[level + 1] : static_cast<int>(loops_.size());
  }

  // Extent per dimension of the tile a level holds: all loops at and below it.
  const std::vector<int64_t>& TileExtent(int level) const { return tile_extent_[level]; }
  // Extent per dimension just outside the spatial loops of `level` (the union its children hold).
  const std::vector<int64_t>& FanoutExtent(int level) const { return fanout_extent_[level]; }
  // Product of the level's spatial factors.
  int64_t SpatialFanout(int level) const { return spatial_fanout_[level]; }
  // Product of all temporal factors.
  int64_t TemporalIterations() const { return temporal_iterations_; }
  // Instances of `level` in use (-1: the arithmetic level): product of the spatial factors of every
  // level above it.
  int64_t UtilizedInstances(int level) const { return instances_above_[level + 1]; }

  // The data-space box touched by the problem box [origin, origin + extent).
  DataBox Project(int data_space, const std::vector<int64_t>& origin,
                  const std::vector<int64_t>& extent) const;
  // The same from the origin: the box of a tile of that extent.
  DataBox Project(int data_space, const std::vector<int64_t>& extent) const;
  // The data-space translation of one step along a problem dimension (projection is linear, so any
  // problem-space move maps to the matching sum of these).
  const std::array<int64_t, kMaxRanks>& UnitShift(int data_space, int dimension) const {
    return unit_shift_[data_space * workload_.dimensions.size() + dimension];
  }
  const spec::Workload& workload() const { return workload_; }

 private:
  const spec::Workload& workload_;
  std::vector<Loop> loops_;
  std::vector<int> first_loop_;
  std::vector<std::vector<int64_t>> tile_extent_;
  std::vector<std::vector<int64_t>> fanout_extent_;
  std::vector<std::array<int64_t, kMaxRanks>> unit_shift_;  // [data space × dimensions + dimension]
  // The projections flattened for the tile boxes: per data space its ranks' terms one after the other,
  // rank r of data space d being terms [term_begin_[rank_begin_[d] + r], term_begin_[... + r + 1]).
  struct Term {
    int dimension = 0;
    int64_t coefficient = 1;
  };
  std::vector<Term> terms_;
  std::vector<int> term_begin_;
  std::vector<int> rank_begin_;           // per data space, and one past the last
  std::vector<int64_t> spatial_fanout_;   // per level
  std::vector<int64_t> instances_above_;  // [level + 1]: product of the fan-outs above `level`
  int64_t temporal_iterations_ = 1;
};

}  // namespace cyclops::analysis
