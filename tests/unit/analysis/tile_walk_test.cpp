// TileDeltas folds the walk over the loops above a level (linear instead of 2^loops tiles). Here it is
// checked against the plain walk: every sampled tile, in order, through TileReuse with real boxes, on
// seeded random conv2d mappings (strided inputs, so tiles overlap, shift along two ranks, or stay).
// DistinctChildOffsets (which counts per rank when it can) is checked against every child's offset
// enumerated and counted, on mappings with several spatial loops per level, including a data space one
// of whose dimensions moves two ranks at once.
#include <gtest/gtest.h>

#include <random>
#include <set>

#include "sim/analysis/box_reuse.h"
#include "sim/analysis/tile_analysis.h"

namespace cyclops::analysis {
namespace {

// Iterations 0 and 1 of every temporal loop above `level` (1 weighted by factor − 1), Timeloop-style.
struct PlainWalk {
  const LoopNest& nest;
  int level;
  std::vector<int> outer;  // outermost first
  std::vector<int64_t> origin;
  std::vector<TileReuse> reuse;
  std::vector<int64_t> totals;

  void Visit(size_t depth, int64_t weight) {
    if (depth == outer.size()) {
      for (size_t d = 0; d < reuse.size(); ++d)
        totals[d] +=
            weight * reuse[d].Next(nest.Project(static_cast<int>(d), origin, nest.TileExtent(level))).size;
      return;
    }
    const Loop& loop = nest.loops()[outer[depth]];
    Visit(depth + 1, weight);
    origin[loop.dimension] += loop.stride;
    Visit(depth + 1, weight * (loop.factor - 1));
    origin[loop.dimension] -= loop.stride;
  }
};

// Every iteration of every temporal loop above `level`, in order, as the hardware walks them.
struct ExactWalk {
  const LoopNest& nest;
  int level;
  std::vector<int> outer;  // outermost first
  std::vector<int64_t> origin;
  std::vector<TileReuse> reuse;
  std::vector<int64_t> totals;

