#include "sim/analysis/tile_analysis.h"

#include <algorithm>

#include "sim/analysis/box_reuse.h"
#include "sim/core/checked_math.h"
#include "sim/core/error.h"

namespace cyclops::analysis {

namespace {

// The walk over the temporal loops above a level, for one data space, folded. Like Timeloop it visits
// iterations 0 and 1 of every loop (2^loops tiles, iteration 1 weighted by factor - 1). But the tiles
// all have one shape and the reuse rule sees positions only through differences, so once a subtree of
// the walk has placed its first tile, the rest of it depends only on the rule's memory at that point.
// Memoising on that memory makes the walk linear in the loops (times a few memories) instead of
// exponential. (Under the current rule the memories reaching one depth even give identical results;
// the memo does not rely on that, so a different rule, e.g. Timeloop's later "Translation fix", stays
// exact as long as it remains translation-invariant.)
class FoldedWalk {
 public:
  // steps[k]: translation into iteration 1 of outer loop k (outermost first) from the last tile of its
  // iteration 0; weights[k]: how many iterations iteration 1 stands for. Memo: scratch, reused.
  struct Entry;
  FoldedWalk(const DataBox& tile, const std::vector<Translation>& steps, const std::vector<int64_t>& weights,
             std::vector<Entry>& memo, std::vector<int>& first_entry)
      : tile_(tile), steps_(steps), weights_(weights), memo_(memo), first_entry_(first_entry) {
    memo_.clear();
    memo_.reserve(4 * steps.size());  // a few memories per depth: no reallocation in the walk
    first_entry_.assign(steps.size(), -1);
  }

  // Throws CountOverflow when the total passes 2^63.
  struct CountOverflow {};
  int64_t Total() {
    ReuseMemory memory;
    const int64_t first = Place(memory, Translation{});
    const auto total = CheckedAdd(first, Rest(0, memory).sum);
    if (!total) throw CountOverflow{};
    return *total;
  }

  struct Result {
    int64_t sum = 0;
    ReuseMemory exit;
  };
  struct Entry {  // the memoised walks of one depth form a list through `next`
    ReuseMemory memory;
    Result result;
    int next = -1;
  };

 private:
  // The values the next tile, `translation` away from the previous one, needs.
  int64_t Place(ReuseMemory& memory, const Translation& translation) const {
    DataBox moved = tile_;
    for (int r = 0; r < moved.ranks; ++r) {
      moved.low[r] += translation[r];
      moved.high[r] += translation[r];
    }
    return NextTile(memory, moved, tile_).size;
  }

  // The subtree of loops [depth, end) after its first tile, which left `memory`.
  Result Rest(size_t depth, const ReuseMemory& memory) {
    if (depth == steps_.size()) return {0, memory};
    for (int i = first_entry_[depth]; i >= 0; i = memo_[i].next)
      if (memo_[i].memory == memory) return memo_[i].result;
    const Result first = Rest(depth + 1, memory);  // iteration 0 of loop `depth`
    ReuseMemory next = first.exit;                 // iteration 1: its first tile, then the rest
    const int64_t placed = Place(next, steps_[depth]);
    const Result second = Rest(depth + 1, next);
    const auto rest = CheckedAdd(placed, second.sum);
    const auto repeated = rest ? CheckedMul(weights_[depth], *rest) : std::nullopt;
    const auto sum = repeated ? CheckedAdd(first.sum, *repeated) : std::nullopt;
    if (!sum) throw CountOverflow{};
    const Result result{*sum, second.exit};
    memo_.push_back({memory, result, first_entry_[depth]});
    first_entry_[depth] = static_cast<int>(memo_.size()) - 1;
    return result;
  }

  const DataBox tile_;
  const std::vector<Translation>& steps_;
  const std::vector<int64_t>& weights_;
  std::vector<Entry>& memo_;
  std::vector<int>& first_entry_;  // per depth, -1 when none
};

}  // namespace

std::vector<int64_t> TileDeltas(const LoopNest& nest, int level) {
  const size_t data_spaces = nest.workload().data_spaces.size();
  std::vector<int> outer_loops;  // temporal loops above the level, outermost first
  for (int i = static_cast<int>(nest.loops().size()) - 1; i >= nest.EndLoop(level); --i)
    if (!nest.loops()[i].spatial) outer_loops.push_back(i);
  std::vector<int64_t> weights(outer_loops.size());
  for (size_t k = 0; k < outer_loops.size(); ++k) weights[k] = nest.loops()[outer_loops[k]].factor - 1;

  std::vector<int64_t> totals(data_spaces, 0);
  std::vector<Translation> steps(outer_loops.size());
  std::vector<FoldedWalk::Entry> memo;
  std::vector<int> first_entry;
  const std::vector<int64_t> origin(nest.workload().dimensions.size(), 0);
  for (size_t d = 0; d < data_spaces; ++d) {
    const int space = static_cast<int>(d);
    const DataBox tile = nest.Project(space, origin, nest.TileExtent(level));
    // Iteration 1 of loop k starts one stride on from the last tile of its iteration 0, where every
    // loop inside it stands at iteration 1: subtract their strides.
    Translation inside{};
    for (size_t k = outer_loops.size(); k-- > 0;) {
      const Loop& loop = nest.loops()[outer_loops[k]];
      const Translation& unit = nest.UnitShift(space, loop.dimension);
      for (int r = 0; r < tile.ranks; ++r) {
        steps[k][r] = loop.stride * unit[r] - inside[r];
        inside[r] += loop.stride * unit[r];
      }
    }
    try {
      totals[d] = FoldedWalk(tile, steps, weights, memo, first_entry).Total();
    } catch (const FoldedWalk::CountOverflow&) {
      throw SpecError(nest.workload().where,
                      "the values level " + std::to_string(level) + " needs of " +
                          nest.workload().data_spaces[d].name + " over the run exceed 2^63",
                      "a smaller problem");
    }
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
      step[r] = nest.UnitShift(data_space, loop.dimension)[r] * loop.stride;
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
    if (nest.SpatialFanout(level + 1) > 1) {
      // In 128 bits: the product may pass 2^63 although the quotient does not.
      const auto scaled =
          CheckedMulDiv(size, size_of(nest.TileExtent(level)), size_of(nest.FanoutExtent(level + 1)));
      if (!scaled)
        throw SpecError(nest.workload().where,
                        "the partition of " + nest.workload().data_spaces[data_space].name + " at level " +
                            std::to_string(level) + " exceeds 2^63 values",
                        "a smaller problem");
      size = *scaled;
    }
    partition[level] = size;
  }
  return partition;
}

}  // namespace cyclops::analysis
