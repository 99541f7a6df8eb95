// Constant folding of shape arithmetic in the ONNX importer, on graphs built here with the protobuf API the
// way torch exports them: shufflenet's x.chunk(2, dim=1) (Shape → Gather → Add → Div → Mul → Slice) and
// channel shuffle (Reshape → Transpose → Reshape), and ViT's class token (a stripped constant Expand-ed by
// a computed shape, then Concat-ed before the patches), and swin's window padding (Mod, a Transpose of the
// pads). No value_info is written: every shape after the
// computed ones exists only once the importer has folded them. MACs are counted by hand.
#include <gtest/gtest.h>
#include <onnx/onnx_pb.h>

#include <fstream>

#include "sim/network/network.h"
#include "sim/network/onnx_einsum.h"
#include "sim/network/onnx_importer.h"
#include "tests/support/paths.h"

namespace cyclops::network {
namespace {

class Graph {
 public:
  Graph() {
    model_.set_ir_version(8);
    model_.add_opset_import()->set_version(13);
    graph().set_name("g");
  }
  onnx::GraphProto& graph() { return *model_.mutable_graph(); }

  void Input(const std::string& name, std::vector<int64_t> dims) {
    onnx::ValueInfoProto* x = graph().add_input();
    x->set_name(name);
    x->mutable_type()->mutable_tensor_type()->set_elem_type(onnx::TensorProto::FLOAT);
    for (int64_t dim : dims)
      x->mutable_type()->mutable_tensor_type()->mutable_shape()->add_dim()->set_dim_value(dim);
  }
  void Weights(const std::string& name, std::vector<int64_t> dims) {  // stripped: shape only
    onnx::TensorProto* tensor = graph().add_initializer();
    tensor->set_name(name);
    tensor->set_data_type(onnx::TensorProto::FLOAT);
    for (int64_t dim : dims) tensor->add_dims(dim);
  }
  void Int64s(const std::string& name, std::vector<int64_t> values) {  // a Constant node, 1-D
    onnx::NodeProto& node = Node("Constant", {}, name);
    onnx::AttributeProto* value = node.add_attribute();
    value->set_name("value");
    value->set_type(onnx::AttributeProto::TENSOR);
    value->mutable_t()->set_data_type(onnx::TensorProto::INT64);
    value->mutable_t()->add_dims(static_cast<int64_t>(values.size()));
    for (int64_t v : values) value->mutable_t()->add_int64_data(v);
  }
  onnx::NodeProto& Node(const std::string& op, std::vector<std::string> inputs, const std::string& output) {
    onnx::NodeProto* node = graph().add_node();
    node->set_op_type(op);
    node->set_name(output + "_node");
    for (const std::string& input : inputs) node->add_input(input);
    node->add_output(output);
    return *node;
  }
  static void Ints(onnx::NodeProto& node, const std::string& name, std::vector<int64_t> values) {
    onnx::AttributeProto* attribute = node.add_attribute();
    attribute->set_name(name);
    attribute->set_type(onnx::AttributeProto::INTS);
    for (int64_t value : values) attribute->add_ints(value);
  }
  static void Int(onnx::NodeProto& node, const std::string& name, int64_t value) {
    onnx::AttributeProto* attribute = node.add_attribute();
    attribute->set_name(name);
    attribute->set_type(onnx::AttributeProto::INT);
    attribute->set_i(value);
  }
  std::string Write(const std::string& name, const std::string& output) {
    graph().add_output()->set_name(output);
    const std::string path = test::TempDir("fold_" + name) + ".onnx";
    std::ofstream file(path, std::ios::binary);
    model_.SerializeToOstream(&file);
    return path;
  }

