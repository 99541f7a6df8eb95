// The transformer and model-zoo kernels on cases computed by hand in each test (activations are fixed
// point with 4 fraction bits: 16 is 1.0).
#include <gtest/gtest.h>

#include <cmath>

#include "sim/network/fixed_point.h"
#include "sim/network/mac_layer.h"
#include "sim/network/op_kernel.h"

namespace cyclops::network {
namespace {

spec::NetworkLayerSpec Layer(const std::string& op) {
  spec::NetworkLayerSpec layer;
  layer.name = "l";
  layer.op = op;
  return layer;
}

Activation Apply(const spec::NetworkLayerSpec& layer, const std::vector<const Activation*>& inputs) {
  std::vector<Shape> shapes;
  for (const Activation* input : inputs) shapes.push_back(input->shape);
  const Activation out = KernelFor(layer).Compute(layer, inputs, OpContext{8, 32, 7});
  EXPECT_EQ(out.shape, KernelFor(layer).Infer(layer, shapes));
  return out;
}

TEST(MoreOps, CeilModeMaxPoolAddsAPartialWindow) {
  // 1×1×3×3, kernel 2, stride 2: floor mode 1×1, ceil mode ceil((3 − 2) / 2) + 1 = 2 per axis;
  // windows {1,2,4,5} {3,6} {7,8} {9}
  const Activation in{{1, 1, 3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9}};
  spec::NetworkLayerSpec pool = Layer("maxpool");
  pool.params = {{"kernel", 2}, {"stride", 2}};
  EXPECT_EQ(Apply(pool, {&in}).values, (std::vector<int64_t>{5}));
  pool.params["ceil_mode"] = 1;
  EXPECT_EQ(Apply(pool, {&in}).values, (std::vector<int64_t>{5, 6, 8, 9}));
}

TEST(MoreOps, AveragePoolPadsAndCountIncludePad) {
  // 1×1×2×2 {4, 8, 12, 16}, kernel 2, stride 1, pad_top 1 only: output 2×1 (rows −1..0 and 0..1)
  // window 1 = {4, 8} (+ 2 pad positions), window 2 = {4, 8, 12, 16}
  const Activation in{{1, 1, 2, 2}, {4, 8, 12, 16}};
  spec::NetworkLayerSpec pool = Layer("avgpool");
  pool.params = {{"kernel", 2}, {"stride", 1}, {"pad_top", 1}};
  EXPECT_EQ(Apply(pool, {&in}).values, (std::vector<int64_t>{6, 10}));  // 12 / 2, 40 / 4
  pool.params["count_include_pad"] = 1;
  EXPECT_EQ(Apply(pool, {&in}).values, (std::vector<int64_t>{3, 10}));  // 12 / 4
}

TEST(MoreOps, SigmoidHardSigmoidHardSwish) {
  // x = −2, 0, 1.5 (−32, 0, 24). sigmoid: 0.1192 → 2 (1.91), 0.5 → 8, 0.8176 → 13 (13.08)
  const Activation in{{3}, {-32, 0, 24}};
  EXPECT_EQ(Apply(Layer("sigmoid"), {&in}).values, (std::vector<int64_t>{2, 8, 13}));
  // hard_sigmoid alpha 0.2 beta 0.5: 0.1 → 2 (1.6), 0.5 → 8, 0.8 → 13 (12.8)
  EXPECT_EQ(Apply(Layer("hard_sigmoid"), {&in}).values, (std::vector<int64_t>{2, 8, 13}));
  // hard_swish: x · clamp(x / 6 + 0.5): −2 · 0.1667 = −0.333 → −5, 0, 1.5 · 0.75 = 1.125 → 18
  EXPECT_EQ(Apply(Layer("hard_swish"), {&in}).values, (std::vector<int64_t>{-5, 0, 18}));
}

TEST(MoreOps, MulBroadcastsAChannelVector) {
  // [1, 2, 1, 2] × [1, 2, 1, 1] (squeeze-excite): channel 0 × 0.5, channel 1 × 2
  const Activation x{{1, 2, 1, 2}, {16, 32, 16, -8}}, s{{1, 2, 1, 1}, {8, 32}};
  EXPECT_EQ(Apply(Layer("mul"), {&x, &s}).values, (std::vector<int64_t>{8, 16, 32, -16}));
  // a constant operand first: 1.0 − x
  spec::NetworkLayerSpec sub = Layer("sub");
  sub.constants = {{{}, {1.0}, 0}};
  EXPECT_EQ(Apply(sub, {&x}).values, (std::vector<int64_t>{0, -16, 0, 24}));
}

TEST(MoreOps, SoftmaxAndLayerNorm) {
  // softmax of (0, ln 3 ≈ 1.0986 → 18 = 1.125): e^0 = 1, e^1.125 = 3.080; 1 / 4.080 = 0.245 → 4,
  // 0.755 → 12
  const Activation in{{1, 2}, {0, 18}};
  EXPECT_EQ(Apply(Layer("softmax"), {&in}).values, (std::vector<int64_t>{4, 12}));
  // layer norm of (1, 3): mean 2, variance 1 → (−1, 1) → −16, 16 (scale 1, bias 0, ε 1e−5 → 0.999995)
  spec::NetworkLayerSpec norm = Layer("layer_norm");
  norm.constants = {{{2}, {1, 1}, 1}, {{2}, {0, 0.5}, 2}};
  const Activation pair{{1, 2}, {16, 48}};
  EXPECT_EQ(Apply(norm, {&pair}).values, (std::vector<int64_t>{-16, 24}));  // second + 0.5 bias
}

TEST(MoreOps, TransposeReshapeSliceConcatAnyAxis) {
  const Activation in{{2, 3}, {1, 2, 3, 4, 5, 6}};
  spec::NetworkLayerSpec transpose = Layer("transpose");
  transpose.lists["perm"] = {1, 0};
  EXPECT_EQ(Apply(transpose, {&in}).values, (std::vector<int64_t>{1, 4, 2, 5, 3, 6}));
  spec::NetworkLayerSpec unsqueeze = Layer("reshape");  // Unsqueeze(axes 0) → [1, 2, 3]
  unsqueeze.lists["shape"] = {1, 2, 3};
  EXPECT_EQ(Apply(unsqueeze, {&in}).shape, (Shape{1, 2, 3}));
  spec::NetworkLayerSpec slice = Layer("slice");  // [:, 2:0:-1] → columns 2, 1
  slice.lists = {{"starts", {0, 2}}, {"steps", {1, -1}}, {"shape", {2, 2}}};
  EXPECT_EQ(Apply(slice, {&in}).values, (std::vector<int64_t>{3, 2, 6, 5}));
  spec::NetworkLayerSpec split = Layer("slice");  // Split axis 1 into [1, 2]: the second part
  split.lists = {{"starts", {0, 1}}, {"steps", {1, 1}}, {"shape", {2, 2}}};
  EXPECT_EQ(Apply(split, {&in}).values, (std::vector<int64_t>{2, 3, 5, 6}));
  spec::NetworkLayerSpec concat = Layer("concat");
  concat.params["axis"] = -1;
  const Activation b{{2, 1}, {7, 8}};
  EXPECT_EQ(Apply(concat, {&in, &b}).values, (std::vector<int64_t>{1, 2, 3, 7, 4, 5, 6, 8}));
}

TEST(MoreOps, PadModes) {
  const Activation in{{1, 3}, {1, 2, 3}};
  spec::NetworkLayerSpec pad = Layer("pad");
  pad.lists["pads"] = {0, 2, 0, 1};  // two before, one after on the last axis
  pad.reals["value"] = 0.5;
  EXPECT_EQ(Apply(pad, {&in}).values, (std::vector<int64_t>{8, 8, 1, 2, 3, 8}));
  pad.params["mode"] = 1;  // edge
  EXPECT_EQ(Apply(pad, {&in}).values, (std::vector<int64_t>{1, 1, 1, 2, 3, 3}));
  pad.params["mode"] = 2;  // reflect
  EXPECT_EQ(Apply(pad, {&in}).values, (std::vector<int64_t>{3, 2, 1, 2, 3, 2}));
  pad.lists["pads"] = {0, -1, 0, 0};
  EXPECT_THROW(KernelFor(pad).Infer(pad, {in.shape}), SpecError);
}

TEST(MoreOps, GatherRowsOfATable) {
  // an embedding table [3, 2] = (0.25, 0.5), (1, 2), (−1, 0) indexed by (2, 0, 5 → 5 mod 3 = 2)
  spec::NetworkLayerSpec gather = Layer("gather");
  gather.constants = {{{3, 2}, {0.25, 0.5, 1, 2, -1, 0}, 0}};
  const Activation ids{{3}, {2, 0, 5}};
  const Activation out = Apply(gather, {&ids});
  EXPECT_EQ(out.shape, (Shape{3, 2}));
  EXPECT_EQ(out.values, (std::vector<int64_t>{-16, 0, 4, 8, -16, 0}));
}

TEST(MoreOps, MatMulOfTwoActivationsPerBatch) {
  // two batches of [1, 2] × [2, 1]: (1, 2)·(3, 4) = 11 and (−1, 1)·(5, 6) = 1; no requantisation needed
  spec::NetworkLayerSpec mm = Layer("matmul");
  mm.problem = {{"B", 2}, {"M", 1}, {"N", 1}, {"K", 2}};
  mm.params["activations"] = 2;
  const Activation a{{2, 1, 2}, {1, 2, -1, 1}}, b{{2, 2, 1}, {3, 4, 5, 6}};
  const Activation out = Apply(mm, {&a, &b});
  EXPECT_EQ(out.shape, (Shape{2, 1, 1}));
  EXPECT_EQ(out.values, (std::vector<int64_t>{11, 1}));
  EXPECT_EQ(Macs(mm), 2 * 1 * 1 * 2);
}

TEST(MoreOps, OversizedLayersAreRefusedNotAllocated) {
  spec::NetworkLayerSpec conv = Layer("conv");
  conv.problem = {{"C", 1 << 20}, {"M", 1 << 20}, {"P", 1}, {"Q", 1}};  // 2^40 weights
  EXPECT_THROW(KernelFor(conv).Infer(conv, {Shape{1, 1 << 20, 1, 1}}), SpecError);
}

}  // namespace
}  // namespace cyclops::network
