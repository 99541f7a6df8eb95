#include "sim/network/onnx_importer.h"

#include <onnx/defs/schema.h>
#include <onnx/onnx_pb.h>
#include <onnx/shape_inference/implementation.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <list>
#include <map>
#include <optional>

#include "sim/core/error.h"
#include "sim/network/fixed_point.h"
#include "sim/network/onnx_constant_fold.h"
#include "sim/network/onnx_einsum.h"
#include "sim/network/onnx_graph_check.h"

namespace cyclops::network {
namespace {

using Dims = std::vector<int64_t>;

const char* const kSupported =
    "Conv, Gemm, MatMul, Einsum (as a batched MatMul), MaxPool, AveragePool, GlobalAveragePool, "
    "GlobalMaxPool, Relu, Clip, Sigmoid, Tanh, "
    "HardSigmoid, HardSwish, Erf, Gelu, Sqrt, Add, Sum, Sub, Mul, Div, Pow, Where, Softmax, "
    "LayerNormalization, ReduceMean, Transpose, Reshape, Flatten, Squeeze, Unsqueeze, Concat, Slice, Split, "
    "Pad, Gather, BatchNormalization, Identity, Dropout, Cast, Constant; or --skip-unsupported";

// A tensor's values as doubles, when the file holds all of them (weights-stripped files may not).
std::optional<std::vector<double>> Values(const onnx::TensorProto& t) {
  return TensorValues(t);
}

class Importer {
 public:
  Importer(const std::string& path, bool skip, int64_t batch) : path_(path), skip_(skip), batch_(batch) {}

  OnnxImport Run() {
    onnx::ModelProto model = ReadOnnxModel(path_);
    if (batch_ > 0) SetBatch(model);
    CheckOnnxGraph(path_, model);
    for (const onnx::OperatorSetIdProto& opset : model.opset_import())
      if (opset.domain().empty() || opset.domain() == "ai.onnx") opset_ = opset.version();
    const auto infer = [this](onnx::ModelProto& inferred) {
      try {
        onnx::shape_inference::InferShapes(inferred, onnx::OpSchemaRegistry::Instance(),
                                           onnx::ShapeInferenceOptions(/*check_type=*/false, /*strict=*/1,
                                                                       /*data_prop=*/true));
      } catch (const std::exception& error) {
        std::string what = error.what();  // libonnx's messages span lines: one message, one line
        for (char& c : what)
          if (c == '\n' || c == '\r') c = ' ';
        while (!what.empty() && what.back() == ' ') what.pop_back();
        throw SpecError({path_, 0, 0, ""}, "ONNX shape inference failed: " + what,
                        "a model ONNX's shape inference accepts");
      }
    };
    RewriteEinsumAsMatMul(model);  // attention written as einsum is the MatMul it spells
    infer(model);
    // Shapes the graph computes (torch's x.size() arithmetic) become constants, and the tensors after
    // them get their shapes.
    FoldConstants(model, infer);
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
      if (!out_.network.input_dims.empty())
        throw SpecError(Where("graph input " + input.name()), "a second graph input '" + input.name() + "'",
                        "one graph input (constants as initializers)");
      out_.network.input_dims = ShapeOf(input.name(), "the graph input");
      producer_[input.name()] = "input";
    }
    for (int n = 0; n < graph.node_size(); ++n) Node(graph.node(n), n);
    if (out_.network.layers.empty())
      throw SpecError(Where(""),
                      "no node of the graph is a layer (every one is a constant, an identity or a view)",
                      "a graph that computes something");
    const std::string& output = graph.output(0).name();
    if (!producer_.count(output) || producer_.at(output) != out_.network.layers.back().name)
      throw SpecError(Where("graph output " + output),
                      "the graph output '" + output + "' is not the last layer's output",
                      "one graph output, computed last");
    return std::move(out_);
  }

