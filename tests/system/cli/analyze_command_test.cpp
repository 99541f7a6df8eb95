// End-to-end tests of `cyclops analyze`: the command as a user runs it.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/support/paths.h"

namespace cyclops::test {
namespace {

const std::string kExample = "configs/examples/eyeriss_like/";

std::string ExampleFiles() {
  const std::string dir = SourceDir() + "/" + kExample;
  return dir + "arch.yaml " + dir + "conv_layer.yaml " + dir + "mapping.yaml " + dir + "ERT.yaml";
}

TEST(AnalyzeCommand, ExampleMatchesHandCalculation) {
  const std::string out = TempDir("analyze");
  std::string output;
  ASSERT_EQ(RunCommand(CyclopsBinary() + " analyze " + ExampleFiles() + " --out " + out, &output), 0)
      << output;
  const nlohmann::json json = nlohmann::json::parse(ReadFile(out + "/analysis.json"));
  // C16 M32 R3 S3 N1 P14 Q14: 16*32*3*3*14*14 = 903,168 MACs on 14 x 12 = 168 MACs, every one busy:
  // 903,168 / 168 = 5,376 cycles when compute-bound.
  EXPECT_EQ(json["summary"]["computes"], 903168);
  EXPECT_EQ(json["summary"]["cycles"], 5376);
  EXPECT_EQ(json["arithmetic"]["utilized_instances"], 168);
  // Tiles (mapping.yaml): psum_spad holds M8 outputs; weights_spad C4 x M8 x R3 = 96 weights;
  // ifmap_spad C4 x (P1 + R3 - 1) = 12 inputs; the global buffer C16 x (P14 + R3 - 1) x (Q14 + S3 - 1) =
  // 16 x 16 x 16 = 4,096 inputs and M32 x P14 x Q14 = 6,272 outputs.
  std::map<std::string, nlohmann::json> levels;
  for (const auto& level : json["storage_levels"]) levels[level["name"]] = level;
  EXPECT_EQ(levels["psum_spad"]["data_spaces"]["Outputs"]["utilized_capacity"], 8);
  EXPECT_EQ(levels["weights_spad"]["data_spaces"]["Weights"]["utilized_capacity"], 96);
  EXPECT_EQ(levels["ifmap_spad"]["data_spaces"]["Inputs"]["utilized_capacity"], 12);
  EXPECT_EQ(levels["shared_glb"]["data_spaces"]["Inputs"]["utilized_capacity"], 4096);
  EXPECT_EQ(levels["shared_glb"]["data_spaces"]["Outputs"]["utilized_capacity"], 6272);
  // Every MAC reads one weight from its weights_spad: 903,168 / 168 = 5,376 reads per instance.
  EXPECT_EQ(levels["weights_spad"]["data_spaces"]["Weights"]["reads_per_instance"], 5376);
  // The table names the levels and the cycle count.
  EXPECT_NE(output.find("shared_glb"), std::string::npos);
  EXPECT_NE(output.find("5,376"), std::string::npos);
}

TEST(AnalyzeCommand, BadSpecExitsTwoWithLocation) {
  const std::string dir = TempDir("bad");
  std::filesystem::create_directories(dir);
  const std::string bad = dir + "/mapping.yaml";
  std::ofstream(bad) << "mapping:\n- target: shared_glb\n  type: temporal\n  factors: C=4 Z=2\n";
  const std::string e = SourceDir() + "/" + kExample;
  std::string output;
  const int status =
      RunCommand(CyclopsBinary() + " analyze " + e + "arch.yaml " + e + "conv_layer.yaml " + bad, &output);
  EXPECT_EQ(status, 2) << output;
  EXPECT_NE(output.find(bad + ":4:"), std::string::npos) << output;  // file:line:col of the factors
  EXPECT_NE(output.find("Z"), std::string::npos) << output;
}

TEST(AnalyzeCommand, MissingMappingIsNamed) {
  const std::string e = SourceDir() + "/" + kExample;
  std::string output;
  EXPECT_EQ(RunCommand(CyclopsBinary() + " analyze " + e + "arch.yaml " + e + "conv_layer.yaml", &output), 2);
  EXPECT_NE(output.find("mapping"), std::string::npos) << output;
}

TEST(AnalyzeCommand, MappingThatDoesNotFitNamesLevelAndExcess) {
  const std::string dir = TempDir("overflow");
  std::filesystem::create_directories(dir);
  const std::string e = SourceDir() + "/" + kExample;
  // psum_spad holds 16 values; M=16 there needs 16 x (C, R, S, P, Q at 1) = 16 outputs... so take M=32 via
  // the spatial M factor moved inside: M32 at psum_spad needs 32 outputs, 16 more than fit.
  std::string mapping = ReadFile(e + "mapping.yaml");
  mapping.replace(mapping.find("factors: M=4 S=3"), 16, "factors: M=1 S=3");
  mapping.replace(mapping.find("factors: M=8"), 12, "factors: M=32");
  std::ofstream(dir + "/mapping.yaml") << mapping;
  std::string output;
  const int status = RunCommand(
      CyclopsBinary() + " analyze " + e + "arch.yaml " + e + "conv_layer.yaml " + dir + "/mapping.yaml",
      &output);
  EXPECT_EQ(status, 2) << output;
  EXPECT_NE(output.find("psum_spad"), std::string::npos) << output;
  EXPECT_NE(output.find("16"), std::string::npos) << output;  // 32 needed − 16 capacity
  EXPECT_FALSE(std::filesystem::exists(dir + "/analysis.json"));
}

TEST(CommandLine, UsageMistakesExitOne) {
  std::string output;
  EXPECT_EQ(RunCommand(CyclopsBinary(), &output), 1) << output;  // no subcommand
  output.clear();
  EXPECT_EQ(RunCommand(CyclopsBinary() + " analyze --no-such-option x", &output), 1) << output;
}

TEST(AnalyzeCommand, HelpExplainsOptions) {
  std::string output;
  EXPECT_EQ(RunCommand(CyclopsBinary() + " analyze --help", &output), 0);
  EXPECT_NE(output.find("--out"), std::string::npos);
  output.clear();
  EXPECT_EQ(RunCommand(CyclopsBinary() + " --help", &output), 0);
  EXPECT_NE(output.find("analyze"), std::string::npos);
}

}  // namespace
}  // namespace cyclops::test
