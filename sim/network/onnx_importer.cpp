#include "sim/network/onnx_importer.h"

#include <onnx/onnx_pb.h>
#include <onnx/shape_inference/implementation.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>

#include "sim/core/error.h"

namespace cyclops::network {
namespace {

using Dims = std::vector<int64_t>;

class Importer {
 public:
  Importer(const std::string& path, bool skip) : path_(path), skip_(skip) {}

  OnnxImport Run() {
    onnx::ModelProto model;
    std::ifstream file(path_, std::ios::binary);
    if (!file) throw SpecError({path_, 0, 0, ""}, "cannot open the file", "a readable .onnx file");
    if (!model.ParseFromIstream(&file))
      throw SpecError({path_, 0, 0, ""}, "not an ONNX model (protobuf parse failed)");
    try {
      onnx::shape_inference::InferShapes(model);
    } catch (const std::exception& error) {
      throw SpecError({path_, 0, 0, ""}, std::string("ONNX shape inference failed: ") + error.what());
    }
    const onnx::GraphProto& graph = model.graph();
    out_.network.name =
        std::filesystem::path(path_).stem().string();  // exporters name graphs e.g. "torch_jit"
    out_.network.where = {path_, 0, 0, ""};
    for (const onnx::TensorProto& init : graph.initializer()) {
      constants_[init.name()] = &init;
      shapes_[init.name()] = Dims(init.dims().begin(), init.dims().end());
    }
    for (const auto* list : {&graph.input(), &graph.value_info(), &graph.output()})
      for (const onnx::ValueInfoProto& info : *list) RecordShape(info);
    for (const onnx::ValueInfoProto& input : graph.input()) {
      if (constants_.count(input.name())) continue;
      const Dims dims = ShapeOf(input.name(), "the graph input");
      if (dims.size() != 4 || dims[0] != 1)
        throw SpecError(Where("graph input " + input.name()),
                        "input shape of rank " + std::to_string(dims.size()), "one [1, C, H, W] input");
      if (out_.network.input_channels != 0)
        throw SpecError(Where("graph input " + input.name()), "a second graph input", "one input");
      out_.network.input_channels = dims[1];
      out_.network.input_height = dims[2];
      out_.network.input_width = dims[3];
      producer_[input.name()] = "input";
    }
    for (int n = 0; n < graph.node_size(); ++n) Node(graph.node(n), n);
    return std::move(out_);
  }

 private:
  void RecordShape(const onnx::ValueInfoProto& info) {
    if (!info.type().has_tensor_type() || !info.type().tensor_type().has_shape()) return;
    Dims dims;
    for (const auto& dim : info.type().tensor_type().shape().dim())
      dims.push_back(dim.has_dim_value() ? dim.dim_value() : -1);
    shapes_[info.name()] = dims;
  }

  SourceLocation Where(const std::string& what) const { return {path_, 0, 0, what}; }

  Dims ShapeOf(const std::string& tensor, const std::string& node) const {
    const auto found = shapes_.find(tensor);
    if (found == shapes_.end())
      throw SpecError(Where(node), "no shape for tensor '" + tensor + "' after ONNX shape inference",
                      "a graph with static shapes");
    for (int64_t dim : found->second)
      if (dim < 0)
        throw SpecError(Where(node), "tensor '" + tensor + "' has a symbolic dimension", "static shapes");
    return found->second;
  }

  static const onnx::AttributeProto* Attribute(const onnx::NodeProto& node, const std::string& name) {
    for (const onnx::AttributeProto& attribute : node.attribute())
      if (attribute.name() == name) return &attribute;
    return nullptr;
  }
  static int64_t IntAttribute(const onnx::NodeProto& node, const std::string& name, int64_t fallback) {
    const onnx::AttributeProto* attribute = Attribute(node, name);
    return attribute ? attribute->i() : fallback;
  }
  static Dims IntsAttribute(const onnx::NodeProto& node, const std::string& name, Dims fallback) {
    const onnx::AttributeProto* attribute = Attribute(node, name);
    return attribute ? Dims(attribute->ints().begin(), attribute->ints().end()) : fallback;
  }

  // A scalar constant's value, when the file holds it (weights-stripped files may not).
  std::optional<double> Scalar(const std::string& tensor) const {
    const auto found = constants_.find(tensor);
    if (found == constants_.end()) return std::nullopt;
    const onnx::TensorProto& t = *found->second;
    if (t.float_data_size() > 0) return t.float_data(0);
    if (t.data_type() == onnx::TensorProto::FLOAT && t.raw_data().size() >= 4) {
      float value;
      std::memcpy(&value, t.raw_data().data(), 4);
      return value;
    }
    return std::nullopt;
  }

