// `cyclops run` without a mapping: the mapper picks one (objective EDP, seed cyclops.seed), says which,
// writes it to DIR/mapping.yaml, and the simulation runs it bit-exact.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/support/paths.h"

namespace cyclops::test {
namespace {

TEST(RunCommand, WithoutMappingMapsFirst) {
  const std::string configs = SourceDir() + "/configs/";
  const std::string files = configs + "arch/eyeriss_v2.yaml " + configs +
                            "workloads/layers/mobilenet_v1_dw13.yaml " + configs +
                            "energy/eyeriss_v2_65nm_relative.yaml";
  const std::string out = TempDir("run_maps_first");
  std::string output;
  ASSERT_EQ(RunCommand(CyclopsBinary() + " run " + files + " --out " + out, &output), 0) << output;
  EXPECT_NE(output.find("no mapping given: the mapper chose this one (objective edp, seed 1"),
            std::string::npos)
      << output;
  EXPECT_NE(output.find("bit-exact"), std::string::npos) << output;
  // The chosen mapping was written, and running it explicitly reproduces the same simulation.
  const std::string mapping = ReadFile(out + "/mapping.yaml");
  ASSERT_NE(mapping.find("mapping:"), std::string::npos) << mapping;
  const nlohmann::json first = nlohmann::json::parse(ReadFile(out + "/summary.json"));
  const std::string again = TempDir("run_maps_first_again");
  ASSERT_EQ(
      RunCommand(CyclopsBinary() + " run " + files + " " + out + "/mapping.yaml --out " + again, &output), 0)
      << output;
  const nlohmann::json second = nlohmann::json::parse(ReadFile(again + "/summary.json"));
  EXPECT_EQ(first["cycles"], second["cycles"]);
  EXPECT_EQ(first["outputs_match"], true);
}

// Simba-like's PEs have 4 MACs under each of their 64 accumulators. Now that several MACs under one buffer
// simulate, the mapper may use them: its mapping keeps more MACs busy than there are accumulators, and it
// runs bit-exact with every counter equal to the analytical model's.
TEST(RunCommand, SimbaLikeMapperUsesTheVectorMacs) {
  const std::string dir = ReferenceDir() + "/timeloop/design-simba_like/default_problem/";
  const std::string out = TempDir("run_maps_simba");
  std::string output;
  ASSERT_EQ(RunCommand(CyclopsBinary() + " run " + dir + "parsed-processed-input.yaml " + dir +
                           "timeloop-mapper.ERT.yaml --out " + out,
                       &output),
            0)
      << output;
  const nlohmann::json summary = nlohmann::json::parse(ReadFile(out + "/summary.json"));
  EXPECT_EQ(summary["outputs_match"], true);
  EXPECT_EQ(summary["counter_mismatches"], 0);
  EXPECT_GT(summary["mac_instances"].get<int64_t>(), 64) << output;
}

TEST(AnalyzeCommand, StillNeedsAMapping) {
  const std::string configs = SourceDir() + "/configs/";
  std::string output;
  EXPECT_EQ(RunCommand(CyclopsBinary() + " analyze " + configs + "arch/eyeriss_v2.yaml " + configs +
                           "workloads/layers/mobilenet_v1_dw13.yaml",
                       &output),
            2)
      << output;
  EXPECT_NE(output.find("no 'mapping'"), std::string::npos) << output;
}

}  // namespace
}  // namespace cyclops::test
