// The mapspace: factor-space sizes worked out by hand, and samples that always obey the constraints.
#include "sim/mapping/mapspace.h"

#include <gtest/gtest.h>

#include <set>

#include "sim/mapping/mapper.h"
#include "sim/spec/loader.h"
#include "tests/support/paths.h"

namespace cyclops::mapping {
namespace {

// Conv1D-like workload with one dimension P, one read-only and one read-write data space.
spec::Workload OneDimension(int64_t p) {
  spec::Workload workload;
  workload.dimensions = {"P"};
  workload.bounds = {p};
  workload.data_spaces = {{"Inputs", {{{0, -1}}}, false}, {"Outputs", {{{0, -1}}}, true}};
  return workload;
}

spec::Architecture TwoLevels(int64_t inner_instances) {
  spec::Architecture architecture;
  for (const char* name : {"buffer", "DRAM"}) {
    spec::StorageLevelSpec level;
    level.name = name;
    level.word_bits = level.width_bits = 8;
    architecture.storage.push_back(level);
  }
  // One buffer feeding `inner_instances` MACs along X.
  architecture.arithmetic.instances = architecture.arithmetic.mesh_x = inner_instances;
  return architecture;
}

spec::Spec Tutorial06() {
  // The tutorial's own architecture file: its constraints are written on the components (v0.4 form).
  const std::string base = test::ReferenceDir() + "/timeloop/tutorial-06-mapper-convlayer-eyeriss/";
  return spec::LoadSpecFiles({base + "arch/eyeriss_like.yaml", base + "prob/VGG02_layer5.yaml"});
}

TEST(MapSpaceTest, CountsOrderedFactorisations) {
  // 4 over 2 slots: 1×4, 2×2, 4×1.
  EXPECT_EQ(CountFactorSplits(4, 2), 3);
  // 12 = 2²·3 over 3 slots: the two 2s in C(2+2, 2) = 6 ways, the 3 in 3 ways → 18.
  EXPECT_EQ(CountFactorSplits(12, 3), 18);
  // 256 = 2⁸ over 9 slots: C(8+8, 8) = 12870.
  EXPECT_EQ(CountFactorSplits(256, 9), 12870);
  EXPECT_EQ(CountFactorSplits(7, 1), 1);
  EXPECT_EQ(CountFactorSplits(1, 5), 1);
  EXPECT_EQ(PrimeFactors(56), (std::vector<int64_t>{2, 2, 2, 7}));
}

TEST(MapSpaceTest, SamplesEveryTemporalSplitOfATinyProblem) {
  // P=4 over two levels without fan-out: only temporal slots, so the splits (inner, outer) are exactly
  // (1,4), (2,2), (4,1) — each drawn with probability 1/3.
  const spec::Workload workload = OneDimension(4);
  const spec::Architecture architecture = TwoLevels(1);
  const MapSpace space(architecture, workload);
  EXPECT_EQ(space.FreeSlots(0), 2);
  EXPECT_EQ(CountFactorSplits(space.Residual(0), space.FreeSlots(0)), 3);
  std::mt19937_64 rng(7);
  std::set<std::pair<int64_t, int64_t>> seen;
  for (int i = 0; i < 300; ++i) {
    std::optional<spec::Mapping> mapping = space.Sample(rng);
    ASSERT_TRUE(mapping);
    EXPECT_EQ(mapping->levels[0].spatial_factors[0], 1);
    seen.insert({mapping->levels[0].temporal_factors[0], mapping->levels[1].temporal_factors[0]});
    EXPECT_TRUE(mapping->levels[1].keep[0] && mapping->levels[1].keep[1]);  // DRAM keeps everything
  }
  EXPECT_EQ(seen, (std::set<std::pair<int64_t, int64_t>>{{1, 4}, {2, 2}, {4, 1}}));
}

TEST(MapSpaceTest, FanOutAddsSpatialSlotsAndCapsThem) {
  // P=4 over two levels, the buffer feeding 2 MACs: slots are buffer temporal t0, buffer spatial s0
  // (at most 2) and DRAM temporal t1. Splits (t0, s0, t1) of 4: (4,1,1) (1,4,1) (1,1,4) (2,2,1) (2,1,2)
  // (1,2,2) = 6; (1,4,1) overflows the fan-out, so 5 remain.
  const spec::Workload workload = OneDimension(4);
  const spec::Architecture architecture = TwoLevels(2);
  const MapSpace space(architecture, workload);
  EXPECT_EQ(space.FanOutX(0), 2);
  EXPECT_EQ(space.FanOutY(0), 1);
  EXPECT_EQ(space.FreeSlots(0), 3);
  EXPECT_EQ(CountFactorSplits(4, 3), 6);
  std::mt19937_64 rng(3);
  std::set<std::vector<int64_t>> seen;
  for (int i = 0; i < 500; ++i) {
    std::optional<spec::Mapping> mapping = space.Sample(rng);
    ASSERT_TRUE(mapping);
    EXPECT_EQ(space.Violation(*mapping), "");
    seen.insert({mapping->levels[0].temporal_factors[0], mapping->levels[0].spatial_factors[0],
                 mapping->levels[1].temporal_factors[0]});
  }
  EXPECT_EQ(seen.size(), 5u);
  EXPECT_FALSE(seen.count({1, 4, 1}));
}

TEST(MapSpaceTest, Tutorial06SamplesObeyTheConstraints) {
  const spec::Spec spec = Tutorial06();
  const spec::Architecture& architecture = *spec.architecture;
  const spec::Workload& workload = *spec.workload;
  ASSERT_FALSE(architecture.constraints.empty());
  const MapSpace space(architecture, workload);
  // Eyeriss: 1 → 14 columns (X) at inter_PE_column_spatial, 14 → 168 PEs (12 per column, Y) below
  // inter_PE_spatial; no fan-out below the spads.
  const int column = architecture.StorageIndex("inter_PE_column_spatial");
  const int pe = architecture.StorageIndex("inter_PE_spatial");
  EXPECT_EQ(space.FanOutX(column), 14);
  EXPECT_EQ(space.FanOutY(column), 1);
  EXPECT_EQ(space.FanOutX(pe), 1);
  EXPECT_EQ(space.FanOutY(pe), 12);
  // M is free at psum_spad (temporal), both fan-outs, shared_glb and DRAM: 5 slots.
  EXPECT_EQ(space.FreeSlots(workload.DimensionIndex("M")), 5);
  // P is fixed to 1 everywhere but shared_glb and DRAM.
  EXPECT_EQ(space.FreeSlots(workload.DimensionIndex("P")), 2);
  std::mt19937_64 rng(11);
  for (int i = 0; i < 2000; ++i) {
    std::optional<spec::Mapping> mapping = space.Sample(rng);
    ASSERT_TRUE(mapping);
    ASSERT_EQ(space.Violation(*mapping), "") << "sample " << i;
    // Independent checks of two constraints, read off the YAML by hand: weights_spad keeps only
    // Weights; shared_glb bypasses Weights; the PE array's spatial Q factor is 1 (factors N=1,P=1,Q=1,R=1).
    const int weights = workload.DataSpaceIndex("Weights");
    const int w_spad = architecture.StorageIndex("weights_spad");
    EXPECT_TRUE(mapping->levels[w_spad].keep[weights]);
    EXPECT_FALSE(mapping->levels[w_spad].keep[workload.DataSpaceIndex("Inputs")]);
    EXPECT_FALSE(mapping->levels[architecture.StorageIndex("shared_glb")].keep[weights]);
    EXPECT_EQ(mapping->levels[pe].spatial_factors[workload.DimensionIndex("Q")], 1);
    for (size_t d = 0; d < workload.dimensions.size(); ++d) {
      int64_t product = 1;
      for (const spec::LevelMapping& level : mapping->levels)
        product *= level.temporal_factors[d] * level.spatial_factors[d];
      EXPECT_EQ(product, workload.bounds[d]);
    }
  }
}

// The mapper samples into one reused mapping and mutates it in place: a reused mapping must come out as
// a fresh one would, and a move that fails must leave the mapping exactly as it was.
bool SameMapping(const spec::Mapping& a, const spec::Mapping& b) {
  if (a.levels.size() != b.levels.size()) return false;
  for (size_t i = 0; i < a.levels.size(); ++i) {
    const spec::LevelMapping& x = a.levels[i];
    const spec::LevelMapping& y = b.levels[i];
    if (x.temporal_factors != y.temporal_factors || x.temporal_permutation != y.temporal_permutation ||
        x.spatial_factors != y.spatial_factors || x.spatial_permutation != y.spatial_permutation ||
        x.spatial_split != y.spatial_split || x.keep != y.keep ||
        x.temporal_residuals != y.temporal_residuals || x.spatial_residuals != y.spatial_residuals)
      return false;
  }
  return true;
}

TEST(MapSpaceTest, ReusedSamplesEqualFreshOnes) {
  const spec::Spec spec = Tutorial06();
  const MapSpace space(*spec.architecture, *spec.workload);
  std::mt19937_64 fresh_rng(3), reused_rng(3);
  spec::Mapping reused;
  for (int i = 0; i < 500; ++i) {
    const std::optional<spec::Mapping> fresh = space.Sample(fresh_rng);
    ASSERT_EQ(space.SampleInto(reused_rng, reused), fresh.has_value());
    if (fresh) {
      ASSERT_TRUE(SameMapping(*fresh, reused)) << "sample " << i;
    }
  }
  EXPECT_EQ(fresh_rng(), reused_rng());  // and the same draws were made
}

TEST(MapSpaceTest, FailedMoveLeavesTheMappingAsItWas) {
  const spec::Spec spec = Tutorial06();
  const MapSpace space(*spec.architecture, *spec.workload);
  std::mt19937_64 rng(9);
  spec::Mapping mapping = *space.Sample(rng);
  int failed = 0, moved = 0;
  for (int i = 0; i < 3000; ++i) {
    const spec::Mapping before = mapping;
    if (space.MutateInPlace(mapping, rng)) {
      ++moved;
      EXPECT_EQ(space.Violation(mapping), "");
      EXPECT_FALSE(SameMapping(before, mapping)) << "move " << i << " reported a change it did not make";
    } else {
      ++failed;
      ASSERT_TRUE(SameMapping(before, mapping)) << "move " << i;
    }
  }
  EXPECT_GT(failed, 100);
  EXPECT_GT(moved, 100);
}

// Imperfect factors (Timeloop v3's Ruby mapspace): P = 7 (a prime) over two temporal levels. Perfect
// factors give only (1, 7) and (7, 1); imperfect ones give every inner factor f in 1..7 with the outer
// ceil(7 / f) and the inner loop's residual 7 − (outer − 1) × f (Timeloop's rule, worked out by hand):
// (2, 4) runs 2, 2, 2, 1; (3, 3) runs 3, 3, 1; (4, 2) runs 4, 3; (5, 2) runs 5, 2; (6, 2) runs 6, 1.
TEST(MapSpaceTest, ImperfectSamplesTileAPrimeEveryWay) {
  const spec::Workload workload = OneDimension(7);
  const spec::Architecture architecture = TwoLevels(1);
  const MapSpace perfect(architecture, workload);
  const MapSpace imperfect(architecture, workload, /*imperfect=*/true);
  std::mt19937_64 rng(5);
  std::set<std::vector<int64_t>> seen_perfect, seen;
  for (int i = 0; i < 400; ++i) {
    const std::optional<spec::Mapping> p = perfect.Sample(rng);
    ASSERT_TRUE(p);
    EXPECT_FALSE(p->Imperfect());
    seen_perfect.insert({p->levels[0].temporal_factors[0], p->levels[1].temporal_factors[0]});
    const std::optional<spec::Mapping> m = imperfect.Sample(rng);
    ASSERT_TRUE(m);
    ASSERT_EQ(imperfect.Violation(*m), "") << "sample " << i;
    EXPECT_NE(perfect.Violation(*m).empty(), m->Imperfect());  // the perfect mapspace refuses residuals
    seen.insert({m->levels[0].temporal_factors[0], m->levels[0].TemporalResidual(0),
                 m->levels[1].temporal_factors[0], m->levels[1].TemporalResidual(0)});
  }
  EXPECT_EQ(seen_perfect, (std::set<std::vector<int64_t>>{{1, 7}, {7, 1}}));
  EXPECT_EQ(
      seen,
      (std::set<std::vector<int64_t>>{
          {1, 1, 7, 7}, {2, 1, 4, 4}, {3, 1, 3, 3}, {4, 3, 2, 2}, {5, 2, 2, 2}, {6, 1, 2, 2}, {7, 7, 1, 1}}));
}

TEST(MapSpaceTest, ImperfectMovesStayLegalOrChangeNothing) {
  const spec::Spec spec = Tutorial06();
  const MapSpace space(*spec.architecture, *spec.workload, /*imperfect=*/true);
  std::mt19937_64 rng(13);
  spec::Mapping mapping = *space.Sample(rng);
  int failed = 0, moved = 0, imperfect = 0;
  for (int i = 0; i < 3000; ++i) {
    const spec::Mapping before = mapping;
    if (space.MutateInPlace(mapping, rng)) {
      ++moved;
      ASSERT_EQ(space.Violation(mapping), "") << "move " << i;
      imperfect += mapping.Imperfect();
    } else {
      ++failed;
      ASSERT_TRUE(SameMapping(before, mapping)) << "move " << i;
      ASSERT_EQ(before.Imperfect(), mapping.Imperfect());
    }
  }
  EXPECT_GT(failed, 100);
  EXPECT_GT(moved, 100);
  EXPECT_GT(imperfect, 100);  // the climb does reach imperfect mappings
}

TEST(MapSpaceTest, ImperfectSearchSplitsAPrimeOverTheArray) {
  // P = 7 on 2 MACs: perfect factors cannot split a prime over 2 (spatial 7 overflows, so 7 cycles on one
  // MAC); imperfect ones run "P=2,1" across the MACs inside 4 temporal steps: ceil(7 / 2) = 4 cycles.
  const spec::Workload workload = OneDimension(7);
  const spec::Architecture architecture = TwoLevels(2);
  MapperOptions options;
  options.objective = Objective::kLatency;
  options.evaluations = 400;
  options.threads = 1;
  const MapperResult perfect = SearchMappings(architecture, workload, nullptr, options);
  ASSERT_FALSE(perfect.best.empty());
  EXPECT_EQ(perfect.best.front().result.cycles, 7);
  options.imperfect = true;
  const MapperResult imperfect = SearchMappings(architecture, workload, nullptr, options);
  ASSERT_FALSE(imperfect.best.empty());
  EXPECT_EQ(imperfect.best.front().result.cycles, 4);
  EXPECT_EQ(imperfect.best.front().result.arithmetic.utilized_instances, 2);
  EXPECT_TRUE(imperfect.best.front().mapping.Imperfect());
}

TEST(MapSpaceTest, ViolationNamesABrokenConstraint) {
  const spec::Spec spec = Tutorial06();
  const MapSpace space(*spec.architecture, *spec.workload);
  std::mt19937_64 rng(5);
  spec::Mapping mapping = *space.Sample(rng);
  const int w_spad = spec.architecture->StorageIndex("weights_spad");
  mapping.levels[w_spad].keep[spec.workload->DataSpaceIndex("Outputs")] = true;  // constraint bypasses it
  EXPECT_NE(space.Violation(mapping).find("keep/bypass of Outputs"), std::string::npos);
}

}  // namespace
}  // namespace cyclops::mapping
