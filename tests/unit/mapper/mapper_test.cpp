// The mapper on Eyeriss (Timeloop tutorial 06): determinism, a floor set by a trivial mapping, the
// written YAML read back, and how close the search gets to Timeloop's own mapper.
#include "sim/mapping/mapper.h"

#include <gtest/gtest.h>

#include <cstdio>

#include "sim/mapping/mapping_yaml.h"
#include "sim/mapping/mapspace.h"
#include "sim/spec/loader.h"
#include "tests/support/paths.h"

namespace cyclops::mapping {
namespace {

std::string Tutorial06Dir() {
  return test::ReferenceDir() + "/timeloop/tutorial-06-mapper-convlayer-eyeriss/ref-output/";
}

spec::Spec Tutorial06(bool with_timeloop_mapping = false) {
  // The tutorial's own architecture file: its constraints are written on the components (v0.4 form).
  const std::string base = test::ReferenceDir() + "/timeloop/tutorial-06-mapper-convlayer-eyeriss/";
  std::vector<std::string> files = {base + "arch/eyeriss_like.yaml", base + "prob/VGG02_layer5.yaml",
                                    Tutorial06Dir() + "timeloop-mapper.ERT.yaml"};
  if (with_timeloop_mapping) files.push_back(Tutorial06Dir() + "timeloop-mapper.map.yaml");
  return spec::LoadSpecFiles(files);
}

MapperResult Search(const spec::Spec& spec, uint64_t seed, int64_t evaluations, int threads) {
  MapperOptions options;
  options.seed = seed;
  options.evaluations = evaluations;
  options.threads = threads;
  options.top = 3;
  return SearchMappings(*spec.architecture, *spec.workload, &*spec.energy, options);
}

// Every loop at the outermost level, every real level keeping everything: each inner tile is one value
// per data space, which fits any buffer, so the mapping is always legal (constraints aside).
spec::Mapping TrivialMapping(const spec::Architecture& architecture, const spec::Workload& workload) {
  const size_t dims = workload.dimensions.size();
  spec::Mapping mapping;
  for (const spec::StorageLevelSpec& level : architecture.storage) {
    spec::LevelMapping level_mapping;
    level_mapping.temporal_factors.assign(dims, 1);
    level_mapping.spatial_factors.assign(dims, 1);
    for (size_t d = 0; d < dims; ++d) level_mapping.temporal_permutation.push_back(static_cast<int>(d));
    level_mapping.spatial_permutation = level_mapping.temporal_permutation;
    level_mapping.spatial_split = static_cast<int>(dims);
    level_mapping.keep.assign(workload.data_spaces.size(), !level.is_dummy);
    mapping.levels.push_back(level_mapping);
  }
  mapping.levels.back().temporal_factors = workload.bounds;
  return mapping;
}

TEST(MapperTest, CanonicalKeyListsTheLoopsThatIterate) {
  // Two levels of conv1d (R, P): the inner one runs P=4 then R=3 (innermost first) and bypasses Weights;
  // the outer one runs P=2 with R's 1-iteration loop before it, and fans P out 2 wide along Y. The key
  // writes per level "T" and its loops whose factor is not 1 in order, "S" and the spatial ones with
  // their side, "K" and the keep bits; the 1-iteration loops leave no trace.
  spec::Workload workload;
  workload.dimensions = {"R", "P"};
  workload.bounds = {3, 16};
  workload.data_spaces = {{"Weights", {{{0, -1}}}, false},
                          {"Inputs", {{{0, -1}, {1, -1}}}, false},
                          {"Outputs", {{{1, -1}}}, true}};
  spec::Mapping mapping;
  spec::LevelMapping inner;
  inner.temporal_factors = {3, 4};
  inner.temporal_permutation = {1, 0};
  inner.spatial_factors = {1, 1};
  inner.spatial_permutation = {0, 1};
  inner.keep = {false, true, true};
  spec::LevelMapping outer;
  outer.temporal_factors = {1, 2};
  outer.temporal_permutation = {0, 1};
  outer.spatial_factors = {1, 2};
  outer.spatial_permutation = {0, 1};
  outer.spatial_split = 1;
  outer.keep = {true, true, true};
  mapping.levels = {inner, outer};
  EXPECT_EQ(CanonicalKey(workload, mapping), "T P4 R3 S K011|T P2 S yP2 K111|");
  std::string reused = "left over from before";
  CanonicalKey(workload, mapping, reused);
  EXPECT_EQ(reused, "T P4 R3 S K011|T P2 S yP2 K111|");
}

TEST(MapperTest, SameSeedSameChoiceWhateverTheThreads) {
  const spec::Spec spec = Tutorial06();
  const MapperResult first = Search(spec, 42, 3000, 2);
  const MapperResult second = Search(spec, 42, 3000, 2);
  const MapperResult one_thread = Search(spec, 42, 3000, 1);
  ASSERT_FALSE(first.best.empty());
  EXPECT_EQ(first.evaluated, 3000);
  EXPECT_EQ(first.best.front().key, second.best.front().key);
  EXPECT_EQ(first.best.front().objective, second.best.front().objective);
  EXPECT_EQ(first.valid, second.valid);
  // Streams, not threads, own the random draws, so the thread count does not matter either.
  EXPECT_EQ(first.best.front().key, one_thread.best.front().key);
  EXPECT_EQ(MappingYaml(*spec.architecture, *spec.workload, first.best.front().mapping),
            MappingYaml(*spec.architecture, *spec.workload, second.best.front().mapping));
  // A different seed explores other mappings (the top-3 lists are very unlikely to coincide).
  const MapperResult other = Search(spec, 43, 3000, 2);
  std::vector<std::string> keys_a, keys_b;
  for (const auto& c : first.best) keys_a.push_back(c.key);
  for (const auto& c : other.best) keys_b.push_back(c.key);
  EXPECT_NE(keys_a, keys_b);
}

TEST(MapperTest, TopListIsSortedDistinctAndLegal) {
  const spec::Spec spec = Tutorial06();
  const MapSpace space(*spec.architecture, *spec.workload);
  const MapperResult result = Search(spec, 7, 2000, 2);
  ASSERT_EQ(result.best.size(), 3u);
  for (size_t i = 0; i < result.best.size(); ++i) {
    EXPECT_EQ(space.Violation(result.best[i].mapping), "");
    if (i > 0) {
      EXPECT_LE(result.best[i - 1].objective, result.best[i].objective);
      EXPECT_NE(result.best[i - 1].key, result.best[i].key);
    }
  }
  EXPECT_LE(result.valid, result.evaluated);
}

TEST(MapperTest, NeverWorseThanTheTrivialMapping) {
  const spec::Spec spec = Tutorial06();
  const analysis::AnalysisResult trivial = analysis::Analyze(
      *spec.architecture, *spec.workload, TrivialMapping(*spec.architecture, *spec.workload), &*spec.energy);
  // One PE does all 924.8 M MACs one after another (bandwidth may stretch it further): at least one
  // cycle per MAC.
  EXPECT_GE(trivial.cycles, spec.workload->TotalOperations());
  const MapperResult result = Search(spec, 1, 1000, 2);
  ASSERT_FALSE(result.best.empty());
  EXPECT_LT(result.best.front().objective, ObjectiveValue(Objective::kEdp, trivial));
  EXPECT_LT(result.best.front().result.cycles, trivial.cycles);
}

TEST(MapperTest, WrittenYamlReproducesTheFigures) {
  const spec::Spec spec = Tutorial06();
  const MapperResult result = Search(spec, 3, 1000, 2);
  ASSERT_FALSE(result.best.empty());
  const MappingCandidate& best = result.best.front();
  const std::string yaml = MappingYaml(*spec.architecture, *spec.workload, best.mapping);
  const spec::Spec reread =
      spec::LoadSpecDocuments({{"arch", test::ReadFile(Tutorial06Dir() + "../arch/eyeriss_like.yaml")},
                               {"problem", test::ReadFile(Tutorial06Dir() + "../prob/VGG02_layer5.yaml")},
                               {"ert", test::ReadFile(Tutorial06Dir() + "timeloop-mapper.ERT.yaml")},
                               {"mapping.yaml", yaml}});
  ASSERT_TRUE(reread.mapping);
  const analysis::AnalysisResult again =
      analysis::Analyze(*reread.architecture, *reread.workload, *reread.mapping, &*reread.energy);
  EXPECT_EQ(again.cycles, best.result.cycles);
  EXPECT_DOUBLE_EQ(again.energy_pj, best.result.energy_pj);
  EXPECT_EQ(CanonicalKey(*spec.workload, *reread.mapping), best.key);
}

TEST(MapperTest, TimeLimitAloneStopsTheSearch) {
  const spec::Spec spec = Tutorial06();
  MapperOptions options;
  options.evaluations = 0;  // no budget: only the clock ends it
  options.time_limit_seconds = 0.2;
  options.threads = 2;
  const MapperResult result = SearchMappings(*spec.architecture, *spec.workload, &*spec.energy, options);
  EXPECT_GT(result.evaluated, 0);
  EXPECT_FALSE(result.best.empty());
  options.time_limit_seconds = 0;
  EXPECT_THROW(SearchMappings(*spec.architecture, *spec.workload, &*spec.energy, options),
               std::invalid_argument);
  EXPECT_THROW(ParseObjective("throughput"), std::invalid_argument);
}

// The search against Timeloop's mapper (random_pruned, 8 threads, stopping after 15000 evaluations
// without improvement; objective delay then energy). Both chosen mappings are scored by Cyclops'
// analytical model.
TEST(MapperTest, Tutorial06AgainstTimeloopsChoice) {
  const spec::Spec timeloop = Tutorial06(true);
  const analysis::AnalysisResult theirs =
      analysis::Analyze(*timeloop.architecture, *timeloop.workload, *timeloop.mapping, &*timeloop.energy);
  const double edp_timeloop = ObjectiveValue(Objective::kEdp, theirs);
  const spec::Spec spec = Tutorial06();
  const MapperResult result = Search(spec, 1, 20000, 2);
  ASSERT_FALSE(result.best.empty());
  const analysis::AnalysisResult& ours = result.best.front().result;
  const double ratio = result.best.front().objective / edp_timeloop;
  std::printf("tutorial-06: Timeloop's mapping: %lld cycles, %.2f uJ, EDP %.4g J*cycle\n",
              static_cast<long long>(theirs.cycles), theirs.energy_pj * 1e-6, edp_timeloop * 1e-12);
  std::printf(
      "tutorial-06: Cyclops mapper:     %lld cycles, %.2f uJ, EDP %.4g J*cycle (ratio %.3f) after "
      "%lld evaluations (%lld valid) in %.2f s\n",
      static_cast<long long>(ours.cycles), ours.energy_pj * 1e-6, result.best.front().objective * 1e-12,
      ratio, static_cast<long long>(result.evaluated), static_cast<long long>(result.valid), result.seconds);
  // The goal: within 5 % of Timeloop's choice. Seeds 1-5 at this budget all land at 0.68-0.71 (same
  // cycles, less energy: Timeloop ranks delay first and stops at its victory condition), so this holds
  // with margin; the seed and budget are fixed, so the figure itself is reproducible.
  EXPECT_LE(ratio, 1.05);
  EXPECT_EQ(ours.cycles, theirs.cycles);  // both reach full utilization of the 168 PEs
}

}  // namespace
}  // namespace cyclops::mapping
