// `cyclops run` as a user runs it: reports, outputs, exit statuses, determinism, the watchdog and a
// bandwidth-starved network.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/support/paths.h"
#include "tests/system/simulation/simulation_support.h"

namespace cyclops::test {
namespace {

std::string Example() {
  const std::string dir = SourceDir() + "/configs/examples/eyeriss_like/";
  return dir + "arch.yaml " + dir + "conv_layer.yaml " + dir + "mapping.yaml " + dir + "ERT.yaml";
}

std::vector<std::string> ExampleFiles() {
  const std::string dir = SourceDir() + "/configs/examples/eyeriss_like/";
  return {dir + "arch.yaml", dir + "conv_layer.yaml", dir + "mapping.yaml", dir + "ERT.yaml"};
}

TEST(RunCommand, ExampleReportsAndWritesOutputs) {
  const std::string out = TempDir("example");
  std::string output;
  ASSERT_EQ(RunCommand(CyclopsBinary() + " run " + Example() + " --dump-programs --out " + out, &output), 0)
      << output;
  EXPECT_NE(output.find("bit-exact with the reference kernel"), std::string::npos) << output;
  EXPECT_NE(output.find("every per-level counter equals the analytical model's"), std::string::npos)
      << output;
  EXPECT_NE(output.find("mac_burst"), std::string::npos);
  const nlohmann::json summary = nlohmann::json::parse(ReadFile(out + "/summary.json"));
  // 16*32*3*3*14*14 MACs; the analytical model is compute-bound: 903,168 / 168 MACs = 5,376 cycles.
  EXPECT_EQ(summary["macs"], 903168);
  EXPECT_EQ(summary["cycles"]["analytical"], 5376);
  EXPECT_GE(summary["cycles"]["simulated"].get<int64_t>(), 5376);
  EXPECT_EQ(summary["outputs_match"], true);
  EXPECT_EQ(summary["counter_mismatches"], 0);
  // Equal counts price to equal dynamic energy (counts x ERT); only leakage, charged per cycle, may differ,
  // and the simulation runs a few percent longer than the analytical cycles: well under 1 % of the total.
  const double simulated = summary["energy_pj"]["simulated"], analytical = summary["energy_pj"]["analytical"];
  EXPECT_NEAR(simulated, analytical, 0.01 * analytical);
  EXPECT_NE(ReadFile(out + "/action_counts.yaml")
                .find("- name: system_top_level.mac[1..168]\n    action_counts:\n    - name: compute\n"
                      "      arguments: null\n      counts: 903168\n"),
            std::string::npos);
  const nlohmann::json stats = nlohmann::json::parse(ReadFile(out + "/stats.json"));
  EXPECT_TRUE(stats["accelerator"].contains("shared_glb"));
}

// A mapping where Timeloop's two-iteration sample undercounts a sliding window (data file's comment):
// the simulation is held to the exact walk and the sampled count is shown beside it, marked.
TEST(RunCommand, SlidingWindowHeldToTheExactWalkBesideTimeloopsSample) {
  const std::string dir = SourceDir() + "/configs/examples/eyeriss_like/";
  const std::string out = TempDir("sliding_window");
  std::string output;
  ASSERT_EQ(RunCommand(CyclopsBinary() + " run " + dir + "arch.yaml " + dir + "conv_layer.yaml " +
                           SourceDir() + "/tests/system/simulation/data/sliding_window_mapping.yaml " + dir +
                           "ERT.yaml --out " + out,
                       &output),
            0)
      << output;
  EXPECT_NE(output.find("bit-exact with the reference kernel"), std::string::npos) << output;
  const nlohmann::json summary = nlohmann::json::parse(ReadFile(out + "/summary.json"));
  EXPECT_EQ(summary["counter_mismatches"], 0);
  EXPECT_EQ(summary["sampling_differences"], 2);  // ifmap_spad's fills and shared_glb's reads of Inputs
  // 168 ifmap_spads (Q 14 columns x M 4 x S 3 rows), one value each; per channel (C = 16 above them)
  // the hardware places R 3 x P 14 tiles, each new; the sample counts 3 + 13 x 2 (R's first step after
  // each P step looks free to it).
  nlohmann::json spad;
  for (const nlohmann::json& level : summary["storage_levels"])
    if (level["name"] == "ifmap_spad") spad = level["data_spaces"]["Inputs"];
  EXPECT_EQ(spad["simulated"]["fills"], 168 * 16 * 3 * 14);
  EXPECT_EQ(spad["exact_walk"]["fills"], 168 * 16 * 3 * 14);
  EXPECT_EQ(spad["analytical"]["fills"], 168 * 16 * (3 + 13 * 2));
  EXPECT_NE(output.find("counter(s) equal the analytical model walking every loop iteration"),
            std::string::npos)
      << output;
}

TEST(RunCommand, SameSeedGivesByteIdenticalStats) {
  const std::string a = TempDir("seed_a"), b = TempDir("seed_b");
  std::string output;
  ASSERT_EQ(RunCommand(CyclopsBinary() + " run " + Example() + " --seed 7 --out " + a, &output), 0) << output;
  ASSERT_EQ(RunCommand(CyclopsBinary() + " run " + Example() + " --seed 7 --out " + b, &output), 0) << output;
  EXPECT_EQ(ReadFile(a + "/stats.json"), ReadFile(b + "/stats.json"));
  EXPECT_EQ(ReadFile(a + "/summary.json"), ReadFile(b + "/summary.json"));
  EXPECT_FALSE(ReadFile(a + "/stats.json").empty());
}

TEST(RunCommand, StarvedStagingDeadlocksAndTheWatchdogNamesTheStuckModules) {
  // A staging buffer of zero tile versions can never hand a tile to its PEs.
  const std::string out = TempDir("deadlock");
  std::string output;
  EXPECT_EQ(
      RunCommand(CyclopsBinary() + " run " + Example() + " --prefetch-depth 0 --watchdog 500 --out " + out,
                 &output),
      4)
      << output;
  EXPECT_NE(output.find("no progress for 500 cycles"), std::string::npos) << output;
  // Named by their instance names: the weights' fill engine, and the 14 PE clusters (one per PE column
  // of the example's 14 x 12 array) waiting for the first weights.
  EXPECT_NE(
      output.find("accelerator.fill_weights_spad.Weights: waiting for consumers of weights_spad Weights "
                  "tiles to take version 0"),
      std::string::npos)
      << output;
  EXPECT_NE(output.find("accelerator.cluster[0] and 13 more like it: waiting for version 0 of weights_spad"),
            std::string::npos)
      << output;
  EXPECT_FALSE(std::filesystem::exists(out + "/stats.json"));  // nothing half-written
}

TEST(RunCommand, BadSpecExitsTwo) {
  const std::string dir = SourceDir() + "/configs/examples/eyeriss_like/";
  std::string output;
  // No problem among the files (a missing mapping is not an error: run maps first).
  EXPECT_EQ(RunCommand(CyclopsBinary() + " run " + dir + "arch.yaml " + dir + "mapping.yaml", &output), 2);
  EXPECT_NE(output.find("problem"), std::string::npos) << output;
}

// A one-value-per-cycle network: the simulation slows down, and its stall breakdown names the buses and
// adds up to the whole difference.
TEST(NarrowNetwork, StallsOnBusesAccountForTheDifference) {
  top::SimulationOptions options;
  options.bus_width = 1.0;
  const SimulatedLayer layer = SimulateFiles(ExampleFiles(), options);
  EXPECT_FALSE(layer.simulation.mismatch);
  ExpectCountersEqualAnalysis(layer);  // bandwidth changes when values move, not how many
  const top::SimulationResult& s = layer.simulation;
  EXPECT_GT(s.cycles, 2u * static_cast<models::Cycle>(layer.analysis.cycles));
  ASSERT_FALSE(s.stalls.empty());
  EXPECT_NE(s.stalls.front().cause.find("bus"), std::string::npos) << s.stalls.front().cause;
  ExpectStallsAccountForCycles(s);
}

}  // namespace
}  // namespace cyclops::test
