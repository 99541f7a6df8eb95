// `cyclops network` with `cyclops: dram:`: the network table gains the DRAM timing model's columns (PE
// stall cycles waiting for DRAM, row hit rate) and a totals line; without a DRAM model it has neither. The
// network's figures must be its layers' own (each layer's summary.json in OUT/layers/<key>/), summed
// over the layers, and a layer's DRAM stalls are some of its on-chip stalls, never more.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/support/paths.h"

namespace cyclops::test {
namespace {

std::string TinyNetwork(const std::string& out, const std::string& extra_arch) {
  return CyclopsBinary() + " network " + SourceDir() + "/configs/workloads/networks/tiny.yaml --arch " +
         SourceDir() + "/configs/arch/eyeriss_v2.yaml" + extra_arch + " --out " + out;
}

TEST(DramInNetwork, TheTableCarriesEachLayersDramStallsAndRowHits) {
  const std::string out = TempDir("dram_network_lpddr4");
  std::string output;
  ASSERT_EQ(RunCommand(TinyNetwork(out, " --arch " + SourceDir() + "/configs/arch/dram/lpddr4_4266.yaml"),
                       &output),
            0)
      << output;
  const nlohmann::json network = nlohmann::json::parse(ReadFile(out + "/network.json"));
  int64_t bursts = 0, stalls = 0, accelerator_layers = 0;
  double hits = 0;
  for (const nlohmann::json& layer : network["layers"]) {
    if (!layer.contains("cache_key")) {
      EXPECT_FALSE(layer.contains("dram_timing")) << layer["name"];
      continue;
    }
    ++accelerator_layers;
    const nlohmann::json& dram = layer.at("dram_timing");
    const nlohmann::json summary = nlohmann::json::parse(
        ReadFile(out + "/layers/" + layer["cache_key"].get<std::string>() + "/summary.json"));
    int64_t layer_stalls = 0;
    for (const auto& [cause, cycles] : summary["dram"]["pe_stall_cycles"].items())
      layer_stalls += cycles.get<int64_t>();
    EXPECT_EQ(dram["preset"], "lpddr4_4266");
    EXPECT_EQ(dram["bursts"], summary["dram"]["bursts"]) << layer["name"];
    EXPECT_NEAR(dram["row_hit_rate"].get<double>(), summary["dram"]["row_hit_rate"].get<double>(), 1e-9);
    EXPECT_EQ(dram["stall_cycles"].get<int64_t>(), layer_stalls) << layer["name"];
    EXPECT_LE(layer_stalls, layer["cycles"]["on_chip_stalls"].get<int64_t>()) << layer["name"];
    bursts += dram["bursts"].get<int64_t>();
    hits += dram["row_hit_rate"].get<double>() * dram["bursts"].get<double>();
    stalls += layer_stalls;
  }
  EXPECT_GT(accelerator_layers, 0);
  const nlohmann::json& total = network["totals"]["dram_timing"];
  EXPECT_EQ(total["bursts"].get<int64_t>(), bursts);
  EXPECT_EQ(total["stall_cycles"].get<int64_t>(), stalls);
  EXPECT_NEAR(total["row_hit_rate"].get<double>(), hits / bursts, 1.0 / bursts);  // hits rounded per layer
  const std::string report = ReadFile(out + "/report.txt");
  EXPECT_NE(report.find("DRAM stalls"), std::string::npos) << report;
  EXPECT_NE(report.find("DRAM timing (lpddr4_4266): row hit rate"), std::string::npos) << report;
  EXPECT_NE(ReadFile(out + "/layers.csv").find(",dram_stall_cycles,dram_row_hit_rate\n"), std::string::npos);
}

TEST(DramInNetwork, WithoutADramModelThereAreNoDramTimingColumns) {
  const std::string out = TempDir("dram_network_none");
  std::string output;
  ASSERT_EQ(RunCommand(TinyNetwork(out, ""), &output), 0) << output;
  const std::string report = ReadFile(out + "/report.txt");
  EXPECT_EQ(report.find("DRAM stalls"), std::string::npos) << report;
  EXPECT_EQ(report.find("DRAM timing"), std::string::npos) << report;
  EXPECT_FALSE(nlohmann::json::parse(ReadFile(out + "/network.json"))["totals"].contains("dram_timing"));
}

}  // namespace
}  // namespace cyclops::test