 private:
  void SetBatch(onnx::ModelProto& model) {
    for (onnx::ValueInfoProto& input : *model.mutable_graph()->mutable_input()) {
      bool is_constant = false;
      for (const onnx::TensorProto& init : model.graph().initializer())
        is_constant |= init.name() == input.name();
      auto* shape = input.mutable_type()->mutable_tensor_type()->mutable_shape();
      if (is_constant || shape->dim_size() == 0) continue;
      shape->mutable_dim(0)->set_dim_value(batch_);
    }
    model.mutable_graph()->clear_value_info();  // inferred again for the new batch
    for (onnx::ValueInfoProto& output : *model.mutable_graph()->mutable_output()) output.clear_type();
  }

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
      throw SpecError(Where(node), node + ": no shape for tensor '" + tensor + "' after ONNX shape inference",
                      "a graph with static shapes");
    for (int64_t dim : found->second)
      if (dim < 0)
        throw SpecError(Where(node), node + ": tensor '" + tensor + "' has a symbolic dimension",
                        "static shapes");
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
  static double FloatAttribute(const onnx::NodeProto& node, const std::string& name, double fallback) {
    const onnx::AttributeProto* attribute = Attribute(node, name);
    return attribute ? attribute->f() : fallback;
  }
  static Dims IntsAttribute(const onnx::NodeProto& node, const std::string& name, Dims fallback) {
    const onnx::AttributeProto* attribute = Attribute(node, name);
    return attribute ? Dims(attribute->ints().begin(), attribute->ints().end()) : fallback;
  }

  bool IsConstant(const std::string& tensor) const {
    return constants_.count(tensor) && !producer_.count(tensor);
  }

  // A constant input's integer values (shape tensors, axes, pads); nullopt when absent or stripped.
  std::optional<Dims> ConstantInts(const onnx::NodeProto& node, int input) const {
    if (node.input_size() <= input || node.input(input).empty() || !IsConstant(node.input(input)))
      return std::nullopt;
    const std::optional<std::vector<double>> values = Values(*constants_.at(node.input(input)));
    if (!values) return std::nullopt;
    Dims ints;
    for (double value : *values) ints.push_back(SaturatedInt64(value));
    return ints;
  }

  // The layer (or "input") producing an activation input; a SpecError when it is not one.
  std::string Source(const onnx::NodeProto& node, const std::string& name, const std::string& tensor) const {
    const auto found = producer_.find(tensor);
    if (found == producer_.end())
      throw SpecError(Where(name),
                      "node '" + name + "' (" + node.op_type() + ") reads '" + tensor +
                          "', which is neither an activation Cyclops computes nor a constant",
                      "inputs from the graph input, layers or initializers");
    return found->second;
  }

  void Add(spec::NetworkLayerSpec layer, const onnx::NodeProto& node,
           const std::vector<std::string>& activations, int output = 0) {
    for (const std::string& tensor : activations) layer.inputs.push_back(Source(node, layer.name, tensor));
    layer.where = Where(layer.name);
    const std::string& result = node.output(output);
    layer.lists["expected_shape"] = ShapeOf(result, layer.name);
    producer_[result] = layer.name;
    out_.network.layers.push_back(std::move(layer));
  }

  static spec::NetworkLayerSpec Layer(const std::string& name, const std::string& op) {
    spec::NetworkLayerSpec layer;
    layer.name = name;
    layer.op = op;
    return layer;
  }

  void Unsupported(const onnx::NodeProto& node, const std::string& name, const std::string& why) {
    if (!skip_)
      throw SpecError(Where(name), "node '" + name + "' (" + node.op_type() + "): " + why, kSupported);
    spec::NetworkLayerSpec layer = Layer(name, "placeholder");
    layer.lists["shape"] = ShapeOf(node.output(0), name);
    layer.note = node.op_type() + " (unsupported: " + why + ")";
    out_.notes.push_back("node '" + name + "' (" + node.op_type() + ") is unsupported (" + why +
                         "): a zero-cost placeholder stands for it");
    std::vector<std::string> activations;
    for (const std::string& input : node.input())
      if (!input.empty() && producer_.count(input)) activations.push_back(input);
    Add(std::move(layer), node, activations);
  }

  // The activation inputs of a node, in order; the others must be constants.
  std::vector<std::string> Activations(const onnx::NodeProto& node) const {
    std::vector<std::string> activations;
    for (const std::string& input : node.input())
      if (!input.empty() && producer_.count(input)) activations.push_back(input);
    return activations;
  }

  spec::ConstantTensor Constant(const std::string& tensor, int operand) const {
    const onnx::TensorProto& t = *constants_.at(tensor);
    return {Dims(t.dims().begin(), t.dims().end()), Values(t).value_or(std::vector<double>{}), operand};
  }