  void Visit(size_t depth) {
    if (depth == outer.size()) {
      for (size_t d = 0; d < reuse.size(); ++d)
        totals[d] += reuse[d].Next(nest.Project(static_cast<int>(d), origin, nest.TileExtent(level))).size;
      return;
    }
    const Loop& loop = nest.loops()[outer[depth]];
    for (int64_t i = 0; i < loop.factor; ++i) {
      origin[loop.dimension] += i * loop.stride;
      Visit(depth + 1);
      origin[loop.dimension] -= i * loop.stride;
    }
  }
};

// A walk of either kind over the temporal loops above `level`, ready to visit (outermost first).
template <typename Walk>
Walk MakeWalk(const LoopNest& nest, int level) {
  const size_t spaces = nest.workload().data_spaces.size();
  Walk walk{nest,
            level,
            {},
            std::vector<int64_t>(nest.workload().dimensions.size(), 0),
            std::vector<TileReuse>(spaces),
            std::vector<int64_t>(spaces, 0)};
  for (int i = static_cast<int>(nest.loops().size()) - 1; i >= nest.EndLoop(level); --i)
    if (!nest.loops()[i].spatial) walk.outer.push_back(i);
  return walk;
}

std::vector<int64_t> ExactTileDeltas(const LoopNest& nest, int level) {
  ExactWalk walk = MakeWalk<ExactWalk>(nest, level);
  walk.Visit(0);
  return walk.totals;
}

std::vector<int64_t> PlainTileDeltas(const LoopNest& nest, int level) {
  PlainWalk walk = MakeWalk<PlainWalk>(nest, level);
  walk.Visit(0, 1);
  return walk.totals;
}

// Every child of `level`'s fan-out: its problem-space origin (mixed radix over the spatial loops)
// projected into `data_space`; the number of distinct ones.
int64_t PlainDistinctChildOffsets(const LoopNest& nest, int level, int data_space) {
  std::vector<int> spatial;
  int64_t children = 1;
  for (int i = nest.FirstLoop(level); i < nest.EndLoop(level); ++i)
    if (nest.loops()[i].spatial) spatial.push_back(i), children *= nest.loops()[i].factor;
  const std::vector<int64_t> unit(nest.workload().dimensions.size(), 1);
  std::set<std::vector<int64_t>> offsets;
  for (int64_t child = 0; child < children; ++child) {
    std::vector<int64_t> origin(nest.workload().dimensions.size(), 0);
    int64_t rest = child;
    for (int i : spatial) {
      const Loop& loop = nest.loops()[i];
      origin[loop.dimension] += (rest % loop.factor) * loop.stride;
      rest /= loop.factor;
    }
    const DataBox box = nest.Project(data_space, origin, unit);
    offsets.insert(std::vector<int64_t>(box.low.begin(), box.low.begin() + box.ranks));
  }
  return static_cast<int64_t>(offsets.size());
}

// C, M, R, S, P, Q; Weights[C, M, R, S], Inputs[C, stride·P + R, stride·Q + S], Outputs[M, P, Q].
spec::Workload Conv2D(std::mt19937& random) {
  spec::Workload workload;
  workload.dimensions = {"C", "M", "R", "S", "P", "Q"};
  const int64_t sizes[] = {1, 2, 3, 4, 6, 8};
  for (int d = 0; d < 6; ++d) workload.bounds.push_back(sizes[random() % 6]);
  workload.coefficient_names = {"Wstride", "Hstride"};
  workload.coefficient_values = {1 + static_cast<int64_t>(random() % 2),
                                 1 + static_cast<int64_t>(random() % 2)};
  workload.data_spaces = {{"Weights", {{{0, -1}}, {{1, -1}}, {{2, -1}}, {{3, -1}}}, false},
                          {"Inputs", {{{0, -1}}, {{4, 0}, {2, -1}}, {{5, 1}, {3, -1}}}, false},
                          {"Outputs", {{{1, -1}}, {{4, -1}}, {{5, -1}}}, true}};
  return workload;
}

// Each prime factor of each bound goes to a random level, temporal or (at levels 1 and 2) spatial;
// every level's permutations are shuffled.
spec::Mapping RandomMapping(const spec::Workload& workload, int levels, std::mt19937& random) {
  const int dims = static_cast<int>(workload.dimensions.size());
  spec::Mapping mapping;
  for (int level = 0; level < levels; ++level) {
    spec::LevelMapping& directives = mapping.levels.emplace_back();
    directives.temporal_factors.assign(dims, 1);
    directives.spatial_factors.assign(dims, 1);
    for (int d = 0; d < dims; ++d) directives.temporal_permutation.push_back(d);
    for (int i = dims - 1; i > 0; --i)
      std::swap(directives.temporal_permutation[i], directives.temporal_permutation[random() % (i + 1)]);
    directives.spatial_permutation = directives.temporal_permutation;
    directives.keep.assign(workload.data_spaces.size(), true);
  }
  for (int d = 0; d < dims; ++d)
    for (int64_t rest = workload.bounds[d], prime = 2; rest > 1;) {
      if (rest % prime != 0) {
        ++prime;
        continue;
      }
      rest /= prime;
      const int level = static_cast<int>(random() % levels);
      const bool spatial = (level == 1 || level == 2) && random() % 3 == 0;
      (spatial ? mapping.levels[level].spatial_factors : mapping.levels[level].temporal_factors)[d] *= prime;
    }
  return mapping;
}

TEST(TileWalkTest, DistinctChildOffsetsMatchEveryChildCounted) {
  std::mt19937 random(20251202);
  for (int trial = 0; trial < 300; ++trial) {
    spec::Workload workload = Conv2D(random);
    // Diagonal[P + R, P + S]: P moves both ranks, so per-rank counting does not apply.
    workload.data_spaces.push_back({"Diagonal", {{{4, -1}, {2, -1}}, {{4, -1}, {3, -1}}}, false});
    spec::Mapping mapping = RandomMapping(workload, 4, random);
    for (spec::LevelMapping& level : mapping.levels) level.keep.push_back(true);
    const LoopNest nest(workload, mapping);
    for (int level = 0; level < nest.levels(); ++level)
      for (int d = 0; d < static_cast<int>(workload.data_spaces.size()); ++d)
        ASSERT_EQ(DistinctChildOffsets(nest, level, d), PlainDistinctChildOffsets(nest, level, d))
            << "trial " << trial << " level " << level << " data space " << workload.data_spaces[d].name;
  }
}

TEST(TileWalkTest, FoldedWalkMatchesPlainWalk) {
  std::mt19937 random(20250612);
  for (int trial = 0; trial < 200; ++trial) {
    const spec::Workload workload = Conv2D(random);
    const spec::Mapping mapping = RandomMapping(workload, 4, random);
    const LoopNest nest(workload, mapping);
    for (int level = 0; level < nest.levels(); ++level)
      ASSERT_EQ(TileDeltas(nest, level), PlainTileDeltas(nest, level))
          << "trial " << trial << " level " << level;
  }
}

TEST(TileWalkTest, FoldedExactWalkMatchesEveryIterationWalked) {
  std::mt19937 random(20261202);
  for (int trial = 0; trial < 200; ++trial) {
    const spec::Workload workload = Conv2D(random);
    const spec::Mapping mapping = RandomMapping(workload, 4, random);
    const LoopNest nest(workload, mapping);
    for (int level = 0; level < nest.levels(); ++level)
      ASSERT_EQ(TileDeltas(nest, level, /*exact_walk=*/true), ExactTileDeltas(nest, level))
          << "trial " << trial << " level " << level;
  }
}

// A 1-D sliding window, Inputs[P + R], tile of width 1 at level 0 (no loops inside it); above it M = 3
// (innermost, irrelevant to Inputs: the tile stays), R = 3, then P = 4 (outermost). The hardware's tile
// visits w = p + r: p = 0: 0 1 2 | p = 1: 1 2 3 | p = 2: 2 3 4 | p = 3: 3 4 5, each one new after the
// one before: 12 refills of width 1 (M's stays refill nothing).
// Timeloop's sample runs iterations 0 and 1 of each loop (1 weighted by factor - 1). M's stay sets the
// remembered translation to 0; R's step (+1) changes it: whole tile, memory reset. For P = 0 that is
// 1 + 2 x 1 = 3. P's iteration 1 starts after R's *sampled* iteration 1 (w = 0 + 1), at w = 1 + 0: the
// same tile, translation 0 = the remembered one after M's stays, nothing to fetch; then R's step, 1.
// So P = 1 stands in for 3 iterations at 0 + 2 x 1: 3 + 3 x 2 = 9 (the real predecessor is w = 2).
TEST(TileWalkTest, SlidingWindowUnderALongerInnerLoopSampledAndWalked) {
  spec::Workload workload;
  workload.dimensions = {"M", "R", "P"};
  workload.bounds = {3, 3, 4};
  workload.data_spaces = {{"Inputs", {{{2, -1}, {1, -1}}}, false}};
  spec::Mapping mapping;
  for (int level = 0; level < 2; ++level) {
    spec::LevelMapping& directives = mapping.levels.emplace_back();
    directives.temporal_factors = level == 0 ? std::vector<int64_t>{1, 1, 1} : std::vector<int64_t>{3, 3, 4};
    directives.spatial_factors = {1, 1, 1};
    directives.temporal_permutation = {0, 1, 2};  // M innermost, then R, then P
    directives.spatial_permutation = {0, 1, 2};
    directives.keep = {true};
  }
  const LoopNest nest(workload, mapping);
  EXPECT_EQ(TileDeltas(nest, 0, /*exact_walk=*/false), std::vector<int64_t>{9});
  EXPECT_EQ(TileDeltas(nest, 0, /*exact_walk=*/true), std::vector<int64_t>{12});
}

}  // namespace
}  // namespace cyclops::analysis
