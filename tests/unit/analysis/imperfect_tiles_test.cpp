// The imperfect-factor model (sim/analysis/imperfect_tiles.h). Two kinds of independent expectation:
//   - on perfect mappings it must give exactly the perfect model's counts (which match Timeloop's reports on
//     all 19 reference cases, tests/system/timeloop): checked on every reference case;
//   - on imperfect mappings, counts worked out by hand below (a 1-D convolution, and the JSSC plan of
//     AlexNet conv1 on Eyeriss v1: 11 × 55 strip-mined to 11 × 7).
#include "sim/analysis/imperfect_tiles.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "sim/analysis/access_counts.h"
#include "sim/analysis/analysis.h"
#include "sim/analysis/tile_analysis.h"
#include "sim/spec/loader.h"
#include "tests/support/paths.h"
#include "tests/support/test_shapes.h"

namespace cyclops::analysis {
namespace {

namespace fs = std::filesystem;

const char* const kReferenceCases[] = {"tutorial-00-model-conv1d-1level/ref-output",
                                       "tutorial-01-model-conv1d-2level/ref-output/ws",
                                       "tutorial-01-model-conv1d-2level/ref-output/os",
                                       "tutorial-02-model-conv1d+oc-2level/ref-output/no-tiling",
                                       "tutorial-02-model-conv1d+oc-2level/ref-output/tiling",
                                       "tutorial-03-model-conv1d+oc-3level/ref-output/no-bypass",
                                       "tutorial-03-model-conv1d+oc-3level/ref-output/bypass",
                                       "tutorial-04-model-conv1d+oc-3levelspatial/ref-output/cp",
                                       "tutorial-04-model-conv1d+oc-3levelspatial/ref-output/kp",
                                       "tutorial-05-mapper-conv1d+oc-3level/ref-output/freebypass",
                                       "tutorial-05-mapper-conv1d+oc-3level/ref-output/null",
                                       "tutorial-05-mapper-conv1d+oc-3level/ref-output/baked",
                                       "tutorial-06-mapper-convlayer-eyeriss/ref-output",
                                       "tutorial-07-timeloop+accelergy-eyeriss/ref-output/intmac",
                                       "tutorial-07-timeloop+accelergy-eyeriss/ref-output/fpmac",
                                       "design-eyeriss_like/default_problem",
                                       "design-simba_like/default_problem",
                                       "design-simple_weight_stationary/default_problem",
                                       "design-simple_output_stationary/default_problem"};

spec::Spec ReferenceSpec(const std::string& case_folder) {
  const fs::path folder = fs::path(test::ReferenceDir()) / "timeloop" / case_folder;
  const bool mapper = fs::exists(folder / "timeloop-mapper.stats.txt");
  std::vector<std::string> files = {(folder / "parsed-processed-input.yaml").string()};
  if (mapper) files.push_back((folder / "timeloop-mapper.map.yaml").string());
  return spec::LoadSpecFiles(files);
}

TEST(ImperfectTilesTest, PerfectMappingsGiveThePerfectModelsCountsOnEveryTimeloopCase) {
  for (const char* case_folder : kReferenceCases) {
    SCOPED_TRACE(case_folder);
    const spec::Spec spec = ReferenceSpec(case_folder);
    ASSERT_FALSE(spec.mapping->Imperfect());
    const LoopNest nest(*spec.workload, *spec.mapping);
    // The perfect model's counts, as the Evaluator computes them.
    std::vector<DataBox> tiles;
    ProjectTiles(nest, tiles);
    std::vector<StorageLevelResult> storage(spec.architecture->storage.size());
    for (StorageLevelResult& level : storage) level.data_spaces.resize(spec.workload->data_spaces.size());
    CountFootprints(*spec.architecture, *spec.mapping, tiles, storage);
    TileScratch scratch;
    std::vector<int64_t> partition;
    CountAccesses(*spec.architecture, *spec.mapping, nest, tiles, scratch, partition, storage);
    std::vector<std::vector<DataSpaceAccesses>> perfect;
    for (const StorageLevelResult& level : storage) perfect.push_back(level.data_spaces);
    const ImperfectCounts walked = CountImperfectAccesses(*spec.architecture, *spec.mapping, nest);
    EXPECT_EQ(walked.mac_instances, nest.UtilizedInstances(-1));
    EXPECT_EQ(walked.cycles, nest.TemporalIterations());
    for (size_t level = 0; level < perfect.size(); ++level) {
      EXPECT_EQ(walked.used_instances[level], nest.UtilizedInstances(static_cast<int>(level)));
      for (size_t d = 0; d < perfect[level].size(); ++d) {
        SCOPED_TRACE(spec.architecture->storage[level].name + " " + spec.workload->data_spaces[d].name);
        const DataSpaceAccesses& a = perfect[level][d];
        const DataSpaceAccesses& b = walked.accesses[level][d];
        EXPECT_EQ(b.kept, a.kept);
        EXPECT_EQ(b.reads, a.reads);
        EXPECT_EQ(b.fills, a.fills);
        EXPECT_EQ(b.updates, a.updates);
        EXPECT_EQ(b.reads_total, a.reads_total);
        EXPECT_EQ(b.fills_total, a.fills_total);
        EXPECT_EQ(b.updates_total, a.updates_total);
        EXPECT_EQ(b.utilized_capacity, a.utilized_capacity);
        EXPECT_EQ(b.utilized_instances, a.utilized_instances);
        if (spec.workload->data_spaces[d].read_write) {
          EXPECT_EQ(b.partition_size, a.partition_size);
        }
      }
    }
  }
}

spec::StorageLevelSpec Buffer(const std::string& name, std::optional<int64_t> depth) {
  spec::StorageLevelSpec level;
  level.name = name;
  level.depth = depth;
  level.word_bits = level.width_bits = 8;
  return level;
}

spec::LevelMapping Level(std::vector<int64_t> temporal, std::vector<int64_t> residuals = {}) {
  spec::LevelMapping level;
  level.temporal_factors = std::move(temporal);
  level.temporal_residuals = std::move(residuals);
  level.temporal_permutation = {0, 1};  // R innermost
  level.spatial_factors = {1, 1};
  level.spatial_permutation = {0, 1};
  level.keep = {true, true, true};
  return level;
}

TEST(ImperfectTilesTest, OneDimensionalConvolutionWithAShortLastStrip) {
  // R = 3, P = 10: the inner buffer loops R = 3 and P = 4 with residual 2, the outer P = 3:
  // 10 = (3 − 1) × 4 + 2. Inner tiles along P: [0,4), [4,8), [8,10) (the last one cut short to 2).
  //   Inputs (P + R − 1): tiles [0,5], [4,9], [8,11]: fills 6, then 4 new, then 2 new = 12 = all inputs.
  //   Outputs: 4 + 4 + 2 = 10 deltas, all first writes: fills 10 − 10 = 0; the outer level's updates 10.
  //   Weights: 3, never move. MACs: 3 × (4 + 4 + 2) = 30 iterations.
  spec::Architecture architecture;
  architecture.storage = {Buffer("Inner", 64), Buffer("Outer", std::nullopt)};
  spec::Mapping mapping;
  mapping.levels = {Level({3, 4}, {3, 2}), Level({1, 3})};
  const spec::Workload workload = test::Conv1D(3, 10);
  ASSERT_TRUE(mapping.Imperfect());
  ASSERT_EQ(mapping.Bound(1), 10);
  const AnalysisResult result = Analyze(architecture, workload, mapping, nullptr);
  const auto& inner = result.storage[0].data_spaces;
  const auto& outer = result.storage[1].data_spaces;
  EXPECT_EQ(inner[1].fills, 12);
  EXPECT_EQ(inner[0].fills, 3);
  EXPECT_EQ(inner[2].fills, 0);
  EXPECT_EQ(outer[2].updates, 10);
  EXPECT_EQ(inner[1].reads, 30);  // one Inputs read per MAC
  EXPECT_EQ(inner[2].updates, 30);
  EXPECT_EQ(inner[2].reads, 20);  // 30 updates − 10 first writes
  EXPECT_EQ(inner[1].utilized_capacity, 6);
  EXPECT_EQ(result.arithmetic.computes, 30);
  EXPECT_EQ(result.cycles, 30);
}

TEST(ImperfectTilesTest, ExactWalkRunsEveryIterationOfAnImperfectNest) {
  // R = 4, P = 5: the inner buffer holds P = 2 (residual 1), the outer level walks R = 4 inside P = 3:
  // 5 = (3 − 1) × 2 + (1 − 1) + 1. Inner P tiles [0,2), [2,4), [4,5); R slides the Inputs window
  // [p0 + r, p0 + r + e − 1] by +1. Every iteration, Timeloop's reuse rule (box_reuse.h):
  //   tile 0: r = 0 whole 2, r = 1..3 one new value each (translation +1)          → 5
  //   tile 1: r = 0 [2,3] after [3,4]: translation −1 ≠ +1, whole 2; then 1, 1, 1   → 5
  //   tile 2: r = 0 [4,4] after [5,6]: translation −1, whole 1; then 1, 1, 1        → 4
  // Inputs fills 14. Weights (R = [r]): per P tile r = 0 (a new translation, or the first) 1, then 1, 1, 1:
  // 12. MACs 4 × 5 = 20, one per cycle on the one MAC.
  spec::Architecture architecture;
  architecture.storage = {Buffer("Inner", 64), Buffer("Outer", std::nullopt)};
  spec::Mapping mapping;
  mapping.levels = {Level({1, 2}, {1, 1}), Level({4, 3})};
  const spec::Workload workload = test::Conv1D(4, 5);
  ASSERT_EQ(mapping.Bound(1), 5);
  const AnalysisResult exact = Analyze(architecture, workload, mapping, nullptr, nullptr, TileWalk::kExact);
  const auto& inner = exact.storage[0].data_spaces;
  EXPECT_EQ(inner[1].fills_total, 14);
  EXPECT_EQ(inner[0].fills_total, 12);
  EXPECT_EQ(inner[1].reads_total, 20);
  EXPECT_EQ(exact.cycles, 20);
  // Ruby's sample sees R's iteration 1 stand for the other three, so the next P tile seems to follow
  // [1,2] by the same +1 and keeps part of it: it undercounts.
  const AnalysisResult sampled = Analyze(architecture, workload, mapping, nullptr);
  EXPECT_LT(sampled.storage[0].data_spaces[1].fills_total, 14);
}

spec::Spec Conv1Plan() {
  const std::string configs = test::SourceDir() + "/configs/";
  return spec::LoadSpecFiles({configs + "arch/eyeriss_v1.yaml",
                              configs + "workloads/layers/alexnet_conv1.yaml",
                              configs + "mappings/eyeriss_v1_alexnet_conv1.yaml"});
}

TEST(ImperfectTilesTest, AlexNetConv1AsTheChipStripMinesIt) {
  // configs/mappings/eyeriss_v1_alexnet_conv1.yaml: Q = 55 as 8 strips (DRAM) of 7 columns, 6 in the last;
  // M = 2 along X, S = 11 along Y; per PE R = 11 (filter spad) × M = 16 (psum spad); C = 3 at the glb,
  // P = 55 at filter_glb, M = 3 at DRAM (inside the strips).
  const spec::Spec spec = Conv1Plan();
  ASSERT_TRUE(spec.mapping->Imperfect());
  const AnalysisResult result = Analyze(*spec.architecture, *spec.workload, *spec.mapping, nullptr);
  const spec::Architecture& a = *spec.architecture;
  auto at = [&](const std::string& level, const std::string& space) {
    return result.storage[a.StorageIndex(level)].data_spaces[spec.workload->DataSpaceIndex(space)];
  };
  // 7 × 2 × 11 = 154 PEs; every temporal iteration runs (the strips are the DRAM loop):
  // 8 × 3 × 3 × 55 × 11 × 16 = 696,960 cycles.
  EXPECT_EQ(result.arithmetic.utilized_instances, 154);
  EXPECT_EQ(result.arithmetic.cycles, 696960);
  EXPECT_EQ(result.arithmetic.computes, 105415200);
  // Inputs to the ifmap spads: per (strip, filter group, channel) each diagonal group h = 4q + s (input
  // row) gets its 11-tap window, then 4 new values per P step: 11 + 54 × 4 = 227. Groups: 35 rows of a
  // 7-column strip, 31 of the 6-column one: 3 × 3 × (7 × 35 + 31) × 227 = 563,868 glb reads.
  EXPECT_EQ(at("glb", "Inputs").reads_total, 563868);
  // The glb's strip of inputs (3 channels × 35 rows × 227) is refilled whole for every strip (the strip
  // loop follows the filter-group loop, which leaves it in place), the last one 31 rows: 3 × 227 ×
  // (7 × 35 + 31) = 187,956.
  EXPECT_EQ(at("glb", "Inputs").fills_total, 187956);
  EXPECT_EQ(at("DRAM", "Inputs").reads_total, 187956);
  // Every output written to DRAM once: 96 × 55 × 55.
  EXPECT_EQ(at("DRAM", "Outputs").updates_total, 290400);
  // One ifmap-spad read and one psum update per MAC, over all PEs.
  EXPECT_EQ(at("ifmap_spad", "Inputs").reads_total, 105415200);
  EXPECT_EQ(at("psum_spad", "Outputs").updates_total, 105415200);
  EXPECT_EQ(at("psum_spad", "Outputs").utilized_instances, 154);
  // Distinct psums a PE accumulates: 48 filters × 55 columns × its strips (8, or 7 for the 22 PEs of the
  // last column, idle in the short strip): 132 × 21,120 + 22 × 18,480 over 154 PEs.
  EXPECT_EQ(at("psum_spad", "Outputs").reads_total, 105415200 - (132 * 21120 + 22 * 18480));
  // Tiles: the ifmap spad holds the 11-tap window, the filter spad 16 × 11, the glb 23,835 + 12,320.
  EXPECT_EQ(at("ifmap_spad", "Inputs").utilized_capacity, 11);
  EXPECT_EQ(at("filter_spad", "Weights").utilized_capacity, 176);
  EXPECT_EQ(at("glb", "Inputs").utilized_capacity, 23835);
  EXPECT_EQ(at("glb", "Outputs").utilized_capacity, 12320);
}

}  // namespace
}  // namespace cyclops::analysis