  void Node(const onnx::NodeProto& node, int index) {
    const std::string& op = node.op_type();
    const std::string name = OnnxNodeName(node, index);
    if (!node.domain().empty() && node.domain() != "ai.onnx")
      return Unsupported(node, name, "an operator of the domain '" + node.domain() + "'");
    if (op == "Constant") return ConstantNode(node, name);
    if (op == "Identity" || op == "Dropout" || op == "Cast") {
      if (producer_.count(node.input(0)))
        producer_[node.output(0)] = producer_.at(node.input(0));
      else if (constants_.count(node.input(0)))
        constants_[node.output(0)] = constants_.at(node.input(0));
      return;
    }
    if (Activations(node).empty())
      return Unsupported(node, name, "it computes from constants only (export with constant folding)");
    if (op == "BatchNormalization") return BatchNorm(node, name);
    if (op == "Conv") return Conv(node, name);
    if (op == "Gemm") return Gemm(node, name);
    if (op == "MatMul") return MatMul(node, name);
    if (op == "MaxPool" || op == "AveragePool") return Pool(node, name);
    if (op == "GlobalAveragePool" || op == "GlobalMaxPool")
      return Add(Layer(name, op == "GlobalMaxPool" ? "global_maxpool" : "global_avgpool"), node,
                 {node.input(0)});
    static const std::map<std::string, std::string> kUnary = {
        {"Relu", "relu"}, {"Sigmoid", "sigmoid"}, {"HardSwish", "hard_swish"},
        {"Erf", "erf"},   {"Tanh", "tanh"},       {"Sqrt", "sqrt"}};
    if (const auto found = kUnary.find(op); found != kUnary.end())
      return Add(Layer(name, found->second), node, {node.input(0)});
    if (op == "HardSigmoid") {
      spec::NetworkLayerSpec layer = Layer(name, "hard_sigmoid");
      layer.reals = {{"alpha", FloatAttribute(node, "alpha", 0.2)},
                     {"beta", FloatAttribute(node, "beta", 0.5)}};
      return Add(std::move(layer), node, {node.input(0)});
    }
    if (op == "Gelu") {
      if (const onnx::AttributeProto* approximate = Attribute(node, "approximate");
          approximate && approximate->s() != "none")
        return Unsupported(node, name, "approximate = " + approximate->s());
      return Add(Layer(name, "gelu"), node, {node.input(0)});
    }
    if (op == "Clip") return Clip(node, name);
    static const std::map<std::string, std::string> kBroadcast = {
        {"Add", "add"}, {"Sum", "add"}, {"Sub", "sub"},    {"Mul", "mul"},
        {"Div", "div"}, {"Pow", "pow"}, {"Where", "where"}};
    if (const auto found = kBroadcast.find(op); found != kBroadcast.end())
      return Broadcast(node, name, found->second);
    if (op == "Softmax") return Softmax(node, name);
    if (op == "LayerNormalization") return LayerNorm(node, name);
    if (op == "ReduceMean") return ReduceMean(node, name);
    if (op == "Transpose") return Transpose(node, name);
    if (op == "Flatten" || op == "Reshape" || op == "Squeeze" || op == "Unsqueeze")
      return Reshape(node, name);
    if (op == "Concat") return Concat(node, name);
    if (op == "Slice") return Slice(node, name);
    if (op == "Split") return Split(node, name);
    if (op == "Pad") return Pad(node, name);
    if (op == "Gather") return Gather(node, name);
    Unsupported(node, name, "no layer kind for this op");
  }

  void ConstantNode(const onnx::NodeProto& node, const std::string& name) {
    const onnx::AttributeProto* value = Attribute(node, "value");
    if (!value || !value->has_t()) return Unsupported(node, name, "a Constant without a tensor 'value'");
    owned_.push_back(value->t());
    constants_[node.output(0)] = &owned_.back();
    shapes_[node.output(0)] = Dims(value->t().dims().begin(), value->t().dims().end());
  }

  void BatchNorm(const onnx::NodeProto& node, const std::string& name) {
    const auto found = producer_.find(node.input(0));
    if (found != producer_.end() && !out_.network.layers.empty() &&
        out_.network.layers.back().name == found->second && out_.network.layers.back().op == "conv") {
      producer_[node.output(0)] = found->second;  // folded: scale and shift are part of the conv's weights
      return;
    }
    // elsewhere (DenseNet's pre-activation): a per-channel affine on the vector unit
    if (node.input_size() < 3 || !IsConstant(node.input(1)) || !IsConstant(node.input(2)))
      return Unsupported(node, name, "BatchNormalization with a scale or bias computed by the graph");
    spec::NetworkLayerSpec layer = Layer(name, "batch_norm");
    layer.constants = {Constant(node.input(1), 1), Constant(node.input(2), 2)};
    Add(std::move(layer), node, {node.input(0)});
  }

