// The systolic preset (configs/arch/systolic_16x16.yaml, the `systolic` topology): a weight-stationary
// matmul whose every link's values are counted by hand; a mapping the array cannot carry refused with the
// link it lacks; and ViT-Tiny's block end to end, cycle-level, under the preset's mapper constraints: the
// final output bit-exact, every layer's counters equal to the analytical model's, MACs equal to the CSV.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <tuple>

#include "tests/support/paths.h"

namespace cyclops::test {
namespace {

namespace fs = std::filesystem;

const std::string kArch = "/configs/arch/systolic_16x16.yaml";
const std::string kEnergy = "/configs/energy/systolic_relative.yaml";
const std::string kConstraints = "/configs/constraints/systolic_ws.yaml";

std::string Pe(int x, int y) {
  return std::string("pe").append(std::to_string(x)).append("_").append(std::to_string(y));
}

// map_systolic_ws.yaml on matmul_m4n16k32.yaml (M 4, N 16, K 32): PE (x, y) holds weights k = 2y, 2y + 1
// of column n = x and sees the 4 input rows' k = 2y, 2y + 1 (8 inputs); its 4 partial sums reduce down
// column x. Groups are numbered by their first PE (instance x + 16y) and take the banks in turn, so
// row y's inputs come from glb.iact<y>, column x's weights from glb.weight<x>, its psums go to glb.psum<x>.
TEST(SystolicRun, EachOperandCrossesEachLinkOfItsRowOrColumnOnce) {
  const std::string data = SourceDir() + "/tests/system/noc/data/";
  const std::string out = TempDir("systolic_ws");
  std::string output;
  ASSERT_EQ(RunCommand(CyclopsBinary() + " run " + SourceDir() + kArch + " " + SourceDir() + kEnergy + " " +
                           data + "matmul_m4n16k32.yaml " + data + "map_systolic_ws.yaml --out " + out,
                       &output),
            0)
      << output;
  const nlohmann::json summary = nlohmann::json::parse(ReadFile(out + "/summary.json"));
  EXPECT_EQ(summary["outputs_match"], true);
  EXPECT_EQ(summary["counter_mismatches"], 0);
  const nlohmann::json noc = nlohmann::json::parse(ReadFile(out + "/noc.json"));
  std::map<std::tuple<std::string, std::string, std::string>, uint64_t> values;
  uint64_t hops = 0;
  for (const auto& link : noc["links"]) {
    values[{noc["nodes"][link["from"].get<int>()]["name"], noc["nodes"][link["to"].get<int>()]["name"],
            link["data_types"]}] = link["values"];
    hops += link["values"].get<uint64_t>();
  }
  auto carried = [&](const std::string& from, const std::string& to, const std::string& type) {
    auto it = values.find({from, to, type});
    EXPECT_NE(it, values.end()) << from << " -> " << to << " (" << type << ")";
    return it == values.end() ? 0 : it->second;
  };
  for (int i = 0; i < 16; ++i) {
    const std::string n = std::to_string(i);
    // Row i's 8 inputs (4 rows of X × 2 k) enter at its west end and cross every link east once.
    EXPECT_EQ(carried("glb.iact" + n, Pe(0, i), "iact"), 8u);
    for (int x = 0; x + 1 < 16; ++x) EXPECT_EQ(carried(Pe(x, i), Pe(x + 1, i), "iact"), 8u);
    // Column i's weights, 2 per PE, enter at the north end; the link below row y carries the 2 × (15 - y)
    // of the rows further south.
    EXPECT_EQ(carried("glb.weight" + n, Pe(i, 0), "weight"), 32u);
    for (int y = 0; y + 1 < 16; ++y) EXPECT_EQ(carried(Pe(i, y), Pe(i, y + 1), "weight"), 2u * (15 - y));
    // Column i's 4 outputs, reduced as they drain: 4 values on every psum link, not 4 per PE above it.
    for (int y = 0; y + 1 < 16; ++y) EXPECT_EQ(carried(Pe(i, y), Pe(i, y + 1), "psum"), 4u);
    EXPECT_EQ(carried(Pe(i, 15), "glb.psum" + n, "psum"), 4u);
  }
  // DRAM fills the scratchpad once (through the first bank of each kind: one group) and takes the 64
  // outputs back from the accumulator.
  EXPECT_EQ(carried("offchip", "glb.iact0", "iact"), 4u * 32u);
  EXPECT_EQ(carried("offchip", "glb.weight0", "weight"), 32u * 16u);
  EXPECT_EQ(carried("glb.psum0", "offchip", "psum"), 4u * 16u);
  // Value-hops: iacts 16 rows × 16 links × 8 = 2,048; weights 16 columns × 2 × (16 + 15 + ... + 1) = 4,352;
  // psums 16 columns × 16 links × 4 = 1,024; off-chip 128 + 512 + 64 = 704.
  EXPECT_EQ(hops, 2048u + 4352u + 1024u + 704u);
  EXPECT_EQ(summary["noc"]["value_hops"], hops);
}

TEST(SystolicRun, AReductionAcrossARowIsRefusedNamingTheMissingLink) {
  // map_systolic_ws.yaml with the spatial dimensions swapped: K across, N down. Inputs would have to move
  // between rows (and psums across them); the array has no such links.
  std::string mapping = ReadFile(SourceDir() + "/tests/system/noc/data/map_systolic_ws.yaml");
  const std::string spatial = "permutation: NKBM";
  mapping.replace(mapping.find(spatial), spatial.size(), "permutation: KNBM");
  const std::string dir = TempDir("systolic_bad");
  fs::create_directories(dir);
  std::ofstream(dir + "/map.yaml") << mapping;
  std::string output;
  EXPECT_EQ(RunCommand(CyclopsBinary() + " run " + SourceDir() + kArch + " " + SourceDir() +
                           "/tests/system/noc/data/matmul_m4n16k32.yaml " + dir + "/map.yaml",
                       &output),
            2)
      << output;
  EXPECT_NE(output.find("systolic_16x16.yaml:"), std::string::npos) << output;
  EXPECT_NE(output.find("the 'systolic' network cannot carry iact from glb.iact0 to pe0_1"),
            std::string::npos)
      << output;
}

// The last column of every row of a layers.csv: the MACs, in graph order.
std::vector<int64_t> CsvMacs(const std::string& path) {
  std::ifstream file(path);
  std::vector<int64_t> macs;
  std::string line;
  std::getline(file, line);
  while (std::getline(file, line)) macs.push_back(std::stoll(line.substr(line.rfind(',') + 1)));
  return macs;
}

TEST(SystolicRun, VitTinyBlockRunsCycleLevelBitExactWithTheCsvsMacs) {
  const std::string base = ReferenceDir() + "/networks/vit_tiny_block";
  const std::string out = TempDir("systolic_vit");
  std::string output;
  ASSERT_EQ(RunCommand(CyclopsBinary() + " network " + base + ".onnx --arch " + SourceDir() + kArch +
                           " --arch " + SourceDir() + kEnergy + " --arch " + SourceDir() + kConstraints +
                           " --out " + out + " --no-progress",
                       &output),
            0)
      << output;
  const nlohmann::json json = nlohmann::json::parse(ReadFile(out + "/network.json"));
  EXPECT_TRUE(json["output_matches_reference"].get<bool>()) << output;
  std::vector<int64_t> macs;
  int64_t stalled = 0;
  for (const auto& layer : json["layers"])
    if (layer["unit"] == "accel") {
      macs.push_back(layer["macs"]);
      stalled += layer["cycles"]["on_chip_stalls"].get<int64_t>();
    }
  const std::vector<int64_t> expected = CsvMacs(base + ".layers.csv");
  EXPECT_EQ(macs, expected);
  int64_t total = 0;
  for (int64_t value : expected) total += value;
  EXPECT_EQ(json["totals"]["macs"], total);
  EXPECT_GT(stalled, 0);  // simulated cycle by cycle, not estimated
  // Every accelerator layer's own run: bit-exact, every counter equal to the analytical model's.
  int layers = 0;
  for (const auto& entry : fs::directory_iterator(out + "/layers")) {
    if (!fs::exists(entry.path() / "summary.json")) continue;
    const nlohmann::json summary = nlohmann::json::parse(ReadFile((entry.path() / "summary.json").string()));
    EXPECT_EQ(summary["outputs_match"], true) << entry.path();
    EXPECT_EQ(summary["counter_mismatches"], 0) << entry.path();
    ++layers;
  }
  EXPECT_EQ(layers, 8);
}

}  // namespace
}  // namespace cyclops::test
