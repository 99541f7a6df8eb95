// The shipped network descriptions against independent sources: the MAC layers of
// ../shared/reference/networks/NAME.layers.csv (shapes and MACs computed from the ONNX exports by their own
// script) and the ONNX graphs themselves, imported with ONNX's shape inference.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "sim/network/conv_layer.h"
#include "sim/network/network.h"
#include "sim/network/onnx_importer.h"
#include "sim/spec/network_loader.h"
#include "tests/support/paths.h"

namespace cyclops::network {
namespace {

struct CsvLayer {
  int64_t c, h, w, m, p, q, r, s, stride, group, macs;
  std::string op;
};

// NAME.layers.csv: node,op,N,C,H,W,M,P,Q,R,S,"[sh, sw]","[pads]","[dilations]",group,macs
std::vector<CsvLayer> ReadCsv(const std::string& path) {
  std::ifstream file(path);
  std::vector<CsvLayer> layers;
  std::string line;
  std::getline(file, line);
  while (std::getline(file, line)) {
    std::vector<std::string> fields;
    std::string field;
    bool quoted = false;
    for (char c : line) {
      if (c == '"')
        quoted = !quoted;
      else if (c == ',' && !quoted)
        fields.push_back(field), field.clear();
      else
        field += c;
    }
    fields.push_back(field);
    auto number = [&](size_t i) -> int64_t {  // Gemm rows leave the conv fields empty
      const std::string text = fields[i].substr(
          fields[i].find_first_not_of('[') == std::string::npos ? 0 : fields[i].find_first_not_of('['));
      return text.empty() ? 1 : std::stoll(text);
    };
    CsvLayer layer;
    layer.op = fields[1];
    layer.c = number(3), layer.h = number(4), layer.w = number(5), layer.m = number(6), layer.p = number(7);
    layer.q = number(8), layer.r = number(9), layer.s = number(10), layer.stride = number(11);
    layer.group = number(14), layer.macs = number(15);
    layers.push_back(layer);
  }
  return layers;
}

Network LoadYaml(const std::string& name) {
  return Network(spec::LoadNetworkFile(test::SourceDir() + "/configs/workloads/networks/" + name + ".yaml"));
}

class ShippedNetwork : public testing::TestWithParam<std::string> {};

TEST_P(ShippedNetwork, MacLayersMatchTheReferenceCsv) {
  const Network network = LoadYaml(GetParam());
  const std::vector<CsvLayer> csv = ReadCsv(test::ReferenceDir() + "/networks/" + GetParam() + ".layers.csv");
  std::vector<const NetworkLayer*> mac_layers;
  for (const NetworkLayer& layer : network.layers())
    if (layer.on_accelerator()) mac_layers.push_back(&layer);
  ASSERT_EQ(mac_layers.size(), csv.size());
  int64_t csv_total = 0;
  for (size_t i = 0; i < csv.size(); ++i) {
    SCOPED_TRACE(mac_layers[i]->spec.name);
    const auto inst = FullInstance(mac_layers[i]->spec);
    EXPECT_EQ(mac_layers[i]->macs, csv[i].macs);
    EXPECT_EQ(inst.at("M") * inst.at("G"), csv[i].m);
    EXPECT_EQ(inst.at("G"), csv[i].group);
    if (csv[i].op == "Conv") {
      EXPECT_EQ(mac_layers[i]->input_shapes[0], (Shape{1, csv[i].c, csv[i].h, csv[i].w}));
      EXPECT_EQ(inst.at("Q"), csv[i].p);  // the CSV's P is the output height, Cyclops' Q
      EXPECT_EQ(inst.at("P"), csv[i].q);
      EXPECT_EQ(inst.at("S"), csv[i].r);
      EXPECT_EQ(inst.at("R"), csv[i].s);
      EXPECT_EQ(inst.at("Hstride"), csv[i].stride);
    }
    csv_total += csv[i].macs;
  }
  EXPECT_EQ(network.total_macs(), csv_total);
}

TEST_P(ShippedNetwork, OnnxImportGivesTheSameLayers) {
  const Network yaml = LoadYaml(GetParam());
  const Network onnx(ImportOnnx(test::ReferenceDir() + "/networks/" + GetParam() + ".onnx", false).network);
  EXPECT_EQ(onnx.input_shape(), yaml.input_shape());
  ASSERT_EQ(onnx.layers().size(), yaml.layers().size());
  for (size_t i = 0; i < yaml.layers().size(); ++i) {
    const NetworkLayer& a = yaml.layers()[i];
    const NetworkLayer& b = onnx.layers()[i];
    SCOPED_TRACE(a.spec.name + " vs " + b.spec.name);
    EXPECT_EQ(a.spec.op, b.spec.op);
    EXPECT_EQ(a.output, b.output);
    EXPECT_EQ(a.macs, b.macs);
    EXPECT_EQ(a.operations, b.operations);
    ASSERT_EQ(a.inputs.size(), b.inputs.size());
    for (size_t k = 0; k < a.inputs.size(); ++k) EXPECT_EQ(a.inputs[k], b.inputs[k]);
    if (a.on_accelerator()) {
      EXPECT_EQ(FullInstance(a.spec), FullInstance(b.spec));
    }
  }
  EXPECT_EQ(onnx.total_macs(), yaml.total_macs());
}

INSTANTIATE_TEST_SUITE_P(Networks, ShippedNetwork,
                         testing::Values("alexnet", "vgg16", "resnet50", "mobilenet_v1",
                                         "mobilenet_v1_0.5_128", "mobilenet_v2"));

// The issue's figures at 224 × 224 (ResNet-50 ≈ 4.1, MobileNet-v2 ≈ 0.30, AlexNet ≈ 0.72, VGG-16 ≈ 15.5
// GMAC).
TEST(ShippedNetworks, MacTotalsAreThePublishedFigures) {
  EXPECT_NEAR(LoadYaml("resnet50").total_macs() / 1e9, 4.1, 0.05);
  EXPECT_NEAR(LoadYaml("mobilenet_v2").total_macs() / 1e9, 0.30, 0.005);
  EXPECT_NEAR(LoadYaml("alexnet").total_macs() / 1e9, 0.72, 0.01);
  EXPECT_NEAR(LoadYaml("vgg16").total_macs() / 1e9, 15.5, 0.05);
  EXPECT_NEAR(LoadYaml("mobilenet_v1").total_macs() / 1e9, 0.569, 0.005);
  // Eyeriss v2's sparse MobileNet (eyeriss.md): width 0.5, 128 x 128, 49.2 M MACs.
  EXPECT_NEAR(LoadYaml("mobilenet_v1_0.5_128").total_macs() / 1e6, 49.2, 0.5);
}

}  // namespace
}  // namespace cyclops::network

namespace cyclops::network {
namespace {

// Requantisation keeps a deep network's activations alive: through MobileNet-v1 0.5/128's 28 MAC layers
// (the ONNX graph, 49 M MACs) the reference forward pass ends in a mostly non-zero, unsaturated output.
TEST(ReferenceForward, DeepNetworkOutputIsNotDegenerate) {
  const Network network(
      ImportOnnx(test::ReferenceDir() + "/networks/mobilenet_v1_0.5_128.onnx", false).network);
  const Activation out = ReferenceForward(network, 1, 8, 32);
  ASSERT_EQ(out.shape, (Shape{1, 1000}));
  int nonzero = 0, saturated = 0;
  for (int64_t value : out.values) {
    nonzero += value != 0;
    saturated += value == 127 || value == -128;
  }
  EXPECT_GT(nonzero, 900);
  EXPECT_LT(saturated, 100);
}

}  // namespace
}  // namespace cyclops::network