  void Conv(const onnx::NodeProto& node, const std::string& name) {
    const Dims x = ShapeOf(node.input(0), name), w = ShapeOf(node.input(1), name),
               y = ShapeOf(node.output(0), name);
    if (x.size() != 4 || w.size() != 4 || y.size() != 4)
      return Unsupported(node, name, "only 2-D convolutions ([N, C, H, W]) are layers");
    if (!IsConstant(node.input(1))) return Unsupported(node, name, "a weight computed by the graph");
    const int64_t group = IntAttribute(node, "group", 1);
    if (x[1] % group != 0 || w[0] % group != 0 || w[1] * group != x[1])
      throw SpecError(Where(name),
                      "node '" + name + "' (Conv): group " + std::to_string(group) + " for an input of " +
                          std::to_string(x[1]) + " channels and a weight [" + std::to_string(w[0]) + ", " +
                          std::to_string(w[1]) + ", ...]",
                      "group dividing the channels, weight [M, C / group, kH, kW]");
    const Dims strides = IntsAttribute(node, "strides", {1, 1});
    const Dims dilations = IntsAttribute(node, "dilations", {1, 1});
    if (strides.size() != 2 || dilations.size() != 2)
      throw SpecError(Where(name), "node '" + name + "' (Conv): strides and dilations of another rank",
                      "two of each");
    spec::NetworkLayerSpec layer = Layer(name, "conv");
    layer.problem = {{"G", group},
                     {"C", x[1] / group},
                     {"M", w[0] / group},
                     {"R", w[3]},
                     {"S", w[2]},
                     {"N", x[0]},
                     {"P", y[3]},
                     {"Q", y[2]},
                     {"Wstride", strides[1]},
                     {"Hstride", strides[0]},
                     {"Wdilation", dilations[1]},
                     {"Hdilation", dilations[0]}};
    SetPads(node, name, layer, {x[2], x[3]}, {y[2], y[3]}, {w[2], w[3]}, strides, dilations);
    Add(std::move(layer), node, {node.input(0)});
  }

  // pads (or auto_pad) as pad_top/pad_bottom/pad_left/pad_right, "pad" when all four are equal.
  void SetPads(const onnx::NodeProto& node, const std::string& name, spec::NetworkLayerSpec& layer,
               const Dims& in, const Dims& out, const Dims& kernel, const Dims& strides,
               const Dims& dilations) {
    Dims pads = IntsAttribute(node, "pads", {0, 0, 0, 0});
    if (pads.size() != 4)
      throw SpecError(
          Where(name),
          "node '" + name + "' (" + node.op_type() + "): " + std::to_string(pads.size()) + " pads",
          "four pads (top, left, bottom, right)");
    const onnx::AttributeProto* auto_pad = Attribute(node, "auto_pad");
    const std::string mode = auto_pad ? auto_pad->s() : "NOTSET";
    if (mode == "VALID") pads = {0, 0, 0, 0};
    if (mode == "SAME_UPPER" || mode == "SAME_LOWER")
      for (int k = 0; k < 2; ++k) {
        const int64_t total =
            std::max<int64_t>(0, (out[k] - 1) * strides[k] + (kernel[k] - 1) * dilations[k] + 1 - in[k]);
        pads[k] = mode == "SAME_UPPER" ? total / 2 : total - total / 2;
        pads[k + 2] = total - pads[k];
      }
    if (mode != "NOTSET" && mode != "VALID" && mode != "SAME_UPPER" && mode != "SAME_LOWER")
      throw SpecError(Where(name), "node '" + name + "': auto_pad '" + mode + "'",
                      "NOTSET, VALID, SAME_UPPER, SAME_LOWER");
    if (pads[0] == pads[1] && pads[1] == pads[2] && pads[2] == pads[3]) {
      if (pads[0] != 0) layer.params["pad"] = pads[0];
      return;
    }
    layer.params["pad_top"] = pads[0];
    layer.params["pad_left"] = pads[1];
    layer.params["pad_bottom"] = pads[2];
    layer.params["pad_right"] = pads[3];
  }