  std::string NodeName(const onnx::NodeProto& node, int index) const {
    return node.name().empty() ? node.op_type() + "_" + std::to_string(index) : node.name();
  }

  // The layers (or "input") producing the node's activation inputs; constants are skipped.
  std::vector<std::string> Sources(const onnx::NodeProto& node) const {
    std::vector<std::string> sources;
    for (const std::string& input : node.input()) {
      const auto found = producer_.find(input);
      if (found != producer_.end()) sources.push_back(found->second);
    }
    return sources;
  }

  void Add(spec::NetworkLayerSpec layer, const onnx::NodeProto& node) {
    layer.inputs = Sources(node);
    layer.where = Where(layer.name);
    producer_[node.output(0)] = layer.name;
    out_.network.layers.push_back(std::move(layer));
  }

  void Unsupported(const onnx::NodeProto& node, int index, const std::string& why) {
    const std::string name = NodeName(node, index);
    if (!skip_)
      throw SpecError(Where(name), "node '" + name + "' (" + node.op_type() + "): " + why,
                      "Conv, Gemm, MatMul, MaxPool, AveragePool, GlobalAveragePool, Add, Relu, Clip, Concat, "
                      "Flatten, Reshape, BatchNormalization after Conv, Identity, Dropout, Constant; or "
                      "--skip-unsupported");
    const Dims dims = ShapeOf(node.output(0), name);
    Dims chw = {1, 1, 1};
    for (size_t i = 1; i < dims.size() && i <= 3; ++i) chw[i - 1] = dims[i];
    for (size_t i = 4; i < dims.size(); ++i) chw[2] *= dims[i];
    spec::NetworkLayerSpec layer{name,
                                 "placeholder",
                                 {},
                                 {},
                                 {{"channels", chw[0]}, {"height", chw[1]}, {"width", chw[2]}},
                                 node.op_type() + " (unsupported: " + why + ")",
                                 {}};
    out_.notes.push_back("node '" + name + "' (" + node.op_type() + ") is unsupported (" + why +
                         "): a zero-cost placeholder stands for it");
    Add(std::move(layer), node);
  }

  // Symmetric padding as one number; nullopt when the pads differ.
  static std::optional<int64_t> SymmetricPad(const Dims& pads) {
    for (int64_t pad : pads)
      if (pad != pads[0]) return std::nullopt;
    return pads.empty() ? 0 : pads[0];
  }

  void Node(const onnx::NodeProto& node, int index) {
    const std::string& op = node.op_type();
    const std::string name = NodeName(node, index);
    if (op == "Constant") {
      if (const onnx::AttributeProto* value = Attribute(node, "value")) {
        constants_[node.output(0)] = &value->t();
        shapes_[node.output(0)] = Dims(value->t().dims().begin(), value->t().dims().end());
      }
      return;
    }
    if (op == "Identity" || op == "Dropout") {
      if (producer_.count(node.input(0))) producer_[node.output(0)] = producer_.at(node.input(0));
      return;
    }
    if (op == "BatchNormalization") {
      const auto found = producer_.find(node.input(0));
      if (found != producer_.end() && !out_.network.layers.empty() &&
          out_.network.layers.back().name == found->second && out_.network.layers.back().op == "conv") {
        producer_[node.output(0)] = found->second;  // folded: scale and shift are part of the conv's weights
        return;
      }
      return Unsupported(node, index, "BatchNormalization not directly after a Conv");
    }
    if (op == "Conv") return Conv(node, name);
    if (op == "Gemm" || op == "MatMul") return Fc(node, index, name);
    if (op == "Relu") return Add({name, "relu", {}, {}, {}, {}, {}}, node);
    if (op == "Add") {
      if (Sources(node).size() != 2)
        return Unsupported(node, index, "Add of a constant (a bias) is not a layer");
      return Add({name, "add", {}, {}, {}, {}, {}}, node);
    }
    if (op == "Clip") return Clip(node, name);
    if (op == "MaxPool" || op == "AveragePool") return Pool(node, index, name);
    if (op == "GlobalAveragePool") return Add({name, "global_avgpool", {}, {}, {}, {}, {}}, node);
    if (op == "Concat") {
      const int64_t axis = IntAttribute(node, "axis", 1);
      if (axis != 1) return Unsupported(node, index, "Concat along axis " + std::to_string(axis));
      return Add({name, "concat", {}, {}, {}, {}, {}}, node);
    }
    if (op == "Flatten" || op == "Reshape") {
      const Dims out = ShapeOf(node.output(0), name);
      if (out.size() != 2 || out[0] != 1)
        return Unsupported(node, index, "only a reshape to [1, n] is a layer");
      return Add({name, "flatten", {}, {}, {}, {}, {}}, node);
    }
    Unsupported(node, index, "no layer kind for this op");
  }