 private:
  onnx::ModelProto model_;
};

// x [1, 8, 4, 4] → chunk(2, dim 1) as torch exports it: half = (shape[1] + 1) / 2 · 1; a = x[:, 0:half],
// b = x[:, half:2·half] → Conv 1×1 (4 → 4) of b → Concat(a, conv) → channel shuffle (groups 2):
// Reshape [1, 2, 4, 4, 4] → Transpose (0, 2, 1, 3, 4) → Reshape [1, 8, 4, 4] → Conv 1×1 (8 → 3).
std::string ShuffleUnit() {
  Graph g;
  g.Input("x", {1, 8, 4, 4});
  g.Weights("w1", {4, 4, 1, 1});
  g.Weights("w2", {3, 8, 1, 1});
  g.Node("Shape", {"x"}, "shape");
  g.Int64s("one_index", {1});
  g.Node("Gather", {"shape", "one_index"}, "channels");
  g.Int64s("plus", {1});
  g.Node("Add", {"channels", "plus"}, "rounded");
  g.Int64s("two", {2});
  g.Node("Div", {"rounded", "two"}, "half");
  g.Int64s("times", {1});
  g.Node("Mul", {"half", "times"}, "end_a");
  g.Int64s("times2", {2});
  g.Node("Mul", {"half", "times2"}, "end_b");
  g.Int64s("zero", {0});
  g.Node("Slice", {"x", "zero", "end_a", "one_index"}, "a");
  g.Node("Slice", {"x", "end_a", "end_b", "one_index"}, "b");
  g.Node("Conv", {"b", "w1"}, "conv_b");
  Graph::Int(g.Node("Concat", {"a", "conv_b"}, "joined"), "axis", 1);
  g.Int64s("grouped", {1, 2, 4, 4, 4});
  g.Node("Reshape", {"joined", "grouped"}, "split_groups");
  Graph::Ints(g.Node("Transpose", {"split_groups"}, "swapped"), "perm", {0, 2, 1, 3, 4});
  g.Node("Shape", {"joined"}, "joined_shape");  // torch reads the target shape back from the tensor
  g.Node("Reshape", {"swapped", "joined_shape"}, "shuffled");
  g.Node("Conv", {"shuffled", "w2"}, "y");
  return g.Write("shuffle", "y");
}

TEST(OnnxConstantFold, ShufflenetChunkAndChannelShuffleImport) {
  const Network network(ImportOnnx(ShuffleUnit(), false).network);
  // conv_b: 4 filters × 4 channels × 4 × 4 = 256 MACs; y: 3 × 8 × 4 × 4 = 384
  EXPECT_EQ(network.total_macs(), 256 + 384);
  std::vector<std::string> ops;
  for (const NetworkLayer& layer : network.layers()) ops.push_back(layer.spec.op);
  EXPECT_EQ(ops, (std::vector<std::string>{"slice", "slice", "conv", "concat", "reshape", "transpose",
                                           "reshape", "conv"}));
  EXPECT_EQ(network.layers()[0].output, (Shape{1, 4, 4, 4}));  // half of 8 channels: (8 + 1) / 2 = 4
  EXPECT_EQ(network.layers()[1].output, (Shape{1, 4, 4, 4}));
  EXPECT_EQ(network.layers()[5].output, (Shape{1, 4, 2, 4, 4}));
  EXPECT_EQ(network.layers().back().output, (Shape{1, 3, 4, 4}));
}

// x [1, 3, 4] (3 patches of width 4) → the class token cls [1, 1, 4] (stripped), Expand-ed to
// [batch, 1, 4] with batch = shape(x)[0] → Concat before the patches: [1, 4, 4] → MatMul w [4, 5].
std::string ClassToken() {
  Graph g;
  g.Input("x", {1, 3, 4});
  g.Weights("cls", {1, 1, 4});
  g.Weights("w", {4, 5});
  g.Node("Shape", {"x"}, "shape");
  g.Int64s("first", {0});
  g.Node("Gather", {"shape", "first"}, "batch");
  g.Int64s("rest", {1, 4});
  Graph::Int(g.Node("Concat", {"batch", "rest"}, "target"), "axis", 0);
  g.Node("Expand", {"cls", "target"}, "tokens");
  Graph::Int(g.Node("Concat", {"tokens", "x"}, "sequence"), "axis", 1);
  g.Node("MatMul", {"sequence", "w"}, "y");
  return g.Write("class_token", "y");
}

TEST(OnnxConstantFold, ClassTokenOfAStrippedConstantIsConcatenated) {
  const Network network(ImportOnnx(ClassToken(), false).network);
  ASSERT_EQ(network.layers().size(), 2u);  // concat (with the token as its constant), matmul
  EXPECT_EQ(network.layers()[0].spec.op, "concat");
  ASSERT_EQ(network.layers()[0].spec.constants.size(), 1u);
  EXPECT_EQ(network.layers()[0].spec.constants[0].dims, (std::vector<int64_t>{1, 1, 4}));
  EXPECT_EQ(network.layers()[0].spec.constants[0].operand, 0);  // before the patches
  EXPECT_EQ(network.layers()[0].output, (Shape{1, 4, 4}));
  EXPECT_EQ(network.total_macs(), 4 * 4 * 5);  // 4 tokens × 4 × 5
  // The reference forward pass runs through the concat with its seeded token.
  EXPECT_EQ(ReferenceForward(network, 1, 8, 32).shape, (Shape{1, 4, 5}));
}

// Swin's window padding, as torch exports it: x [1, 5, 5, 4] (NHWC) padded at the bottom and right to a
// multiple of the window 3: pad = (0 − H) mod 3 with ONNX Mod's default sign of the divisor (−5 mod 3 = 1;
// C's fmod would give −2), the pads written per axis as [4, 2] (begin, end) pairs, Transpose-d to
// [2, 4] and flattened to ONNX's [begins..., ends...] order → Pad → [1, 6, 6, 4] → MatMul w [4, 5].
std::string WindowPadding() {
  Graph g;
  g.Input("x", {1, 5, 5, 4});
  g.Weights("w", {4, 5});
  g.Node("Shape", {"x"}, "shape");
  g.Int64s("h_index", {1});
  g.Node("Gather", {"shape", "h_index"}, "h");
  g.Int64s("zero", {0});
  g.Node("Sub", {"zero", "h"}, "minus_h");
  g.Int64s("window", {3});
  g.Node("Mod", {"minus_h", "window"}, "pad");
  Graph::Int(g.Node("Concat", {"zero", "zero", "zero", "pad", "zero", "pad", "zero", "zero"}, "pairs"),
             "axis", 0);
  g.Int64s("per_axis", {4, 2});
  g.Node("Reshape", {"pairs", "per_axis"}, "pair_rows");
  Graph::Ints(g.Node("Transpose", {"pair_rows"}, "begin_end"), "perm", {1, 0});
  g.Int64s("flat", {-1});
  g.Node("Reshape", {"begin_end", "flat"}, "pads");
  g.Node("Pad", {"x", "pads"}, "padded");
  g.Node("MatMul", {"padded", "w"}, "y");
  return g.Write("window_padding", "y");
}

TEST(OnnxConstantFold, SwinWindowPaddingFoldsModAndTranspose) {
  const Network network(ImportOnnx(WindowPadding(), false).network);
  ASSERT_EQ(network.layers().size(), 2u);  // pad, matmul
  EXPECT_EQ(network.layers()[0].spec.op, "pad");
  EXPECT_EQ(network.layers()[0].output, (Shape{1, 6, 6, 4}));  // 5 + (−5 mod 3 = 1) rows and columns
  EXPECT_EQ(network.total_macs(), 6 * 6 * 5 * 4);              // 36 positions × 5 outputs × 4
}

// MaxViT's attention written with einsum: S = einsum("b h i d, b h j d -> b h i j", Q, K) (Q·Kᵀ) and
// Y = einsum("bhij,bhjd->bhid", S, V), on x [1, 2, 3, 4] as Q, K and V. Each becomes a MatMul (the first
// after a Transpose of K's last two axes): 1·2 · 3·3 outputs × 4 + 1·2 · 3·4 outputs × 3 = 72 + 72 MACs.
TEST(OnnxConstantFold, EinsumAttentionImportsAsMatMuls) {
  Graph g;
  g.Input("x", {1, 2, 3, 4});
  onnx::NodeProto& scores = g.Node("Einsum", {"x", "x"}, "scores");
  onnx::AttributeProto* equation = scores.add_attribute();
  equation->set_name("equation");
  equation->set_type(onnx::AttributeProto::STRING);
  equation->set_s("b h i d, b h j d -> b h i j");
  onnx::NodeProto& mixed = g.Node("Einsum", {"scores", "x"}, "y");
  equation = mixed.add_attribute();
  equation->set_name("equation");
  equation->set_type(onnx::AttributeProto::STRING);
  equation->set_s("bhij,bhjd->bhid");
  const Network network(ImportOnnx(g.Write("einsum", "y"), false).network);
  std::vector<std::string> ops;
  for (const NetworkLayer& layer : network.layers()) ops.push_back(layer.spec.op);
  EXPECT_EQ(ops, (std::vector<std::string>{"transpose", "matmul", "matmul"}));
  EXPECT_EQ(network.layers()[1].output, (Shape{1, 2, 3, 3}));
  EXPECT_EQ(network.layers().back().output, (Shape{1, 2, 3, 4}));
  EXPECT_EQ(network.total_macs(), 72 + 72);
}

// Equations that are not a batched matmul stay Einsum (and the importer refuses the node by name).
TEST(OnnxConstantFold, OnlyBatchedMatMulEinsumsAreRewritten) {
  ASSERT_TRUE(EinsumAsMatMul("bhid,bhjd->bhij"));
  EXPECT_TRUE(EinsumAsMatMul("b h i d, b h j d -> b h i j")->transpose_second);
  ASSERT_TRUE(EinsumAsMatMul("ik,kj->ij"));
  EXPECT_FALSE(EinsumAsMatMul("ik,kj->ij")->transpose_second);
  EXPECT_FALSE(EinsumAsMatMul("ii->i"));               // a trace: one operand
  EXPECT_FALSE(EinsumAsMatMul("ij,jk->ik,"));          // malformed
  EXPECT_FALSE(EinsumAsMatMul("bij,cjk->bik"));        // batch letters differ
  EXPECT_FALSE(EinsumAsMatMul("ik,kj->ji"));           // transposed result
  EXPECT_FALSE(EinsumAsMatMul("...ik,...kj->...ij"));  // ellipsis: not handled
}

}  // namespace
}  // namespace cyclops::network
