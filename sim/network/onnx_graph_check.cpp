#include "sim/network/onnx_graph_check.h"

#include <sys/stat.h>

#include <cmath>
#include <fstream>
#include <map>
#include <set>

#include "sim/core/error.h"

namespace cyclops::network {

namespace {

constexpr int64_t kLimit = int64_t{1} << 31;  // the largest size, pad or stride accepted (and tensor values)

std::string AttributeList(const onnx::AttributeProto& a) {
  std::string text;
  for (int64_t value : a.ints()) text += (text.empty() ? "" : ", ") + std::to_string(value);
  return "[" + text + "]";
}

bool KnownDataType(int type) {
  return type > onnx::TensorProto::UNDEFINED && onnx::TensorProto::DataType_IsValid(type);
}

class GraphCheck {
 public:
  GraphCheck(const std::string& path, onnx::ModelProto& model) : path_(path), model_(model) {}

  void Run() {
    if (!model_.has_graph()) Fail("", "the model has no graph", "an ONNX model with a graph");
    onnx::GraphProto& graph = *model_.mutable_graph();
    if (graph.node_size() == 0) Fail("", "the graph has no nodes", "a graph with at least one node");
    for (const onnx::TensorProto& init : graph.initializer()) Initializer(init);
    int activation_inputs = 0;
    for (const onnx::ValueInfoProto& input : graph.input()) {
      if (defined_.count(input.name()) && initializers_.count(input.name())) continue;
      GraphInput(input);
      ++activation_inputs;
    }
    if (activation_inputs == 0)
      Fail("", "the graph has no input besides its initializers", "one graph input");
    for (int n = 0; n < graph.node_size(); ++n) Attributes(graph.node(n), n);
    SortNodes(graph);
    if (graph.output_size() == 0) Fail("", "the graph has no output", "one graph output");
    for (const onnx::ValueInfoProto& output : graph.output())
      if (!defined_.count(output.name()))
        Fail("graph output " + output.name(), "graph output '" + output.name() + "' is produced by no node",
             "outputs produced by a node");
  }

 private:
  [[noreturn]] void Fail(const std::string& key, const std::string& what,
                         const std::string& valid = "") const {
    throw SpecError({path_, 0, 0, key}, what, valid);
  }

  void Define(const std::string& name, const std::string& by) {
    if (name.empty()) Fail(by, by + " has an empty name", "named tensors");
    if (!defined_.insert(name).second)
      Fail(by, "tensor '" + name + "' is defined twice (again by " + by + ")", "unique tensor names");
  }

  void Dims(const std::string& what, const google::protobuf::RepeatedField<int64_t>& dims) {
    int64_t product = 1;
    for (int64_t dim : dims) {
      if (dim < 0 || dim > kLimit)
        Fail(what, what + " has a dimension " + std::to_string(dim), "dimensions from 0 to 2^31");
      product = dim == 0 ? 0 : product;
      if (dim > 0 && product > kLimit / dim)
        Fail(what, what + " holds more than 2^31 values", "tensors of at most 2^31 values");
      product *= dim;
    }
  }

  void Initializer(const onnx::TensorProto& init) {
    const std::string what = "initializer '" + init.name() + "'";
    if (!KnownDataType(init.data_type()))
      Fail(what, what + " has the unknown data type " + std::to_string(init.data_type()),
           "an ONNX TensorProto data type");
    Dims(what, init.dims());
    for (int64_t dim : init.dims())
      if (dim == 0)
        Fail(what, what + " is empty (a dimension is 0)", "initializers holding at least one value");
    Define(init.name(), what);
    initializers_[init.name()] = &init;
  }

  void GraphInput(const onnx::ValueInfoProto& input) {
    const std::string what = "graph input '" + input.name() + "'";
    if (!input.type().has_tensor_type()) Fail(what, what + " is not a tensor", "a tensor input");
    const onnx::TypeProto_Tensor& tensor = input.type().tensor_type();
    if (!KnownDataType(tensor.elem_type()))
      Fail(what, what + " has the unknown data type " + std::to_string(tensor.elem_type()),
           "an ONNX TensorProto data type");
    if (!tensor.has_shape()) Fail(what, what + " has no shape", "a static shape");
    int64_t product = 1;
    for (const auto& dim : tensor.shape().dim()) {
      if (!dim.has_dim_value())
        Fail(what, what + " has a symbolic dimension '" + dim.dim_param() + "'",
             "static shapes (or --batch for the first)");
      const int64_t value = dim.dim_value();
      if (value < 1 || value > kLimit)
        Fail(what, what + " has a dimension " + std::to_string(value), "dimensions from 1 to 2^31");
      if (product > kLimit / value)
        Fail(what, what + " holds more than 2^31 values", "an input of at most 2^31 values");
      product *= value;
    }
    Define(input.name(), what);
  }

