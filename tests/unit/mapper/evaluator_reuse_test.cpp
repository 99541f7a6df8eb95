// The mapper evaluates every candidate with one analysis::Evaluator per stream, reusing its working storage
// and the result's. Whatever the previous mappings left behind, each evaluation must equal a fresh
// analysis::Analyze of that mapping alone, figure for figure, and a mapping whose tiles do not fit must be
// refused with Analyze's own error. Checked on tutorial-06's mapspace: samples and their neighbours.
#include <gtest/gtest.h>

#include <random>

#include "sim/analysis/analysis.h"
#include "sim/core/error.h"
#include "sim/mapping/mapspace.h"
#include "sim/spec/loader.h"
#include "tests/support/paths.h"

namespace cyclops::mapping {
namespace {

void ExpectSame(const analysis::AnalysisResult& fresh, const analysis::AnalysisResult& reused) {
  EXPECT_EQ(fresh.cycles, reused.cycles);
  EXPECT_EQ(fresh.utilization, reused.utilization);
  EXPECT_EQ(fresh.energy_pj, reused.energy_pj);
  EXPECT_EQ(fresh.pj_per_compute, reused.pj_per_compute);
  EXPECT_EQ(fresh.bottleneck, reused.bottleneck);
  EXPECT_EQ(fresh.arithmetic.name, reused.arithmetic.name);
  EXPECT_EQ(fresh.arithmetic.utilized_instances, reused.arithmetic.utilized_instances);
  EXPECT_EQ(fresh.arithmetic.computes, reused.arithmetic.computes);
  EXPECT_EQ(fresh.arithmetic.cycles, reused.arithmetic.cycles);
  EXPECT_EQ(fresh.arithmetic.energy_pj, reused.arithmetic.energy_pj);
  ASSERT_EQ(fresh.storage.size(), reused.storage.size());
  for (size_t level = 0; level < fresh.storage.size(); ++level) {
    const analysis::StorageLevelResult& a = fresh.storage[level];
    const analysis::StorageLevelResult& b = reused.storage[level];
    EXPECT_EQ(a.name, b.name);
    EXPECT_EQ(a.cycles, b.cycles);
    EXPECT_EQ(a.utilized_instances, b.utilized_instances);
    EXPECT_EQ(a.leakage_energy_pj, b.leakage_energy_pj);
    EXPECT_EQ(a.energy_pj, b.energy_pj);
    EXPECT_EQ(a.loop_nest, b.loop_nest);
    ASSERT_EQ(a.data_spaces.size(), b.data_spaces.size());
    for (size_t d = 0; d < a.data_spaces.size(); ++d) {
      const analysis::DataSpaceAccesses& x = a.data_spaces[d];
      const analysis::DataSpaceAccesses& y = b.data_spaces[d];
      SCOPED_TRACE(a.name + " data space " + std::to_string(d));
      EXPECT_EQ(x.kept, y.kept);
      EXPECT_EQ(x.partition_size, y.partition_size);
      EXPECT_EQ(x.utilized_capacity, y.utilized_capacity);
      EXPECT_EQ(x.utilized_instances, y.utilized_instances);
      EXPECT_EQ(x.utilized_clusters, y.utilized_clusters);
      EXPECT_EQ(x.reads, y.reads);
      EXPECT_EQ(x.fills, y.fills);
      EXPECT_EQ(x.updates, y.updates);
      EXPECT_EQ(x.temporal_reductions, y.temporal_reductions);
      EXPECT_EQ(x.address_generations, y.address_generations);
      EXPECT_EQ(x.energy_per_instance_pj, y.energy_per_instance_pj);
      EXPECT_EQ(x.energy_total_pj, y.energy_total_pj);
      EXPECT_EQ(x.read_bandwidth, y.read_bandwidth);
      EXPECT_EQ(x.write_bandwidth, y.write_bandwidth);
    }
  }
}

TEST(EvaluatorReuseTest, EveryEvaluationEqualsAFreshAnalysis) {
  const std::string base = test::ReferenceDir() + "/timeloop/tutorial-06-mapper-convlayer-eyeriss/";
  const spec::Spec spec =
      spec::LoadSpecFiles({base + "arch/eyeriss_like.yaml", base + "prob/VGG02_layer5.yaml",
                           base + "ref-output/timeloop-mapper.ERT.yaml"});
  const MapSpace space(*spec.architecture, *spec.workload);
  analysis::Evaluator evaluator(*spec.architecture, *spec.workload, &*spec.energy);
  analysis::AnalysisResult reused;
  std::mt19937_64 rng(5);
  int fitting = 0, refused = 0;
  std::optional<spec::Mapping> mapping;
  for (int i = 0; i < 400; ++i) {
    // Alternately a fresh sample and a neighbour of the last mapping, so consecutive mappings differ
    // a little (a neighbour) or a lot (a sample).
    std::optional<spec::Mapping> next = i % 2 && mapping ? space.Mutate(*mapping, rng) : space.Sample(rng);
    if (!next) continue;
    mapping = std::move(next);
    const bool describe = i % 3 != 0;
    const bool fits = evaluator.Evaluate(*mapping, reused, describe);
    try {
      const analysis::AnalysisResult fresh =
          analysis::Analyze(*spec.architecture, *spec.workload, *mapping, &*spec.energy);
      ASSERT_TRUE(fits) << "mapping " << i << " fits a fresh analysis, not the reused one";
      if (!describe) evaluator.Describe(reused);
      ExpectSame(fresh, reused);
      ++fitting;
    } catch (const SpecError& error) {
      ASSERT_FALSE(fits) << "mapping " << i << ": " << error.what();
      try {
        evaluator.ThrowCapacityError(*mapping);
        FAIL() << "no error thrown";
      } catch (const SpecError& same) {
        EXPECT_STREQ(same.what(), error.what());
      }
      ++refused;
    }
  }
  // Both kinds were seen, often.
  EXPECT_GT(fitting, 50);
  EXPECT_GT(refused, 50);
}

}  // namespace
}  // namespace cyclops::mapping
