// torchvision classification models exported with scripts/make_zoo_networks.py (the method of
// ../shared/reference/networks/make_networks.py; tests/data/zoo/) and the transformer blocks of
// ../shared/reference/networks: each imports, and its accelerator layers and MAC total equal NAME.layers.csv,
// counted by the export script from the ONNX shapes.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "sim/network/network.h"
#include "sim/network/onnx_importer.h"
#include "tests/support/paths.h"

namespace cyclops::network {
namespace {

// The last column of every row of a layers.csv: the MACs.
std::vector<int64_t> CsvMacs(const std::string& path) {
  std::ifstream file(path);
  std::vector<int64_t> macs;
  std::string line;
  std::getline(file, line);
  while (std::getline(file, line)) macs.push_back(std::stoll(line.substr(line.rfind(',') + 1)));
  return macs;
}

void ExpectCsvMacs(const std::string& onnx, const std::string& csv) {
  const Network network(ImportOnnx(onnx, false).network);
  const std::vector<int64_t> expected = CsvMacs(csv);
  std::vector<int64_t> macs;
  for (const NetworkLayer& layer : network.layers())
    if (layer.on_accelerator()) macs.push_back(layer.macs);
  EXPECT_EQ(macs, expected);  // layer by layer, in graph order
  int64_t total = 0;
  for (int64_t value : expected) total += value;
  EXPECT_EQ(network.total_macs(), total);
}

TEST(ZooImport, TorchvisionModelsMatchTheirCsv) {
  int models = 0;
  for (const auto& entry : std::filesystem::directory_iterator(test::SourceDir() + "/tests/data/zoo")) {
    if (entry.path().extension() != ".onnx") continue;
    SCOPED_TRACE(entry.path().filename().string());
    std::string csv = entry.path().string();
    csv.replace(csv.size() - 5, 5, ".layers.csv");
    ExpectCsvMacs(entry.path().string(), csv);
    ++models;
  }
  EXPECT_GE(models, 3);
}

TEST(ZooImport, TransformerBlocksMatchTheirCsv) {
  for (const char* name : {"bert_base_layer", "vit_tiny_block"}) {
    SCOPED_TRACE(name);
    const std::string base = test::ReferenceDir() + "/networks/" + name;
    ExpectCsvMacs(base + ".onnx", base + ".layers.csv");
  }
}

// --batch 4 on an ONNX graph: the input and every layer scale by 4 (MobileNet-0.5 has no reshape to a
// fixed batch).
TEST(ZooImport, BatchMultipliesEveryLayer) {
  const std::string path = test::ReferenceDir() + "/networks/mobilenet_v1_0.5_128.onnx";
  const Network one(ImportOnnx(path, false).network), four(ImportOnnx(path, false, 4).network);
  EXPECT_EQ(four.input_shape(), (Shape{4, 3, 128, 128}));
  EXPECT_EQ(four.total_macs(), 4 * one.total_macs());
  EXPECT_EQ(four.layers().back().output, (Shape{4, 1000}));
}

}  // namespace
}  // namespace cyclops::network