  void Gemm(const onnx::NodeProto& node, const std::string& name) {
    const Dims a = ShapeOf(node.input(0), name), b = ShapeOf(node.input(1), name);
    if (a.size() != 2 || b.size() != 2) return Unsupported(node, name, "Gemm of operands not of rank 2");
    if (IntAttribute(node, "transA", 0) != 0) return Unsupported(node, name, "transA = 1");
    const bool transposed = IntAttribute(node, "transB", 0) != 0;
    const int64_t k = transposed ? b[1] : b[0], n = transposed ? b[0] : b[1];
    if (k != a[1])
      throw SpecError(Where(name), "node '" + name + "' (Gemm): K of A and B differ",
                      "matching inner dimensions");
    if (!IsConstant(node.input(1))) return Unsupported(node, name, "Gemm of two activations (use MatMul)");
    spec::NetworkLayerSpec layer = Layer(name, "fc");
    layer.problem = {{"C", k}, {"M", n}};
    if (a[0] != 1) layer.problem["N"] = a[0];
    Add(std::move(layer), node, {node.input(0)});
  }

  void MatMul(const onnx::NodeProto& node, const std::string& name) {
    const Dims a = ShapeOf(node.input(0), name), b = ShapeOf(node.input(1), name);
    if (a.size() < 2 || b.size() < 2) return Unsupported(node, name, "MatMul of a rank-1 operand");
    if (!producer_.count(node.input(0))) return Unsupported(node, name, "a constant first operand");
    spec::NetworkLayerSpec layer = Layer(name, "matmul");
    const int64_t k = a.back();
    if (b[b.size() - 2] != k)
      throw SpecError(Where(name),
                      "node '" + name + "' (MatMul): K of A (" + std::to_string(k) + ") and B (" +
                          std::to_string(b[b.size() - 2]) + ") differ",
                      "[..., M, K] × [..., K, N]");
    if (IsConstant(node.input(1))) {
      if (b.size() != 2) return Unsupported(node, name, "a batched constant second operand");
      int64_t rows = 1;
      for (size_t i = 0; i + 1 < a.size(); ++i) rows *= a[i];
      layer.problem = {{"B", 1}, {"M", rows}, {"N", b[1]}, {"K", k}};
      return Add(std::move(layer), node, {node.input(0)});
    }
    if (a.size() != b.size() || !std::equal(a.begin(), a.end() - 2, b.begin()))
      return Unsupported(node, name, "operands whose batch dimensions differ (broadcast)");
    int64_t batch = 1;
    for (size_t i = 0; i + 2 < a.size(); ++i) batch *= a[i];
    layer.problem = {{"B", batch}, {"M", a[a.size() - 2]}, {"N", b.back()}, {"K", k}};
    layer.params["activations"] = 2;
    Add(std::move(layer), node, {node.input(0), node.input(1)});
  }

  void Clip(const onnx::NodeProto& node, const std::string& name) {
    // Bounds in fixed point (fixed_point.h): Clip(0, 6) is min 0, max 96.
    std::optional<double> low, high;
    for (int k = 1; k <= 2; ++k) {
      if (node.input_size() <= k || node.input(k).empty()) continue;
      if (!IsConstant(node.input(k))) return Unsupported(node, name, "bounds computed by the graph");
      const std::optional<std::vector<double>> values = Values(*constants_.at(node.input(k)));
      if (!values || values->size() != 1)
        return Unsupported(node, name, "a bound that is not a scalar constant");
      (k == 1 ? low : high) = values->front();
    }
    if (const onnx::AttributeProto* min = Attribute(node, "min")) low = min->f();
    if (const onnx::AttributeProto* max = Attribute(node, "max")) high = max->f();
    spec::NetworkLayerSpec layer = Layer(name, "clip");
    for (const auto& [key, bound] : {std::pair{"min", low}, std::pair{"max", high}}) {
      if (!bound) continue;
      if (std::isnan(*bound))
        throw SpecError(Where(name), "node '" + name + "' (Clip): the " + key + " bound is NaN", "a number");
      layer.params[key] = static_cast<int64_t>(std::llround(std::clamp(*bound, -1e6, 1e6) * kOne));
    }
    Add(std::move(layer), node, {node.input(0)});
  }