  void Attributes(const onnx::NodeProto& node, int index) {
    const std::string name = OnnxNodeName(node, index);
    const std::string where = "node '" + name + "' (" + node.op_type() + ")";
    auto fail = [&](const std::string& what, const std::string& valid) {
      Fail(name, where + ": " + what, valid);
    };
    if (node.op_type().empty()) Fail(name, "node '" + name + "' has no op_type", "an ONNX operator");
    if (node.output_size() == 0 || node.output(0).empty()) fail("no output", "a node with an output");
    const bool windowed = node.op_type() == "Conv" || node.op_type() == "MaxPool" ||
                          node.op_type() == "AveragePool" || node.op_type() == "ConvTranspose" ||
                          node.op_type() == "LpPool";
    const onnx::AttributeProto* kernel = nullptr;
    const onnx::AttributeProto* strides = nullptr;
    for (const onnx::AttributeProto& a : node.attribute()) {
      const std::string& key = a.name();
      if (key == "group" && a.i() < 1) fail("group = " + std::to_string(a.i()), "group >= 1");
      if ((key == "strides" || key == "dilations" || key == "kernel_shape") && windowed) {
        for (int64_t value : a.ints())
          if (value < 1 || value > kLimit) fail(key + " " + AttributeList(a), key + " from 1 to 2^31");
        if (key == "strides") strides = &a;
        if (key == "kernel_shape") kernel = &a;
      }
      if (key == "pads" && (windowed || node.op_type() == "Pad")) {
        for (int64_t value : a.ints())
          if (value < 0 || value > kLimit) fail("pads " + AttributeList(a), "pads from 0 to 2^31");
        if (a.ints_size() % 2 != 0)
          fail("pads " + AttributeList(a), "one pad before and one after each axis");
      }
      if ((key == "min" || key == "max") && node.op_type() == "Clip" && std::isnan(a.f()))
        fail("Clip " + key + " is NaN", "a number");
    }
    if (kernel && strides && strides->ints_size() != kernel->ints_size())
      fail("strides " + AttributeList(*strides) + " for a kernel_shape " + AttributeList(*kernel),
           "one stride per kernel axis");
    if (node.op_type() == "Conv") Conv(node, fail);
    if (node.op_type() == "MaxPool" || node.op_type() == "AveragePool")
      if (!kernel) fail("no kernel_shape", "a kernel_shape attribute");
    if (node.op_type() == "Clip")
      for (int k = 1; k < node.input_size() && k < 3; ++k) {
        const auto found = initializers_.find(node.input(k));
        if (found != initializers_.end() && found->second->data_type() == onnx::TensorProto::FLOAT &&
            found->second->float_data_size() > 0 && std::isnan(found->second->float_data(0)))
          fail(std::string("Clip ") + (k == 1 ? "min" : "max") + " is NaN", "a number");
      }
    for (int k = 0; k < node.output_size(); ++k)
      if (!node.output(k).empty()) produced_by_[node.output(k)] = index;
  }

  template <typename FailFn>
  void Conv(const onnx::NodeProto& node, FailFn fail) {
    if (node.input_size() < 2 || node.input(0).empty() || node.input(1).empty())
      fail(std::to_string(node.input_size()) + " input(s)", "Conv(X, W[, B])");
    const auto weight = initializers_.find(node.input(1));
    if (weight == initializers_.end()) return;
    const int rank = weight->second->dims_size();
    if (rank < 3)
      fail("a weight of rank " + std::to_string(rank), "a weight [M, C/group, kH, kW] of rank >= 3");
    for (const onnx::ValueInfoProto& input : model_.graph().input())
      if (input.name() == node.input(0) && input.type().tensor_type().shape().dim_size() != rank)
        fail("an input of rank " + std::to_string(input.type().tensor_type().shape().dim_size()) +
                 " and a weight of rank " + std::to_string(rank),
             "input and weight of the same rank");
  }

