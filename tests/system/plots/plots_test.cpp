// The plot scripts: plot_noc.py labels the link noc.json says is busiest (Eyeriss v1's ifmap Y-bus on
// MobileNet dw13, the case where it used to be drawn under paler links), plot_network.py names ONNX layers
// short; both write a PNG.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "tests/support/paths.h"

namespace cyclops::test {
namespace {

bool IsPng(const std::string& path) {
  const std::string png = ReadFile(path);
  return png.size() > 8 && png.substr(1, 3) == "PNG";
}

TEST(PlotNoc, LabelsTheBusiestLink) {
  const std::string out = TempDir("plot_noc");
  const std::string c = SourceDir() + "/configs/";
  std::string output;
  ASSERT_EQ(RunCommand(CyclopsBinary() + " run " + c + "arch/eyeriss_v1.yaml " + c +
                           "energy/eyeriss_v1_65nm_relative.yaml " + c +
                           "workloads/layers/mobilenet_v1_dw13.yaml " + c +
                           "mappings/eyeriss_v1_mobilenet_dw13.yaml --out " + out,
                       &output),
            0)
      << output;
  // The busiest link by noc.json's own figures.
  const nlohmann::json noc = nlohmann::json::parse(ReadFile(out + "/noc.json"));
  std::map<int, std::string> names;
  for (const auto& node : noc["nodes"]) names[node["id"]] = node["name"];
  const nlohmann::json* busiest = nullptr;
  for (const auto& link : noc["links"])
    if (!busiest || link["utilisation"].get<double>() > (*busiest)["utilisation"].get<double>())
      busiest = &link;
  ASSERT_NE(busiest, nullptr);
  char expected[256];
  std::snprintf(expected, sizeof expected, "busiest links: %.0f%% busy  %s → %s (%d b)",
                100 * (*busiest)["utilisation"].get<double>(), names[(*busiest)["from"]].c_str(),
                names[(*busiest)["to"]].c_str(), (*busiest)["width_bits"].get<int>());
  output.clear();
  ASSERT_EQ(RunCommand("/usr/bin/python3 " + SourceDir() + "/scripts/plot_noc.py " + out + "/noc.json -o " +
                           out + "/noc.png",
                       &output),
            0)
      << output;
  EXPECT_NE(output.find(expected), std::string::npos) << output << "\nexpected: " << expected;
  // The README's figure: the ifmap Y-bus out of the global buffer, busy most of the time at 16 bits.
  EXPECT_EQ(names[(*busiest)["to"]], "iact.y_bus");
  EXPECT_TRUE(IsPng(out + "/noc.png"));
}

TEST(PlotNetwork, ShortLayerNamesAndAPng) {
  const std::string scripts = SourceDir() + "/scripts";
  std::string output;
  ASSERT_EQ(
      RunCommand(
          "/usr/bin/python3 -c \"import sys; sys.path.insert(0, '" + scripts +
              "'); import plot_network as p; print('|'.join(p.short_name(n, o) for n, o in ["
              "('/1/1.3/Conv', 'conv'), ('/layer1/layer1.0/conv1/Conv', 'conv'), "
              "('/GlobalAveragePool', 'global_avgpool'), ('/16/Gemm', 'fc'), ('res2a_branch2a', 'conv'), "
              "('/a_very_long_block_name/another_long_part/Conv', 'conv')]))\"",
          &output),
      0)
      << output;
  EXPECT_NE(output.find("1.3 conv|layer1.0/conv1|global_avgpool|16 fc|res2a_branch2a|a_very_lon…g_part conv"),
            std::string::npos)
      << output;
  const std::string out = TempDir("plot_network");
  std::filesystem::create_directories(out);
  output.clear();
  ASSERT_EQ(RunCommand("/usr/bin/python3 " + scripts + "/plot_network.py " + SourceDir() +
                           "/tests/system/plots/data/tiny_network.json --output " + out + "/network.png",
                       &output),
            0)
      << output;
  EXPECT_TRUE(IsPng(out + "/network.png"));
}

}  // namespace
}  // namespace cyclops::test