  void Pool(const onnx::NodeProto& node, const std::string& name) {
    const Dims x = ShapeOf(node.input(0), name), y = ShapeOf(node.output(0), name);
    const Dims kernel = IntsAttribute(node, "kernel_shape", {});
    if (x.size() != 4 || kernel.size() != 2)
      return Unsupported(node, name, "only 2-D pooling ([N, C, H, W])");
    if (node.output_size() > 1 && !node.output(1).empty())
      return Unsupported(node, name, "MaxPool's indices output");
    const Dims strides = IntsAttribute(node, "strides", {1, 1});
    for (int64_t dilation : IntsAttribute(node, "dilations", {1, 1}))
      if (dilation != 1) return Unsupported(node, name, "dilated pooling");
    spec::NetworkLayerSpec layer = Layer(name, node.op_type() == "MaxPool" ? "maxpool" : "avgpool");
    layer.params = {
        {"kernel_h", kernel[0]}, {"kernel_w", kernel[1]}, {"stride_h", strides[0]}, {"stride_w", strides[1]}};
    if (IntAttribute(node, "ceil_mode", 0) != 0) layer.params["ceil_mode"] = 1;
    if (IntAttribute(node, "count_include_pad", 0) != 0) layer.params["count_include_pad"] = 1;
    SetPads(node, name, layer, {x[2], x[3]}, {y[2], y[3]}, kernel, strides, {1, 1});
    Add(std::move(layer), node, {node.input(0)});
  }

  void Broadcast(const onnx::NodeProto& node, const std::string& name, const std::string& op) {
    spec::NetworkLayerSpec layer = Layer(name, op);
    std::vector<std::string> activations;
    for (int k = 0; k < node.input_size(); ++k) {
      const std::string& input = node.input(k);
      if (input.empty()) return Unsupported(node, name, "an omitted operand");
      if (producer_.count(input)) {
        activations.push_back(input);
      } else {
        layer.constants.push_back(Constant(input, k));
      }
    }
    Add(std::move(layer), node, activations);
  }

  void Softmax(const onnx::NodeProto& node, const std::string& name) {
    const Dims x = ShapeOf(node.input(0), name);
    const int64_t axis = IntAttribute(node, "axis", opset_ >= 13 ? -1 : 1);
    const int rank = static_cast<int>(x.size());
    if (opset_ < 13 && NormalAxisOf(axis, rank) != rank - 1)
      return Unsupported(node, name, "opset < 13 Softmax over all axes from " + std::to_string(axis));
    spec::NetworkLayerSpec layer = Layer(name, "softmax");
    layer.params["axis"] = axis;
    Add(std::move(layer), node, {node.input(0)});
  }

  static int NormalAxisOf(int64_t axis, int rank) { return static_cast<int>(axis < 0 ? axis + rank : axis); }

  void LayerNorm(const onnx::NodeProto& node, const std::string& name) {
    for (int k = 1; k < node.output_size(); ++k)
      if (!node.output(k).empty())
        return Unsupported(node, name, "LayerNormalization's mean or inverse-deviation output");
    spec::NetworkLayerSpec layer = Layer(name, "layer_norm");
    layer.params["axis"] = IntAttribute(node, "axis", -1);
    layer.reals["epsilon"] = FloatAttribute(node, "epsilon", 1e-5);
    for (int k = 1; k < node.input_size() && k < 3; ++k) {
      if (node.input(k).empty()) continue;
      if (!IsConstant(node.input(k))) return Unsupported(node, name, "a scale or bias computed by the graph");
      layer.constants.push_back(Constant(node.input(k), k));
    }
    if (layer.constants.size() == 1 && node.input_size() > 2 && !node.input(2).empty())
      return Unsupported(node, name, "a bias without a scale");
    Add(std::move(layer), node, {node.input(0)});
  }

  void ReduceMean(const onnx::NodeProto& node, const std::string& name) {
    spec::NetworkLayerSpec layer = Layer(name, "reduce_mean");
    std::optional<Dims> axes;
    if (const onnx::AttributeProto* attribute = Attribute(node, "axes"))
      axes = Dims(attribute->ints().begin(), attribute->ints().end());
    if (node.input_size() > 1 && !node.input(1).empty()) {
      axes = ConstantInts(node, 1);
      if (!axes) return Unsupported(node, name, "axes computed by the graph");
    }
    if (axes) layer.lists["axes"] = *axes;
    layer.params["keepdims"] = IntAttribute(node, "keepdims", 1);
    Add(std::move(layer), node, {node.input(0)});
  }

