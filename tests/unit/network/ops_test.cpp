// The non-MAC kernels on hand-computed examples, the conv layout transforms against a direct
// convolution written out here, the requantisation shift, and the SoC cost model by hand.
#include <gtest/gtest.h>

#include <fstream>

#include "sim/mapping/tensor_data.h"
#include "sim/network/conv_layer.h"
#include "sim/network/mac_layer.h"
#include "sim/network/network.h"
#include "sim/network/soc_model.h"
#include "sim/spec/network_loader.h"
#include "tests/support/paths.h"

namespace cyclops::network {
namespace {

spec::NetworkLayerSpec Layer(const std::string& op, std::map<std::string, int64_t> params = {},
                             std::map<std::string, int64_t> problem = {}) {
  spec::NetworkLayerSpec layer;
  layer.name = "l";
  layer.op = op;
  layer.params = std::move(params);
  layer.problem = std::move(problem);
  return layer;
}

Activation Apply(const spec::NetworkLayerSpec& layer, const std::vector<const Activation*>& inputs) {
  return KernelFor(layer).Compute(layer, inputs, OpContext{8, 32, 7});
}

TEST(NonMacOps, MaxPoolWithPaddingIgnoresThePad) {
  // 1 × 3 × 3 map, kernel 2, stride 2, pad 1: windows {-4}, {-3,-2}, {-1,-7}, {-5,-6,-8,-9} → -4 -2 -1 -5
  const Activation in{{1, 1, 3, 3}, {-4, -3, -2, -1, -5, -6, -7, -8, -9}};
  const Activation out = Apply(Layer("maxpool", {{"kernel", 2}, {"stride", 2}, {"pad", 1}}), {&in});
  EXPECT_EQ(out.shape, (Shape{1, 1, 2, 2}));
  EXPECT_EQ(out.values, (std::vector<int64_t>{-4, -2, -1, -5}));
}

TEST(NonMacOps, AveragesRoundTowardMinusInfinity) {
  // (1 + 2 + 3 + 5) / 4 = 2.75 → 2;  (-1 - 2 - 3 - 5) / 4 = -2.75 → -3
  const Activation in{{1, 2, 2, 2}, {1, 2, 3, 5, -1, -2, -3, -5}};
  EXPECT_EQ(Apply(Layer("avgpool", {{"kernel", 2}}), {&in}).values, (std::vector<int64_t>{2, -3}));
  EXPECT_EQ(Apply(Layer("global_avgpool"), {&in}).values, (std::vector<int64_t>{2, -3}));
}

TEST(NonMacOps, AddSaturatesReluAndClipClamp) {
  const Activation a{{1, 1, 4}, {100, -100, 5, 127}}, b{{1, 1, 4}, {100, -100, -7, 0}};
  EXPECT_EQ(Apply(Layer("add"), {&a, &b}).values, (std::vector<int64_t>{127, -128, -2, 127}));
  EXPECT_EQ(Apply(Layer("relu"), {&b}).values, (std::vector<int64_t>{100, 0, 0, 0}));
  EXPECT_EQ(Apply(Layer("clip", {{"min", 0}, {"max", 96}}), {&a}).values,
            (std::vector<int64_t>{96, 0, 5, 96}));
}

TEST(NonMacOps, ConcatStacksChannelsAndFlattenKeepsOrder) {
  const Activation a{{1, 1, 1, 2}, {1, 2}}, b{{1, 2, 1, 2}, {3, 4, 5, 6}};
  const Activation cat = Apply(Layer("concat"), {&a, &b});
  EXPECT_EQ(cat.shape, (Shape{1, 3, 1, 2}));
  EXPECT_EQ(cat.values, (std::vector<int64_t>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(Apply(Layer("flatten"), {&cat}).shape, (Shape{1, 6}));
}

TEST(ConvLayer, RequantShiftFitsTheLargestPsumIntoTheValueBits) {
  // largest |psum| 1000 needs 10 bits, 8-bit values keep 7 magnitude bits: shift 3 (1000 >> 3 = 125)
  EXPECT_EQ(RequantShift({5, -1000, 999}, 8), 3);
  EXPECT_EQ(RequantShift({-1024}, 8), 4);  // 11 bits
  EXPECT_EQ(RequantShift({127, -100}, 8), 0);
  EXPECT_EQ(RequantShift({0, 0}, 8), 0);
  // the unpacked layer: 1000 >> 3 = 125, -1000 >> 3 = -125, 999 >> 3 = 124
  const Activation out = UnpackOutputs(Layer("conv", {}, {{"M", 3}}), {1, 3, 1, 1}, {5, -1000, 999}, 8);
  EXPECT_EQ(out.values, (std::vector<int64_t>{0, -125, 124}));
}

// The conv kernel (pad, transpose into Inputs, reference kernel, requantise) against a direct grouped
// convolution on [c][y][x] maps, with the weights the same seed generates (Weights[g][c][m][r][s], r along
// x, s along y).
TEST(ConvLayer, ComputeEqualsADirectConvolution) {
  // 4 × 5 × 5 input, pad 1: P = (5 + 2 − 3) / 2 + 1 = 3 (x), Q = (5 + 2 − 2) / 1 + 1 = 6 (y)
  const spec::NetworkLayerSpec fitted = Layer(
      "conv", {{"pad", 1}},
      {{"G", 2}, {"C", 2}, {"M", 3}, {"R", 3}, {"S", 2}, {"P", 3}, {"Q", 6}, {"Wstride", 2}, {"Hstride", 1}});
  const Activation in = SeededActivation({1, 4, 5, 5}, 3, 8);
  const OpContext context{8, 32, 11};
  ASSERT_EQ(KernelFor(fitted).Infer(fitted, {in.shape}), (Shape{1, 6, 6, 3}));
  const Activation out = KernelFor(fitted).Compute(fitted, {&in}, context);
  const spec::Workload workload = ProblemWorkload(fitted);
  std::vector<mapping::Tensor> tensors = mapping::ShapeTensors(workload);
  mapping::FillOperands(workload, context.seed, 8, tensors);
  const std::vector<int64_t>& w = tensors[workload.DataSpaceIndex("Weights")].values;
  std::vector<int64_t> psums;  // [g][m][q][p], the direct convolution's
  for (int64_t g = 0; g < 2; ++g)
    for (int64_t m = 0; m < 3; ++m)
      for (int64_t q = 0; q < 6; ++q)
        for (int64_t p = 0; p < 3; ++p) {
          int64_t sum = 0;
          for (int64_t c = 0; c < 2; ++c)
            for (int64_t s = 0; s < 2; ++s)
              for (int64_t r = 0; r < 3; ++r) {
                const int64_t y = q * 1 + s - 1, x = p * 2 + r - 1;
                if (y < 0 || x < 0 || y >= 5 || x >= 5) continue;
                sum += in.At(0, g * 2 + c, y, x) * w[(((g * 2 + c) * 3 + m) * 3 + r) * 2 + s];
              }
          psums.push_back(sum);
        }
  const int shift = RequantShift(psums, 8);
  EXPECT_GT(shift, 0);
  ASSERT_EQ(out.values.size(), psums.size());
  for (size_t k = 0; k < psums.size(); ++k) EXPECT_EQ(out.values[k], Saturate(psums[k] >> shift, 8)) << k;
}

TEST(SocModel, CostsByHand) {
  spec::NetworkSpec spec;
  spec.name = "n";
  spec.input_dims = {1, 2, 4, 4};
  spec.layers = {Layer("relu"),
                 Layer("conv", {{"pad", 1}}, {{"C", 2}, {"M", 4}, {"R", 3}, {"S", 3}, {"P", 4}, {"Q", 4}})};
  spec.layers[1].name = "c";
  const Network network(spec);
  spec::SocSpec soc;  // defaults: DMA 500 + bytes/16, host 0.25/byte + 200/tile, vector 50 + ops/16
  // relu on 2·4·4 = 32 values: vector 50 + 32/16 = 52; DMA (500 + 2) in + (500 + 2) out = 1,004
  const LayerLatency relu = LayerCost(network.layers()[0], soc, 8, 0, 0, 0);
  EXPECT_EQ(relu.vector, 52);
  EXPECT_EQ(relu.dma, 1004);
  EXPECT_EQ(relu.host, 0);
  // conv: padded Inputs 2·6·6 = 72 B, Weights 2·4·3·3 = 72 B, Outputs 4·4·4 = 64 B
  // DMA (500 + 5) + (500 + 5) + (500 + 4) = 1,514; host 72 · 0.25 = 18 + 3 tiles · 200 = 618
  const LayerLatency conv = LayerCost(network.layers()[1], soc, 8, 1000, 900, 3);
  EXPECT_EQ(conv.compute, 900);
  EXPECT_EQ(conv.stalls, 100);
  EXPECT_EQ(conv.dma, 1514);
  EXPECT_EQ(conv.host, 618);
  soc.non_mac_unit = "host";  // 32 ops at 1 per cycle, no DMA
  const LayerLatency on_host = LayerCost(network.layers()[0], soc, 8, 0, 0, 0);
  EXPECT_EQ(on_host.host, 32);
  EXPECT_EQ(on_host.dma + on_host.vector, 0);
}

TEST(NetworkLoader, ErrorsNameFileLineAndTheValidChoices) {
  const std::string head = "network:\n  name: n\n  input: {channels: 3, height: 8, width: 8}\n  layers:\n";
  try {
    spec::LoadNetworkDocument("net.yaml", head + "  - {name: a, op: relu, inputs: [nothere]}\n");
    FAIL();
  } catch (const SpecError& error) {
    EXPECT_EQ(error.where().file, "net.yaml");
    EXPECT_EQ(error.where().line, 5);
    EXPECT_NE(std::string(error.what()).find("nothere"), std::string::npos);
  }
  EXPECT_THROW(spec::LoadNetworkDocument("net.yaml", head + "  - {name: a, op: relu, colour: red}\n"),
               SpecError);
  try {
    Network(spec::LoadNetworkDocument("net.yaml", head + "  - {name: a, op: lrn}\n"));
    FAIL();
  } catch (const SpecError& error) {
    EXPECT_NE(std::string(error.what()).find("unknown op 'lrn'"), std::string::npos);
    EXPECT_NE(error.valid().find("maxpool"), std::string::npos);
  }
  try {  // G·C = 4 but the input has 3 channels
    Network(spec::LoadNetworkDocument("net.yaml",
                                      head + "  - {name: c, op: conv, problem: {C: 4, M: 2, P: 8, Q: 8}}\n"));
    FAIL();
  } catch (const SpecError& error) {
    EXPECT_NE(std::string(error.what()).find("3 channels"), std::string::npos);
  }
  try {  // 3 × 3 without padding on 8 × 8 gives 6 × 6
    Network(spec::LoadNetworkDocument(
        "net.yaml", head + "  - {name: c, op: conv, problem: {C: 3, M: 2, R: 3, S: 3, P: 8, Q: 8}}\n"));
    FAIL();
  } catch (const SpecError& error) {
    EXPECT_NE(error.valid().find("P = 6, Q = 6"), std::string::npos);
  }
}

TEST(NetworkLoader, ReadsTheSocSection) {
  const std::string net =
      "network:\n  name: n\n  input: {channels: 1, height: 2, width: 2}\n  layers:\n  - {name: a, op: "
      "relu}\n";
  const spec::NetworkSpec spec =
      spec::LoadNetworkDocument("net.yaml", net + "soc: {dma_bytes_per_cycle: 32, non_mac_unit: host}\n");
  EXPECT_EQ(spec.soc.dma_bytes_per_cycle, 32);
  EXPECT_EQ(spec.soc.non_mac_unit, "host");
  EXPECT_EQ(spec.soc.dma_setup_cycles, spec::SocSpec{}.dma_setup_cycles);  // the rest keep their defaults
  try {
    spec::LoadNetworkDocument("net.yaml", net + "soc: {non_mac_unit: gpu}\n");
    FAIL();
  } catch (const SpecError& error) {
    EXPECT_EQ(error.where().line, 6);
    EXPECT_EQ(error.valid(), "vector, host");
  }
}

TEST(NetworkLoader, ReadsASocFile) {
  const std::string path = test::TempDir("soc") + ".yaml";
  std::ofstream(path) << "soc:\n  dma_setup_cycles: 20\n  host_cycles_per_tile: 0\n";
  const spec::SocSpec soc = spec::LoadSocFile(path);
  EXPECT_EQ(soc.dma_setup_cycles, 20);
  EXPECT_EQ(soc.host_cycles_per_tile, 0);
  std::ofstream(path) << "soc: {}\nnetwork: {}\n";
  EXPECT_THROW(spec::LoadSocFile(path), SpecError);
}

}  // namespace
}  // namespace cyclops::network
