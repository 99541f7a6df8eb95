// The spec loader against Timeloop's own reference inputs: every case loads, and spot values match
// what the files say (tutorial-06's Eyeriss-like design is checked level by level).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sim/spec/loader.h"
#include "tests/support/paths.h"

namespace cyclops::spec {
namespace {

std::string Timeloop(const std::string& relative) {
  return test::ReferenceDir() + "/timeloop/" + relative;
}

Spec LoadModelCase(const std::string& folder) {
  return LoadSpecFiles(
      {Timeloop(folder + "/parsed-processed-input.yaml"), Timeloop(folder + "/timeloop-model.ERT.yaml")});
}

Spec LoadMapperCase(const std::string& folder) {
  return LoadSpecFiles({Timeloop(folder + "/parsed-processed-input.yaml"),
                        Timeloop(folder + "/timeloop-mapper.map.yaml"),
                        Timeloop(folder + "/timeloop-mapper.ERT.yaml")});
}

void ExpectComplete(const Spec& spec) {
  ASSERT_TRUE(spec.architecture);
  ASSERT_TRUE(spec.workload);
  ASSERT_TRUE(spec.mapping);
  ASSERT_TRUE(spec.energy);
  EXPECT_EQ(spec.mapping->levels.size(), spec.architecture->storage.size());
  EXPECT_FALSE(spec.notes.empty());  // mapper, globals, compound_components... are reported
}

class SpecModelCase : public ::testing::TestWithParam<std::string> {};
TEST_P(SpecModelCase, LoadsProcessedInputWithErt) {
  Spec spec;
  ASSERT_NO_THROW(spec = LoadModelCase(GetParam()));
  ExpectComplete(spec);
}
INSTANTIATE_TEST_SUITE_P(Timeloop, SpecModelCase,
                         ::testing::Values("tutorial-00-model-conv1d-1level/ref-output",
                                           "tutorial-01-model-conv1d-2level/ref-output/os",
                                           "tutorial-01-model-conv1d-2level/ref-output/ws",
                                           "tutorial-02-model-conv1d+oc-2level/ref-output/no-tiling",
                                           "tutorial-02-model-conv1d+oc-2level/ref-output/tiling",
                                           "tutorial-03-model-conv1d+oc-3level/ref-output/bypass",
                                           "tutorial-03-model-conv1d+oc-3level/ref-output/no-bypass",
                                           "tutorial-04-model-conv1d+oc-3levelspatial/ref-output/cp",
                                           "tutorial-04-model-conv1d+oc-3levelspatial/ref-output/kp"));

class SpecMapperCase : public ::testing::TestWithParam<std::string> {};
TEST_P(SpecMapperCase, LoadsProcessedInputWithMapperMappingAndErt) {
  Spec spec;
  ASSERT_NO_THROW(spec = LoadMapperCase(GetParam()));
  ExpectComplete(spec);
}
INSTANTIATE_TEST_SUITE_P(Timeloop, SpecMapperCase,
                         ::testing::Values("tutorial-05-mapper-conv1d+oc-3level/ref-output/baked",
                                           "tutorial-05-mapper-conv1d+oc-3level/ref-output/freebypass",
                                           "tutorial-05-mapper-conv1d+oc-3level/ref-output/null",
                                           "tutorial-06-mapper-convlayer-eyeriss/ref-output",
                                           "tutorial-07-timeloop+accelergy-eyeriss/ref-output/fpmac",
                                           "tutorial-07-timeloop+accelergy-eyeriss/ref-output/intmac",
                                           "design-eyeriss_like/default_problem",
                                           "design-simba_like/default_problem",
                                           "design-simple_output_stationary/default_problem",
                                           "design-simple_weight_stationary/default_problem"));

std::vector<std::string> StorageNames(const Architecture& architecture) {
  std::vector<std::string> names;
  for (const StorageLevelSpec& level : architecture.storage) names.push_back(level.name);
  return names;
}

const std::vector<std::string> kEyerissLevels = {
    "psum_spad",  "weights_spad", "ifmap_spad", "inter_PE_spatial", "inter_PE_column_spatial",
    "shared_glb", "DRAM"};
const std::vector<int64_t> kEyerissInstances = {168, 168, 168, 14, 1, 1, 1};

TEST(SpecTutorial06, StorageLevelsInnermostFirst) {
  Spec spec = LoadMapperCase("tutorial-06-mapper-convlayer-eyeriss/ref-output");
  const Architecture& architecture = *spec.architecture;
  EXPECT_EQ(StorageNames(architecture), kEyerissLevels);
  const StorageLevelSpec& weights = architecture.storage[1];
  EXPECT_EQ(weights.depth, 192);
  EXPECT_EQ(weights.width_bits, 16);
  EXPECT_EQ(weights.word_bits, 8);
  EXPECT_EQ(weights.block_size, 2);  // 16-bit rows of 8-bit values
  EXPECT_EQ(weights.instances, 168);
  EXPECT_EQ(weights.mesh_x, 14);
  EXPECT_EQ(weights.mesh_y, 12);
  EXPECT_EQ(weights.read_bandwidth, 2.0);
  EXPECT_EQ(weights.attributes.at("technology"), "32nm");
  EXPECT_EQ(architecture.storage[0].word_bits, 16);  // psum_spad holds 16-bit partial sums
  EXPECT_TRUE(architecture.storage[3].is_dummy);
  EXPECT_EQ(architecture.storage[3].mesh_x, 14);
  EXPECT_FALSE(architecture.storage[6].depth.has_value());  // DRAM is unbounded
  EXPECT_TRUE(architecture.storage[6].is_dram);
  EXPECT_EQ(architecture.storage[5].Capacity(), 16384 * 8);
  EXPECT_EQ(architecture.arithmetic.name, "mac");
  EXPECT_EQ(architecture.arithmetic.instances, 168);
  EXPECT_EQ(architecture.arithmetic.word_bits, 8);
  EXPECT_DOUBLE_EQ(architecture.global_cycle_seconds, 1e-9);
}

TEST(SpecTutorial06, WorkloadProjectionUsesStrideAndDilation) {
  Spec spec = LoadMapperCase("tutorial-06-mapper-convlayer-eyeriss/ref-output");
  const Workload& workload = *spec.workload;
  EXPECT_EQ(workload.dimensions, (std::vector<std::string>{"C", "M", "R", "S", "N", "P", "Q"}));
  EXPECT_EQ(workload.bounds, (std::vector<int64_t>{128, 256, 3, 3, 1, 56, 56}));
  const DataSpaceSpec& inputs = workload.data_spaces[workload.DataSpaceIndex("Inputs")];
  ASSERT_EQ(inputs.projection.size(), 4u);
  const ProjectionExpression& w = inputs.projection[2];  // Wdilation*R + Wstride*P
  ASSERT_EQ(w.size(), 2u);
  EXPECT_EQ(workload.dimensions[w[0].dimension], "R");
  EXPECT_EQ(workload.coefficient_names[w[0].coefficient], "Wdilation");
  EXPECT_EQ(workload.dimensions[w[1].dimension], "P");
  EXPECT_EQ(workload.coefficient_names[w[1].coefficient], "Wstride");
  EXPECT_TRUE(workload.data_spaces[workload.DataSpaceIndex("Outputs")].read_write);
  EXPECT_EQ(workload.DataSpaceSize(workload.DataSpaceIndex("Inputs")), 1 * 128 * 58 * 58);
}

TEST(SpecTutorial06, MappingMatchesMapperOutput) {
  Spec spec = LoadMapperCase("tutorial-06-mapper-convlayer-eyeriss/ref-output");
  const Workload& workload = *spec.workload;
  const Mapping& mapping = *spec.mapping;
  auto dim = [&](const char* name) { return workload.DimensionIndex(name); };
  // psum_spad: temporal C1 M8 R1 S1 N1 P1 Q1, permutation MCRSNPQ
  EXPECT_EQ(mapping.levels[0].temporal_factors, (std::vector<int64_t>{1, 8, 1, 1, 1, 1, 1}));
  EXPECT_EQ(mapping.levels[0].temporal_permutation,
            (std::vector<int>{dim("M"), dim("C"), dim("R"), dim("S"), dim("N"), dim("P"), dim("Q")}));
  EXPECT_EQ(mapping.levels[0].keep, (std::vector<bool>{false, false, true}));  // Weights, Inputs, Outputs
  EXPECT_EQ(mapping.levels[1].temporal_factors, (std::vector<int64_t>{8, 1, 3, 1, 1, 1, 1}));
  EXPECT_EQ(mapping.levels[1].keep, (std::vector<bool>{true, false, false}));
  // inter_PE_spatial: spatial M4 S3, split 0 (all in Y)
  EXPECT_EQ(mapping.levels[3].spatial_factors, (std::vector<int64_t>{1, 4, 1, 3, 1, 1, 1}));
  EXPECT_EQ(mapping.levels[3].spatial_split, 0);
  EXPECT_EQ(mapping.levels[3].keep, (std::vector<bool>{false, false, false}));
  // inter_PE_column_spatial: Q14 in X (split 1, Q first)
  EXPECT_EQ(mapping.levels[4].spatial_factors[dim("Q")], 14);
  EXPECT_EQ(mapping.levels[4].spatial_split, 1);
  EXPECT_EQ(mapping.levels[4].spatial_permutation[0], dim("Q"));
  EXPECT_EQ(mapping.levels[5].temporal_factors, (std::vector<int64_t>{4, 2, 1, 1, 1, 8, 1}));
  EXPECT_EQ(mapping.levels[5].keep, (std::vector<bool>{false, true, true}));
  EXPECT_EQ(mapping.levels[6].temporal_factors, (std::vector<int64_t>{4, 4, 1, 1, 1, 7, 4}));
  EXPECT_EQ(mapping.levels[6].temporal_permutation[0], dim("M"));
  EXPECT_EQ(mapping.levels[6].keep, (std::vector<bool>{true, true, true}));
  EXPECT_GT(mapping.levels[6].temporal_where.line, 0);
  EXPECT_NE(mapping.levels[6].temporal_where.file.find("timeloop-mapper.map.yaml"), std::string::npos);
}

TEST(SpecTutorial06, EnergyTableByShortName) {
  Spec spec = LoadMapperCase("tutorial-06-mapper-convlayer-eyeriss/ref-output");
  EXPECT_EQ(spec.energy->Lookup("DRAM", "read"), 512.0);
  EXPECT_EQ(spec.energy->Lookup("shared_glb", "read"), 18.183829);
  EXPECT_TRUE(spec.energy->Lookup("mac", "compute").has_value());
  EXPECT_FALSE(spec.energy->Lookup("DRAM", "teleport").has_value());
  EXPECT_FALSE(spec.energy->Lookup("system_top_level.DRAM[1..1]", "read").has_value());
}

TEST(SpecTutorial06, HandWrittenNodesFormMatchesProcessedForm) {
  const std::string folder = "tutorial-06-mapper-convlayer-eyeriss/";
  Spec spec = LoadSpecFiles(
      {Timeloop(folder + "arch/eyeriss_like.yaml"), Timeloop(folder + "prob/VGG02_layer5.yaml"),
       Timeloop(folder + "mapper/mapper.yaml"), Timeloop(folder + "ref-output/timeloop-mapper.map.yaml")});
  const Architecture& architecture = *spec.architecture;
  EXPECT_EQ(StorageNames(architecture), kEyerissLevels);
  for (size_t i = 0; i < kEyerissInstances.size(); ++i)
    EXPECT_EQ(architecture.storage[i].instances, kEyerissInstances[i]);
  Spec processed = LoadMapperCase(folder + "ref-output");
  for (size_t i = 0; i < kEyerissLevels.size(); ++i) {
    const StorageLevelSpec& a = architecture.storage[i];
    const StorageLevelSpec& b = processed.architecture->storage[i];
    EXPECT_EQ(a.mesh_x, b.mesh_x) << a.name;
    EXPECT_EQ(a.mesh_y, b.mesh_y) << a.name;
    EXPECT_EQ(a.depth, b.depth) << a.name;
    EXPECT_EQ(a.block_size, b.block_size) << a.name;
    EXPECT_EQ(a.is_dummy, b.is_dummy) << a.name;
  }
  EXPECT_EQ(architecture.arithmetic.instances, 168);
  // Constraints: shared_glb keeps Inputs and Outputs; PE container's spatial split 4 lands on
  // inter_PE_spatial.
  bool saw_glb = false;
  bool saw_pe = false;
  for (const LevelConstraints& constraints : architecture.constraints) {
    if (architecture.storage[constraints.level].name == "shared_glb") {
      saw_glb = true;
      EXPECT_EQ(constraints.keep.size(), 2u);
      EXPECT_EQ(constraints.bypass, (std::vector<int>{spec.workload->DataSpaceIndex("Weights")}));
    }
    if (architecture.storage[constraints.level].name == "inter_PE_spatial") {
      saw_pe = true;
      EXPECT_EQ(constraints.spatial_split, 4);
      EXPECT_EQ(constraints.spatial_permutation.size(), 7u);
    }
  }
  EXPECT_TRUE(saw_glb);
  EXPECT_TRUE(saw_pe);
}

TEST(SpecTutorial07, HandWrittenDesignsLoad) {
  for (const char* arch : {"eyeriss_like-int16.yaml", "eyeriss_like-float32.yaml"}) {
    const std::string folder = "tutorial-07-timeloop+accelergy-eyeriss/";
    EXPECT_NO_THROW(LoadSpecFiles({Timeloop(folder + "arch/" + arch), Timeloop(folder + "prob/prob.yaml")}))
        << arch;
  }
}

TEST(SpecDesignSimba, HandWrittenNodesFormMatchesProcessedForm) {
  Spec written = LoadSpecFiles({Timeloop("design-simba_like/arch.yaml")});
  Spec processed = LoadMapperCase("design-simba_like/default_problem");
  ASSERT_EQ(StorageNames(*written.architecture), StorageNames(*processed.architecture));
  for (size_t i = 0; i < written.architecture->storage.size(); ++i)
    EXPECT_EQ(written.architecture->storage[i].instances, processed.architecture->storage[i].instances);
  EXPECT_EQ(processed.architecture->storage[0].name, "PEWeightRegs");
  EXPECT_EQ(processed.architecture->storage[0].block_size, 64);  // 512-bit row of 8-bit weights
  EXPECT_EQ(processed.architecture->storage[0].cluster_size, 64);
}

// The hand-written tutorial inputs (arch + prob + map) load together.
class SpecHandWrittenCase : public ::testing::TestWithParam<std::vector<std::string>> {};
TEST_P(SpecHandWrittenCase, Loads) {
  std::vector<std::string> paths;
  for (const std::string& relative : GetParam()) paths.push_back(Timeloop(relative));
  Spec spec;
  ASSERT_NO_THROW(spec = LoadSpecFiles(paths));
  EXPECT_TRUE(spec.mapping.has_value());
}
INSTANTIATE_TEST_SUITE_P(
    Timeloop, SpecHandWrittenCase,
    ::testing::Values(
        std::vector<std::string>{"tutorial-00-model-conv1d-1level/arch/1level.arch.yaml",
                                 "tutorial-00-model-conv1d-1level/prob/conv1d.prob.yaml",
                                 "tutorial-00-model-conv1d-1level/map/conv1d-1level.map.yaml"},
        std::vector<std::string>{"tutorial-01-model-conv1d-2level/arch/2level.arch.yaml",
                                 "tutorial-01-model-conv1d-2level/prob/conv1d.prob.yaml",
                                 "tutorial-01-model-conv1d-2level/map/conv1d-2level-os.map.yaml"},
        std::vector<std::string>{"tutorial-02-model-conv1d+oc-2level/arch/2level.arch.yaml",
                                 "tutorial-02-model-conv1d+oc-2level/prob/conv1d+oc.prob.yaml",
                                 "tutorial-02-model-conv1d+oc-2level/map/conv1d+oc-2level-os-tiled.map.yaml"},
        std::vector<std::string>{"tutorial-03-model-conv1d+oc-3level/arch/3level.arch.yaml",
                                 "tutorial-03-model-conv1d+oc-3level/prob/conv1d+oc.prob.yaml",
                                 "tutorial-03-model-conv1d+oc-3level/map/conv1d+oc-3level-bypass.map.yaml"},
        std::vector<std::string>{
            "tutorial-04-model-conv1d+oc-3levelspatial/arch/3levelspatial.arch.yaml",
            "tutorial-04-model-conv1d+oc-3levelspatial/prob/conv1d+oc+ic.prob.yaml",
            "tutorial-04-model-conv1d+oc-3levelspatial/map/conv1d+oc+ic-3levelspatial-cp-ws.map.yaml"},
        std::vector<std::string>{
            "tutorial-04-model-conv1d+oc-3levelspatial/arch/3levelspatial.arch.yaml",
            "tutorial-04-model-conv1d+oc-3levelspatial/prob/conv1d+oc+ic.prob.yaml",
            "tutorial-04-model-conv1d+oc-3levelspatial/map/conv1d+oc+ic-3levelspatial-kp-ws.map.yaml"}));

TEST(SpecTutorial04, ContainerTargetResolvesToItsFanOutLevel) {
  const std::string folder = "tutorial-04-model-conv1d+oc-3levelspatial/";
  Spec spec = LoadSpecFiles({Timeloop(folder + "arch/3levelspatial.arch.yaml"),
                             Timeloop(folder + "prob/conv1d+oc+ic.prob.yaml"),
                             Timeloop(folder + "map/conv1d+oc+ic-3levelspatial-cp-ws.map.yaml")});
  int level = spec.architecture->StorageIndex("inter_PE_spatial");
  ASSERT_GE(level, 0);
  EXPECT_EQ(spec.mapping->levels[level].spatial_factors[spec.workload->DimensionIndex("C")], 16);
  EXPECT_EQ(spec.architecture->storage[0].instances, 16);  // RegisterFile, one per PE
}

}  // namespace
}  // namespace cyclops::spec