  void Transpose(const onnx::NodeProto& node, const std::string& name) {
    const Dims x = ShapeOf(node.input(0), name);
    Dims perm;
    for (size_t k = x.size(); k-- > 0;) perm.push_back(static_cast<int64_t>(k));
    spec::NetworkLayerSpec layer = Layer(name, "transpose");
    layer.lists["perm"] = IntsAttribute(node, "perm", perm);
    Add(std::move(layer), node, {node.input(0)});
  }

  void Reshape(const onnx::NodeProto& node, const std::string& name) {
    const Dims x = ShapeOf(node.input(0), name), y = ShapeOf(node.output(0), name);
    // [N, rest] is the CNN classifier's flatten (the same layer as a YAML network's).
    if (y.size() == 2 && !x.empty() && y[0] == x[0] && x.size() > 1)
      return Add(Layer(name, "flatten"), node, {node.input(0)});
    spec::NetworkLayerSpec layer = Layer(name, "reshape");
    layer.lists["shape"] = y;
    Add(std::move(layer), node, {node.input(0)});
  }

  void Concat(const onnx::NodeProto& node, const std::string& name) {
    spec::NetworkLayerSpec layer = Layer(name, "concat");
    for (int k = 0; k < node.input_size(); ++k)
      if (!producer_.count(node.input(k))) {
        if (!constants_.count(node.input(k)))
          return Unsupported(node, name, "an input that is neither an activation nor a constant");
        layer.constants.push_back(Constant(node.input(k), k));
      }
    layer.params["axis"] = IntAttribute(node, "axis", 1);
    Add(std::move(layer), node, Activations(node));
  }

  // One output as a slice layer: per axis a start and a step, the output shape from ONNX.
  void SliceOutput(const onnx::NodeProto& node, const std::string& name, const Dims& starts,
                   const Dims& steps, int output) {
    spec::NetworkLayerSpec layer = Layer(name, "slice");
    layer.lists["starts"] = starts;
    layer.lists["steps"] = steps;
    layer.lists["shape"] = ShapeOf(node.output(output), name);
    Add(std::move(layer), node, {node.input(0)}, output);
  }

  void Slice(const onnx::NodeProto& node, const std::string& name) {
    const Dims x = ShapeOf(node.input(0), name);
    const int rank = static_cast<int>(x.size());
    std::optional<Dims> starts, ends, axes, steps;
    if (opset_ < 10) {
      starts = IntsAttribute(node, "starts", {});
      ends = IntsAttribute(node, "ends", {});
      axes = IntsAttribute(node, "axes", {});
    } else {
      starts = ConstantInts(node, 1), ends = ConstantInts(node, 2);
      if (node.input_size() > 3 && !node.input(3).empty()) axes = ConstantInts(node, 3);
      if (node.input_size() > 4 && !node.input(4).empty()) steps = ConstantInts(node, 4);
      if (!starts || !ends || (node.input_size() > 3 && !node.input(3).empty() && !axes) ||
          (node.input_size() > 4 && !node.input(4).empty() && !steps))
        return Unsupported(node, name, "starts, ends, axes or steps computed by the graph");
    }
    if (!axes || axes->empty()) {
      axes = Dims();
      for (size_t k = 0; k < starts->size(); ++k) axes->push_back(static_cast<int64_t>(k));
    }
    if (!steps) steps = Dims(starts->size(), 1);
    if (ends->size() != starts->size() || axes->size() != starts->size() || steps->size() != starts->size())
      throw SpecError(Where(name),
                      "node '" + name + "' (Slice): starts, ends, axes and steps of different lengths",
                      "one of each per sliced axis");
    Dims all_starts(rank, 0), all_steps(rank, 1);
    for (size_t k = 0; k < starts->size(); ++k) {
      const int axis = NormalAxisOf((*axes)[k], rank);
      if (axis < 0 || axis >= rank || (*steps)[k] == 0)
        throw SpecError(Where(name),
                        "node '" + name + "' (Slice): axis " + std::to_string((*axes)[k]) + ", step " +
                            std::to_string((*steps)[k]),
                        "axes of the input and non-zero steps");
      const int64_t dim = x[axis], step = (*steps)[k];
      int64_t start = (*starts)[k];
      if (start < 0) start += dim;  // ONNX's clamping: [0, dim] going up, [0, dim − 1] going down
      start = step > 0 ? std::clamp<int64_t>(start, 0, dim) : std::clamp<int64_t>(start, 0, dim - 1);
      all_starts[axis] = start;
      all_steps[axis] = step;
    }
    SliceOutput(node, name, all_starts, all_steps, 0);
  }

