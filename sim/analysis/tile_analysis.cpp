#include "sim/analysis/tile_analysis.h"

#include <algorithm>

#include "sim/analysis/box_reuse.h"

namespace cyclops::analysis {

namespace {

// The walk over the temporal loops above a level, for one data space, folded. Like Timeloop it visits
// iterations 0 and 1 of every loop (2^loops tiles, iteration 1 weighted by factor - 1), but the tiles
// all have one shape and the reuse rule sees positions only through translations, so what a subtree
// of the walk adds depends only on the rule's memory on entry and the translation into its first tile.
// Memoising on that makes the walk linear in the loops instead of exponential.
class FoldedWalk {
 public:
  // steps[k]: translation into iteration 1 of outer loop k (outermost first) from the last tile of its
  // iteration 0; weights[k]: how many iterations iteration 1 stands for.
  FoldedWalk(const DataBox& tile, std::vector<Translation> steps, std::vector<int64_t> weights)
      : tile_(tile), steps_(std::move(steps)), weights_(std::move(weights)), memo_(steps_.size()) {}

  int64_t Total() { return Walk(0, ReuseMemory{}, Translation{}).sum; }

 private:
  struct Result {
    int64_t sum = 0;
    ReuseMemory exit;
  };
  struct Entry {
    ReuseMemory memory;
    Translation into{};
    Result result;
  };
  static constexpr size_t kSlots = 8;  // distinct entries seen per depth stay few; beyond, recompute

  Result Walk(size_t depth, const ReuseMemory& memory, const Translation& into) {
    if (depth == steps_.size()) {
      DataBox moved = tile_;
      for (int r = 0; r < moved.ranks; ++r) {
        moved.low[r] += into[r];
        moved.high[r] += into[r];
      }
      Result leaf{0, memory};
      leaf.sum = NextTile(leaf.exit, moved, tile_).size;
      return leaf;
    }
    std::vector<Entry>& seen = memo_[depth];
    for (const Entry& entry : seen)
      if (entry.memory == memory && entry.into == into) return entry.result;
    const Result first = Walk(depth + 1, memory, into);
    const Result rest = Walk(depth + 1, first.exit, steps_[depth]);
    const Result result{first.sum + weights_[depth] * rest.sum, rest.exit};
    if (seen.size() < kSlots) seen.push_back({memory, into, result});
    return result;
  }

  const DataBox tile_;
  const std::vector<Translation> steps_;
  const std::vector<int64_t> weights_;
  std::vector<std::vector<Entry>> memo_;
};

}  // namespace

std::vector<int64_t> TileDeltas(const LoopNest& nest, int level) {
  const size_t data_spaces = nest.workload().data_spaces.size();
  const size_t dimensions = nest.workload().dimensions.size();
  std::vector<int> outer_loops;  // temporal loops above the level, outermost first
  for (int i = static_cast<int>(nest.loops().size()) - 1; i >= nest.EndLoop(level); --i)
    if (!nest.loops()[i].spatial) outer_loops.push_back(i);
  // Problem-space jump into iteration 1 of each loop: its own stride, minus the strides of the loops
  // inside it, which go back from their last iteration (1) to iteration 0.
  std::vector<std::vector<int64_t>> jumps(outer_loops.size(), std::vector<int64_t>(dimensions, 0));
  std::vector<int64_t> inner(dimensions, 0);
  std::vector<int64_t> weights(outer_loops.size());
  for (size_t k = outer_loops.size(); k-- > 0;) {
    const Loop& loop = nest.loops()[outer_loops[k]];
    for (size_t dim = 0; dim < dimensions; ++dim) jumps[k][dim] = -inner[dim];
    jumps[k][loop.dimension] += loop.stride;
    inner[loop.dimension] += loop.stride;
    weights[k] = loop.factor - 1;
  }
  std::vector<int64_t> totals(data_spaces, 0);
  const std::vector<int64_t> origin(dimensions, 0);
  for (size_t d = 0; d < data_spaces; ++d) {
    const int space = static_cast<int>(d);
    // Projection is linear, so a problem-space jump's image is the low corner of its projected box.
    std::vector<Translation> steps(outer_loops.size());
    for (size_t k = 0; k < outer_loops.size(); ++k)
      steps[k] = nest.Project(space, jumps[k], nest.TileExtent(level)).low;
    totals[d] = FoldedWalk(nest.Project(space, origin, nest.TileExtent(level)), std::move(steps), weights)
                    .Total();
  }
  return totals;
}

int64_t DistinctChildOffsets(const LoopNest& nest, int level, int data_space) {
  const auto& projection = nest.workload().data_spaces[data_space].projection;
  using Offset = std::array<int64_t, kMaxRanks>;
  // Offsets in data space of every child, built loop by loop (mixed radix over the spatial loops).
  std::vector<Offset> offsets{Offset{}};
  for (int i = nest.FirstLoop(level); i < nest.EndLoop(level); ++i) {
    const Loop& loop = nest.loops()[i];
    if (!loop.spatial) continue;
    Offset step{};
    for (size_t r = 0; r < projection.size(); ++r)
      for (const spec::ProjectionTerm& term : projection[r])
        if (term.dimension == loop.dimension) step[r] += nest.workload().Coefficient(term) * loop.stride;
    if (step == Offset{}) continue;  // the loop does not move this data space: pure multicast
    std::vector<Offset> grown;
    grown.reserve(offsets.size() * loop.factor);
    for (const Offset& offset : offsets)
      for (int64_t index = 0; index < loop.factor; ++index) {
        Offset child = offset;
        for (size_t r = 0; r < projection.size(); ++r) child[r] += index * step[r];
        grown.push_back(child);
      }
    std::sort(grown.begin(), grown.end());
    grown.erase(std::unique(grown.begin(), grown.end()), grown.end());
    offsets = std::move(grown);
  }
  return static_cast<int64_t>(offsets.size());
}

std::vector<int64_t> PartitionSizes(const LoopNest& nest, int data_space) {
  const int levels = nest.levels();
  std::vector<int64_t> partition(levels, 0);
  const std::vector<int64_t> origin(nest.workload().dimensions.size(), 0);
  auto size_of = [&](const std::vector<int64_t>& extent) {
    return nest.Project(data_space, origin, extent).Size();
  };
  int64_t size = size_of(nest.TileExtent(levels - 1));
  partition[levels - 1] = size;
  for (int level = levels - 2; level >= 0; --level) {
    if (nest.SpatialFanout(level + 1) > 1)
      size = size * size_of(nest.TileExtent(level)) / size_of(nest.FanoutExtent(level + 1));
    partition[level] = size;
  }
  return partition;
}

}  // namespace cyclops::analysis
