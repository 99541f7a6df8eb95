#include "sim/analysis/tile_analysis.h"

#include <algorithm>

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
//
// Every tile after the first follows its predecessor by one of the loops' steps, so the rule's memory
// (box_reuse.h: a previous tile, and the translation it kept, if any) is one of few states: "no
// translation" or "the translation of step c". The state is an int: -1, or the first step index with
// that translation. What NextTile returns for a step depends only on the state and the step, so it is
// worked out once per step with the rule itself (NextTile on the real boxes) and the walk is integers.
class FoldedWalk {
 public:
  FoldedWalk(const DataBox& tile, TileScratch& scratch) : scratch_(scratch), loops_(scratch.steps.size()) {
    // The rule's answers: a state that takes up step k (no translation yet, or the same one) gets the
    // box difference; any other state is reset and refills the whole tile. Steps with one translation
    // share a class and an answer.
    scratch_.step_sizes.resize(loops_);
    scratch_.step_class.resize(loops_);
    scratch_.classes.clear();
    for (size_t k = 0; k < loops_; ++k) {
      const Translation& step = scratch_.steps[k];
      auto same = std::find_if(scratch_.classes.begin(), scratch_.classes.end(),
                               [&](int first) { return scratch_.steps[first] == step; });
      if (same != scratch_.classes.end()) {
        scratch_.step_class[k] = *same;
        scratch_.step_sizes[k] = scratch_.step_sizes[*same];
        continue;
      }
      DataBox moved = tile;
      for (int r = 0; r < moved.ranks; ++r) {
        moved.low[r] += step[r];
        moved.high[r] += step[r];
      }
      ReuseMemory memory{true, false, {}};
      scratch_.step_sizes[k] = NextTile(memory, moved, tile).size;
      scratch_.step_class[k] = static_cast<int>(k);
      scratch_.classes.push_back(static_cast<int>(k));
    }
    ReuseMemory first;
    whole_ = NextTile(first, tile, tile).size;
    const size_t entries = loops_ * (loops_ + 1);
    if (scratch_.memo.size() < entries) scratch_.memo.resize(entries);
    if (++scratch_.stamp == 0) {  // wrapped: forget every old stamp
      for (TileScratch::WalkMemo& entry : scratch_.memo) entry.stamp = 0;
      scratch_.stamp = 1;
    }
  }

  int64_t Total() { return whole_ + Rest(0, kNoTranslation).sum; }

 private:
  static constexpr int kNoTranslation = -1;
  struct Result {
    int64_t sum = 0;
    int exit = kNoTranslation;
  };

  // The values the next tile, one step of loop k after the previous, needs; updates the state.
  int64_t Place(int& state, size_t k) const {
    const int step_class = scratch_.step_class[k];
    if (state == kNoTranslation || state == step_class) {
      state = step_class;
      return scratch_.step_sizes[k];
    }
    state = kNoTranslation;  // the stride changed: discard the residual tile
    return whole_;
  }

  // The subtree of loops [depth, end) after its first tile, which left `state`.
  Result Rest(size_t depth, int state) {
    if (depth == loops_) return {0, state};
    const size_t at = depth * (loops_ + 1) + static_cast<size_t>(state + 1);
    if (scratch_.memo[at].stamp == scratch_.stamp) return {scratch_.memo[at].sum, scratch_.memo[at].exit};
    const Result first = Rest(depth + 1, state);  // iteration 0 of loop `depth`
    int next = first.exit;                        // iteration 1: its first tile, then the rest
    const int64_t placed = Place(next, depth);
    const Result second = Rest(depth + 1, next);
    const Result result{first.sum + scratch_.weights[depth] * (placed + second.sum), second.exit};
    scratch_.memo[at] = {scratch_.stamp, result.exit, result.sum};
    return result;
  }

  TileScratch& scratch_;
  const size_t loops_;
  int64_t whole_ = 0;
};

}  // namespace

int64_t TileDelta(const LoopNest& nest, int level, int data_space, const DataBox& tile,
                  TileScratch& scratch) {
  std::vector<int>& outer_loops = scratch.outer_loops;  // temporal loops above the level, outermost first
  outer_loops.clear();
  for (int i = static_cast<int>(nest.loops().size()) - 1; i >= nest.EndLoop(level); --i)
    if (!nest.loops()[i].spatial) outer_loops.push_back(i);
  scratch.weights.resize(outer_loops.size());
  for (size_t k = 0; k < outer_loops.size(); ++k)
    scratch.weights[k] = nest.loops()[outer_loops[k]].factor - 1;

  // Iteration 1 of loop k starts one stride on from the last tile of its iteration 0, where every
  // loop inside it stands at iteration 1: subtract their strides.
  scratch.steps.assign(outer_loops.size(), Translation{});
  Translation inside{};
  for (size_t k = outer_loops.size(); k-- > 0;) {
    const Loop& loop = nest.loops()[outer_loops[k]];
    const Translation& unit = nest.UnitShift(data_space, loop.dimension);
    for (int r = 0; r < tile.ranks; ++r) {
      scratch.steps[k][r] = loop.stride * unit[r] - inside[r];
      inside[r] += loop.stride * unit[r];
    }
  }
  return FoldedWalk(tile, scratch).Total();
}