  void Conv(const onnx::NodeProto& node, const std::string& name) {
    const Dims x = ShapeOf(node.input(0), name), w = ShapeOf(node.input(1), name),
               y = ShapeOf(node.output(0), name);
    if (x.size() != 4)
      throw SpecError(Where(name), "only 2-D convolutions are layers", "Conv on [N, C, H, W]");
    const int64_t group = IntAttribute(node, "group", 1);
    const Dims strides = IntsAttribute(node, "strides", {1, 1});
    const Dims dilations = IntsAttribute(node, "dilations", {1, 1});
    const std::optional<int64_t> pad = SymmetricPad(IntsAttribute(node, "pads", {0, 0, 0, 0}));
    if (!pad) throw SpecError(Where(name), "asymmetric padding", "the same pad on every side");
    spec::NetworkLayerSpec layer{name, "conv", {}, {}, {}, {}, {}};
    layer.problem = {{"G", group},
                     {"C", x[1] / group},
                     {"M", w[0] / group},
                     {"R", w[3]},
                     {"S", w[2]},
                     {"N", 1},
                     {"P", y[3]},
                     {"Q", y[2]},
                     {"Wstride", strides[1]},
                     {"Hstride", strides[0]},
                     {"Wdilation", dilations[1]},
                     {"Hdilation", dilations[0]}};
    if (*pad != 0) layer.params["pad"] = *pad;
    Add(std::move(layer), node);
  }

  void Fc(const onnx::NodeProto& node, int index, const std::string& name) {
    const Dims a = ShapeOf(node.input(0), name), b = ShapeOf(node.input(1), name);
    if (a.size() != 2 || a[0] != 1 || b.size() != 2)
      return Unsupported(node, index, "only [1, K] × [K, N] is an fc layer");
    if (IntAttribute(node, "transA", 0) != 0) return Unsupported(node, index, "transA = 1");
    const bool transposed = node.op_type() == "Gemm" && IntAttribute(node, "transB", 0) != 0;
    const int64_t k = transposed ? b[1] : b[0], n = transposed ? b[0] : b[1];
    if (k != a[1]) throw SpecError(Where(name), "K of A and B differ", "matching inner dimensions");
    Add({name, "fc", {}, {{"C", k}, {"M", n}}, {}, {}, {}}, node);
  }

  void Clip(const onnx::NodeProto& node, const std::string& name) {
    // Activations are fixed point with 4 fraction bits (configs/workloads/networks/README.md): 6.0 = 96.
    double low = 0, high = 6;
    if (node.input_size() > 1 && !node.input(1).empty()) low = Scalar(node.input(1)).value_or(low);
    if (node.input_size() > 2 && !node.input(2).empty()) high = Scalar(node.input(2)).value_or(high);
    if (const onnx::AttributeProto* min = Attribute(node, "min")) low = min->f();
    if (const onnx::AttributeProto* max = Attribute(node, "max")) high = max->f();
    Add({name, "clip", {}, {}, {{"min", std::lround(low * 16)}, {"max", std::lround(high * 16)}}, {}, {}},
        node);
  }

  void Pool(const onnx::NodeProto& node, int index, const std::string& name) {
    const Dims kernel = IntsAttribute(node, "kernel_shape", {});
    const Dims strides = IntsAttribute(node, "strides", {1, 1});
    const std::optional<int64_t> pad = SymmetricPad(IntsAttribute(node, "pads", {0, 0, 0, 0}));
    if (kernel.size() != 2 || kernel[0] != kernel[1] || strides[0] != strides[1] || !pad)
      return Unsupported(node, index, "only square kernels, strides and symmetric pads");
    if (IntAttribute(node, "ceil_mode", 0) != 0) return Unsupported(node, index, "ceil_mode = 1");
    spec::NetworkLayerSpec layer{name, node.op_type() == "MaxPool" ? "maxpool" : "avgpool", {},
                                 {},   {{"kernel", kernel[0]}, {"stride", strides[0]}},     {},
                                 {}};
    if (*pad != 0) layer.params["pad"] = *pad;
    Add(std::move(layer), node);
  }

  std::string path_;
  bool skip_;
  OnnxImport out_;
  std::map<std::string, Dims> shapes_;
  std::map<std::string, const onnx::TensorProto*> constants_;
  std::map<std::string, std::string> producer_;  // tensor → layer name ("input" for the graph input)
};

}  // namespace

OnnxImport ImportOnnx(const std::string& path, bool skip_unsupported) {
  return Importer(path, skip_unsupported).Run();
}

}  // namespace cyclops::network
