// The ONNX importer on small graphs built here with the protobuf API: a Conv → BatchNormalization → Relu
// chain folds the BatchNorm; an unsupported op is an error naming the node, or with skip_unsupported a
// placeholder with a note; shapes come from ONNX's shape inference (no value_info is written here).
#include <gtest/gtest.h>
#include <onnx/onnx_pb.h>

#include <fstream>

#include "sim/core/error.h"
#include "sim/network/network.h"
#include "sim/network/onnx_importer.h"
#include "tests/support/paths.h"

namespace cyclops::network {
namespace {

void Tensor(onnx::GraphProto& graph, const std::string& name, std::vector<int64_t> dims) {
  onnx::TensorProto* tensor = graph.add_initializer();  // shapes only, no values (as in stripped files)
  tensor->set_name(name);
  tensor->set_data_type(onnx::TensorProto::FLOAT);
  for (int64_t dim : dims) tensor->add_dims(dim);
}

onnx::NodeProto& Node(onnx::GraphProto& graph, const std::string& op, const std::string& name,
                      std::vector<std::string> inputs, const std::string& output) {
  onnx::NodeProto* node = graph.add_node();
  node->set_op_type(op);
  node->set_name(name);
  for (const std::string& input : inputs) node->add_input(input);
  node->add_output(output);
  return *node;
}

void Ints(onnx::NodeProto& node, const std::string& name, std::vector<int64_t> values) {
  onnx::AttributeProto* attribute = node.add_attribute();
  attribute->set_name(name);
  attribute->set_type(onnx::AttributeProto::INTS);
  for (int64_t value : values) attribute->add_ints(value);
}

// x [1, 3, 8, 8] → Conv 3×3 pad 1 (16 filters) → BatchNorm → Relu → `last_op` → y
std::string WriteModel(const std::string& last_op) {
  onnx::ModelProto model;
  model.set_ir_version(8);
  model.add_opset_import()->set_version(13);
  onnx::GraphProto& graph = *model.mutable_graph();
  graph.set_name("g");
  onnx::ValueInfoProto* x = graph.add_input();
  x->set_name("x");
  x->mutable_type()->mutable_tensor_type()->set_elem_type(onnx::TensorProto::FLOAT);
  for (int64_t dim : {1, 3, 8, 8})
    x->mutable_type()->mutable_tensor_type()->mutable_shape()->add_dim()->set_dim_value(dim);
  Tensor(graph, "w", {16, 3, 3, 3});
  for (const char* name : {"scale", "bias", "mean", "var"}) Tensor(graph, name, {16});
  onnx::NodeProto& conv = Node(graph, "Conv", "conv", {"x", "w"}, "c");
  Ints(conv, "pads", {1, 1, 1, 1});
  Ints(conv, "kernel_shape", {3, 3});
  Node(graph, "BatchNormalization", "bn", {"c", "scale", "bias", "mean", "var"}, "b");
  Node(graph, "Relu", "relu", {"b"}, "r");
  Node(graph, last_op, "last", {"r"}, "y");
  graph.add_output()->set_name("y");
  const std::string path = test::TempDir("onnx_" + last_op) + ".onnx";
  std::ofstream file(path, std::ios::binary);
  model.SerializeToOstream(&file);
  return path;
}

TEST(OnnxImport, FoldsBatchNormIntoTheConvAndInfersShapes) {
  const OnnxImport imported = ImportOnnx(WriteModel("GlobalAveragePool"), false);
  const Network network(imported.network);
  ASSERT_EQ(network.layers().size(), 3u);  // conv (+ folded bn), relu, global_avgpool
  EXPECT_EQ(network.layers()[0].spec.op, "conv");
  EXPECT_EQ(network.layers()[0].macs, 3 * 16 * 3 * 3 * 8 * 8);
  EXPECT_EQ(network.layers()[1].spec.op, "relu");
  EXPECT_EQ(network.layers()[1].inputs, std::vector<int>{0});  // reads the conv: the BatchNorm vanished
  EXPECT_EQ(network.layers()[2].output, (Shape{1, 16, 1, 1}));
  EXPECT_TRUE(imported.notes.empty());
}

TEST(OnnxImport, UnsupportedOpIsAnErrorNamingTheNodeOrAPlaceholder) {
  const std::string path = WriteModel("Softsign");
  try {
    ImportOnnx(path, false);
    FAIL();
  } catch (const SpecError& error) {
    EXPECT_NE(std::string(error.what()).find("node 'last' (Softsign)"), std::string::npos) << error.what();
    EXPECT_NE(error.valid().find("--skip-unsupported"), std::string::npos);
  }
  const OnnxImport skipped = ImportOnnx(path, true);
  const Network network(skipped.network);
  ASSERT_EQ(network.layers().size(), 3u);
  EXPECT_EQ(network.layers()[2].spec.op, "placeholder");
  EXPECT_EQ(network.layers()[2].output, (Shape{1, 16, 8, 8}));
  EXPECT_EQ(network.layers()[2].operations, 0);
  ASSERT_EQ(skipped.notes.size(), 1u);
  EXPECT_NE(skipped.notes[0].find("Softsign"), std::string::npos);
}

}  // namespace
}  // namespace cyclops::network