  void Split(const onnx::NodeProto& node, const std::string& name) {
    const Dims x = ShapeOf(node.input(0), name);
    const int rank = static_cast<int>(x.size());
    const int axis = NormalAxisOf(IntAttribute(node, "axis", 0), rank);
    if (axis < 0 || axis >= rank)
      throw SpecError(Where(name),
                      "node '" + name + "' (Split): axis " + std::to_string(IntAttribute(node, "axis", 0)),
                      "an axis of the input");
    int64_t start = 0;
    for (int k = 0; k < node.output_size();
         ++k) {  // the sizes as ONNX inferred them (split attribute or input)
      const Dims y = ShapeOf(node.output(k), name);
      Dims starts(rank, 0), steps(rank, 1);
      starts[axis] = start;
      start += y[axis];
      SliceOutput(node, node.output_size() == 1 ? name : name + ":" + std::to_string(k), starts, steps, k);
    }
  }

  void Pad(const onnx::NodeProto& node, const std::string& name) {
    spec::NetworkLayerSpec layer = Layer(name, "pad");
    std::optional<Dims> pads =
        opset_ < 11 ? std::optional<Dims>(IntsAttribute(node, "pads", {})) : ConstantInts(node, 1);
    if (!pads) return Unsupported(node, name, "pads computed by the graph");
    if (node.input_size() > 3 && !node.input(3).empty()) return Unsupported(node, name, "the axes input");
    for (int64_t pad : *pads)
      if (pad < 0 || pad > (int64_t{1} << 31))
        throw SpecError(Where(name), "node '" + name + "' (Pad): pad " + std::to_string(pad),
                        "pads from 0 to 2^31");
    layer.lists["pads"] = *pads;
    const onnx::AttributeProto* mode = Attribute(node, "mode");
    const std::string kind = mode ? mode->s() : "constant";
    static const std::map<std::string, int64_t> kModes = {{"constant", 0}, {"edge", 1}, {"reflect", 2}};
    if (!kModes.count(kind)) return Unsupported(node, name, "mode '" + kind + "'");
    layer.params["mode"] = kModes.at(kind);
    double value = FloatAttribute(node, "value", 0);
    if (opset_ >= 11 && node.input_size() > 2 && !node.input(2).empty()) {
      const std::optional<std::vector<double>> real =
          IsConstant(node.input(2)) ? Values(*constants_.at(node.input(2))) : std::nullopt;
      if (!real || real->size() != 1)
        return Unsupported(node, name, "a constant_value that is not a scalar constant");
      value = real->front();
    }
    if (std::isnan(value))
      throw SpecError(Where(name), "node '" + name + "' (Pad): the pad value is NaN", "a number");
    layer.reals["value"] = value;
    Add(std::move(layer), node, {node.input(0)});
  }

  void Gather(const onnx::NodeProto& node, const std::string& name) {
    const bool data_active = producer_.count(node.input(0)) > 0,
               indices_active = producer_.count(node.input(1)) > 0;
    if (data_active && indices_active) return Unsupported(node, name, "a Gather of two activations");
    spec::NetworkLayerSpec layer = Layer(name, "gather");
    layer.params["axis"] = IntAttribute(node, "axis", 0);
    layer.constants.push_back(Constant(data_active ? node.input(1) : node.input(0), data_active ? 1 : 0));
    if (data_active && layer.constants[0].values.empty())
      return Unsupported(node, name, "indices the file does not hold (stripped)");
    Add(std::move(layer), node, {data_active ? node.input(0) : node.input(1)});
  }

  std::string path_;
  bool skip_;
  int64_t batch_;
  int64_t opset_ = 13;
  OnnxImport out_;
  std::map<std::string, Dims> shapes_;
  std::map<std::string, const onnx::TensorProto*> constants_;
  std::map<std::string, std::string> producer_;  // tensor → layer name ("input" for the graph input)
  std::list<onnx::TensorProto> owned_;           // Constant nodes' tensors, kept at stable addresses
};

}  // namespace

OnnxImport ImportOnnx(const std::string& path, bool skip_unsupported, int64_t batch) {
  return Importer(path, skip_unsupported, batch).Run();
}

}  // namespace cyclops::network