std::vector<int64_t> TileDeltas(const LoopNest& nest, int level) {
  TileScratch scratch;
  std::vector<int64_t> totals(nest.workload().data_spaces.size());
  for (size_t d = 0; d < totals.size(); ++d) {
    const int space = static_cast<int>(d);
    totals[d] = TileDelta(nest, level, space, nest.Project(space, nest.TileExtent(level)), scratch);
  }
  return totals;
}

int64_t DistinctChildOffsets(const LoopNest& nest, int level, int data_space, TileScratch& scratch) {
  const int ranks = static_cast<int>(nest.workload().data_spaces[data_space].projection.size());
  // The children's offsets in data space are the sums of one multiple of each spatial loop's step
  // (mixed radix over the loops). Loops that do not move the data space are pure multicast.
  std::vector<Translation>& steps = scratch.child_steps;
  std::vector<int64_t>& factors = scratch.child_factors;
  steps.clear();
  factors.clear();
  bool one_rank_each = true;  // every step moves along a single rank
  for (int i = nest.FirstLoop(level); i < nest.EndLoop(level); ++i) {
    const Loop& loop = nest.loops()[i];
    if (!loop.spatial) continue;
    Translation step{};
    int moved_ranks = 0;
    for (int r = 0; r < ranks; ++r) {
      step[r] = nest.UnitShift(data_space, loop.dimension)[r] * loop.stride;
      moved_ranks += step[r] != 0;
    }
    if (moved_ranks == 0) continue;
    one_rank_each = one_rank_each && moved_ranks == 1;
    steps.push_back(step);
    factors.push_back(loop.factor);
  }
  if (steps.empty()) return 1;
  if (steps.size() == 1) return factors[0];  // multiples of one nonzero step are all distinct

  if (one_rank_each) {
    // Steps along different ranks combine independently: the count is the product over ranks of the
    // distinct sums along each rank alone.
    int64_t count = 1;
    for (int r = 0; r < ranks; ++r) {
      std::vector<int64_t>& line = scratch.line;
      line.assign(1, 0);
      for (size_t k = 0; k < steps.size(); ++k) {
        if (steps[k][r] == 0) continue;
        const size_t before = line.size();
        for (int64_t index = 1; index < factors[k]; ++index)
          for (size_t j = 0; j < before; ++j) line.push_back(line[j] + index * steps[k][r]);
        std::sort(line.begin(), line.end());
        line.erase(std::unique(line.begin(), line.end()), line.end());
      }
      count *= static_cast<int64_t>(line.size());
    }
    return count;
  }

  std::vector<Translation>& offsets = scratch.offsets;
  offsets.assign(1, Translation{});
  for (size_t k = 0; k < steps.size(); ++k) {
    std::vector<Translation>& grown = scratch.grown;
    grown.clear();
    for (const Translation& offset : offsets)
      for (int64_t index = 0; index < factors[k]; ++index) {
        Translation child = offset;
        for (int r = 0; r < ranks; ++r) child[r] += index * steps[k][r];
        grown.push_back(child);
      }
    std::sort(grown.begin(), grown.end());
    grown.erase(std::unique(grown.begin(), grown.end()), grown.end());
    std::swap(offsets, grown);
  }
  return static_cast<int64_t>(offsets.size());
}

int64_t DistinctChildOffsets(const LoopNest& nest, int level, int data_space) {
  TileScratch scratch;
  return DistinctChildOffsets(nest, level, data_space, scratch);
}

void PartitionSizes(const LoopNest& nest, int data_space, const std::vector<DataBox>& tiles,
                    std::vector<int64_t>& partition) {
  const int levels = nest.levels();
  const int data_spaces = static_cast<int>(nest.workload().data_spaces.size());
  partition.assign(levels, 0);
  int64_t size = tiles[(levels - 1) * data_spaces + data_space].Size();
  partition[levels - 1] = size;
  for (int level = levels - 2; level >= 0; --level) {
    if (nest.SpatialFanout(level + 1) > 1)
      size = size * tiles[level * data_spaces + data_space].Size() /
             nest.Project(data_space, nest.FanoutExtent(level + 1)).Size();
    partition[level] = size;
  }
}

void ProjectTiles(const LoopNest& nest, std::vector<DataBox>& tiles) {
  const int data_spaces = static_cast<int>(nest.workload().data_spaces.size());
  tiles.resize(static_cast<size_t>(nest.levels()) * data_spaces);
  for (int level = 0; level < nest.levels(); ++level)
    for (int d = 0; d < data_spaces; ++d)
      tiles[level * data_spaces + d] = nest.Project(d, nest.TileExtent(level));
}

}  // namespace cyclops::analysis
