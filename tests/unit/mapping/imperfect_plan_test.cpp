// The rule the simulator runs imperfect factors by (LayerPlan::imperfect, ClippedExtent): the loops of one
// dimension with factors f and residuals r (spec/specs.h: a loop runs its residual when every loop of its
// dimension outside it is at its last iteration, bound − 1 = Σ (r − 1) × (product of the factors inside))
// visit exactly the points of the perfect super-nest of the factors that lie below the bound, in the same
// order. Checked on every split of every bound up to 4 × 3 × 4 over three loops, against a direct walk of
// the residual rule.
#include <gtest/gtest.h>

#include <functional>

#include "sim/analysis/analysis.h"
#include "sim/mapping/layer_plan.h"
#include "sim/mapping/resource_estimate.h"
#include "sim/spec/loader.h"
#include "sim/spec/specs.h"
#include "tests/support/paths.h"

namespace cyclops::mapping {
namespace {

// The residual rule walked as written: outermost loop first; a loop whose outer loops all stand at their
// last iteration runs its residual, else its factor.
std::vector<int64_t> ResidualWalk(const std::vector<int64_t>& factors,
                                  const std::vector<int64_t>& residuals) {
  std::vector<int64_t> points;
  const int loops = static_cast<int>(factors.size());  // innermost first
  std::function<void(int, bool, int64_t, int64_t)> walk = [&](int l, bool at_last, int64_t base,
                                                              int64_t stride) {
    if (l < 0) {
      points.push_back(base);
      return;
    }
    int64_t inner = 1;
    for (int k = 0; k < l; ++k) inner *= factors[k];
    const int64_t runs = at_last ? residuals[l] : factors[l];
    for (int64_t i = 0; i < runs; ++i) walk(l - 1, at_last && i == runs - 1, base + i * inner, stride);
  };
  walk(loops - 1, true, 0, 1);
  return points;
}

// The super-nest: every point of the factors' mixed radix in order, kept where ClippedExtent leaves it.
std::vector<int64_t> ClippedSuperNest(const std::vector<int64_t>& factors, int64_t bound) {
  int64_t total = 1;
  for (int64_t f : factors) total *= f;
  std::vector<int64_t> points, clipped;
  for (int64_t p = 0; p < total; ++p)
    if (ClippedExtent({bound}, {p}, {1}, clipped)) points.push_back(p);
  return points;
}

TEST(ImperfectPlanTest, ResidualRuleIsTheSuperNestClippedAtTheBound) {
  int cases = 0, imperfect = 0;
  for (int64_t f0 = 1; f0 <= 4; ++f0)
    for (int64_t f1 = 1; f1 <= 3; ++f1)
      for (int64_t f2 = 1; f2 <= 4; ++f2) {
        const std::vector<int64_t> factors = {f0, f1, f2};  // innermost first
        for (int64_t bound = 1; bound <= f0 * f1 * f2; ++bound) {
          // The residuals the spec's formula gives: bound − 1 in the factors' mixed radix, plus one.
          std::vector<int64_t> residuals(3);
          int64_t rest = bound - 1;
          for (int l = 0; l < 3; ++l) residuals[l] = rest % factors[l] + 1, rest /= factors[l];
          ASSERT_EQ(rest, 0);
          // The spec's Bound agrees (one loop per level, innermost level first).
          spec::Mapping mapping;
          for (int l = 0; l < 3; ++l) {
            spec::LevelMapping level;
            level.temporal_factors = {factors[l]};
            level.temporal_residuals = {residuals[l]};
            level.spatial_factors = {1};
            mapping.levels.push_back(level);
          }
          ASSERT_EQ(mapping.Bound(0), bound);
          SCOPED_TRACE(std::to_string(f0) + " " + std::to_string(f1) + " " + std::to_string(f2) + " bound " +
                       std::to_string(bound));
          const std::vector<int64_t> walked = ResidualWalk(factors, residuals);
          EXPECT_EQ(walked, ClippedSuperNest(factors, bound));
          EXPECT_EQ(static_cast<int64_t>(walked.size()), bound);
          ++cases;
          imperfect += mapping.Imperfect();
        }
      }
  EXPECT_GT(cases, 100);
  EXPECT_GT(imperfect, 50);
}

TEST(ImperfectPlanTest, ClippedExtentCutsTheHighSideOnly) {
  std::vector<int64_t> clipped;
  ASSERT_TRUE(ClippedExtent({27, 5}, {14, 0}, {14, 5}, clipped));
  EXPECT_EQ(clipped, (std::vector<int64_t>{13, 5}));                // the second strip of 27 = 14 + 13
  EXPECT_FALSE(ClippedExtent({27, 5}, {28, 0}, {14, 5}, clipped));  // past the bound: nothing to do
  EXPECT_FALSE(ClippedExtent({27, 5}, {0, 5}, {14, 1}, clipped));
}

TEST(ImperfectPlanTest, ResourceEstimateCountsTheLayersMacsAndTheSuperNestsBursts) {
  // tests/system/simulation/data/imperfect_conv27.yaml: P = 27 as P=14,13 under DRAM's P = 2, R = 3 in
  // the register files, 4 × 2 PEs. MACs: 4 × 2 × 3 × 27 = 648 (not the super-nest's 4 × 2 × 3 × 28); the PEs
  // step through the super-nest: bursts of R 3 × P 14, 2 per PE, 16 in all (the last one's P cut to 13).
  const spec::Spec spec =
      spec::LoadSpecFiles({test::SourceDir() + "/configs/workloads/synthetic/small_array.yaml",
                           test::SourceDir() + "/tests/system/simulation/data/imperfect_conv27.yaml"});
  ASSERT_TRUE(spec.mapping->Imperfect());
  const analysis::AnalysisResult analysis =
      analysis::Analyze(*spec.architecture, *spec.workload, *spec.mapping, nullptr);
  const ResourceEstimate estimate =
      EstimateLayerRun(*spec.architecture, *spec.workload, *spec.mapping, analysis, /*with_noc=*/false);
  EXPECT_EQ(estimate.macs, 648);
  EXPECT_EQ(estimate.pes, 8);
  EXPECT_EQ(estimate.bursts, 16);
  EXPECT_EQ(estimate.analytical_cycles, analysis.cycles);
  const LayerPlan plan(*spec.architecture, *spec.workload, *spec.mapping);
  EXPECT_TRUE(plan.imperfect());
}

}  // namespace
}  // namespace cyclops::mapping