  // Kahn's algorithm in the file's order among the nodes that are ready: a valid graph keeps its order.
  void SortNodes(onnx::GraphProto& graph) {
    const int count = graph.node_size();
    std::map<std::string, int> producer;
    for (int n = 0; n < count; ++n)
      for (const std::string& output : graph.node(n).output()) {
        if (output.empty()) continue;
        if (defined_.count(output) || producer.count(output))
          Fail(OnnxNodeName(graph.node(n), n),
               "tensor '" + output + "' is defined twice (again by node '" + OnnxNodeName(graph.node(n), n) +
                   "')",
               "unique tensor names");
        producer[output] = n;
      }
    std::vector<int> pending(count, 0);
    std::vector<std::vector<int>> readers(count);
    for (int n = 0; n < count; ++n)
      for (const std::string& input : graph.node(n).input()) {
        if (input.empty() || defined_.count(input)) continue;
        const auto found = producer.find(input);
        if (found == producer.end())
          Fail(OnnxNodeName(graph.node(n), n),
               "node '" + OnnxNodeName(graph.node(n), n) + "' (" + graph.node(n).op_type() + ") reads '" +
                   input + "', which no graph input, initializer or node produces",
               "every node input produced in the graph");
        ++pending[n];
        readers[found->second].push_back(n);
      }
    std::set<int> ready;
    for (int n = 0; n < count; ++n)
      if (pending[n] == 0) ready.insert(n);
    std::vector<int> order;
    while (!ready.empty()) {
      const int n = *ready.begin();
      ready.erase(ready.begin());
      order.push_back(n);
      for (int reader : readers[n])
        if (--pending[reader] == 0) ready.insert(reader);
    }
    if (static_cast<int>(order.size()) != count) {
      int stuck = 0;
      while (pending[stuck] == 0) ++stuck;
      Fail(OnnxNodeName(graph.node(stuck), stuck),
           "the graph has a cycle through node '" + OnnxNodeName(graph.node(stuck), stuck) + "' (" +
               graph.node(stuck).op_type() + ")",
           "an acyclic graph");
    }
    google::protobuf::RepeatedPtrField<onnx::NodeProto> sorted;
    for (int n : order) *sorted.Add() = graph.node(n);
    graph.mutable_node()->Swap(&sorted);
    for (const auto& [name, n] : producer) defined_.insert(name);
  }

  const std::string& path_;
  onnx::ModelProto& model_;
  std::set<std::string> defined_;
  std::map<std::string, const onnx::TensorProto*> initializers_;
  std::map<std::string, int> produced_by_;
};

}  // namespace

std::string OnnxNodeName(const onnx::NodeProto& node, int index) {
  return node.name().empty() ? node.op_type() + "_" + std::to_string(index) : node.name();
}

onnx::ModelProto ReadOnnxModel(const std::string& path) {
  struct stat info {};
  if (stat(path.c_str(), &info) != 0)
    throw SpecError({path, 0, 0, ""}, "cannot open the file (it does not exist)", "a readable .onnx file");
  if (!S_ISREG(info.st_mode))
    throw SpecError({path, 0, 0, ""}, "not a regular file", "a readable .onnx file");
  std::ifstream file(path, std::ios::binary);
  if (!file) throw SpecError({path, 0, 0, ""}, "cannot open the file", "a readable .onnx file");
  const std::string bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  if (bytes.empty())
    throw SpecError({path, 0, 0, ""}, "the file is empty", "an ONNX model (a serialised onnx.ModelProto)");
  onnx::ModelProto model;
  if (!model.ParseFromString(bytes))
    throw SpecError({path, 0, 0, ""},
                    "not an ONNX model: the protobuf does not parse (truncated or another format)",
                    "an ONNX model (a serialised onnx.ModelProto)");
  if (model.ir_version() <= 0 || model.opset_import_size() == 0)
    throw SpecError({path, 0, 0, ""},
                    "not an ONNX model: no ir_version or no opset_import (" + std::to_string(bytes.size()) +
                        " bytes that parse as something else)",
                    "an ONNX model (a serialised onnx.ModelProto)");
  return model;
}

void CheckOnnxGraph(const std::string& path, onnx::ModelProto& model) {
  GraphCheck(path, model).Run();
}

}  // namespace cyclops::network
