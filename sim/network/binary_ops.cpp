// Element-wise ops of several operands with numpy (ONNX multidirectional) broadcasting, on the vector unit
// or the host: add, sub, mul, div, pow, where (condition, x, y). Operands are the layer's activations in
// order, with its constants (spec::ConstantTensor, e.g. GELU's 1/√2 or a bias) at their positions.
// Arithmetic is on the real values (fixed_point.h): add and sub of activations are exactly saturating
// integer adds; a division by zero saturates (0/0 is 0); where picks x for a non-zero condition.
// Cost: one element operation per output value and operand beyond the first (div and pow:
// kTranscendentalOps each; where: 1).
#include <algorithm>
#include <cmath>

#include "sim/network/fixed_point.h"
#include "sim/network/op_kernel.h"

namespace cyclops::network {
namespace {

// The broadcast result of `shapes`; empty optional when they do not broadcast.
bool Broadcast(const std::vector<Shape>& shapes, Shape& out) {
  size_t rank = 0;
  for (const Shape& shape : shapes) rank = std::max(rank, shape.dims.size());
  out.dims.assign(rank, 1);
  for (const Shape& shape : shapes)
    for (size_t k = 0; k < shape.dims.size(); ++k) {
      int64_t& dim = out.dims[rank - shape.dims.size() + k];
      const int64_t d = shape.dims[k];
      if (d == dim || d == 1) continue;
      if (dim != 1) return false;
      dim = d;
    }
  return true;
}

// Per output dimension, the operand's stride (0 where it is broadcast).
std::vector<int64_t> BroadcastStrides(const Shape& operand, const Shape& out) {
  std::vector<int64_t> strides(out.dims.size(), 0);
  int64_t stride = 1;
  for (size_t k = operand.dims.size(); k-- > 0;) {
    const size_t axis = out.dims.size() - operand.dims.size() + k;
    strides[axis] = operand.dims[k] == 1 ? 0 : stride;
    stride *= operand.dims[k];
  }
  return strides;
}

class BroadcastOp : public OpKernel {
 public:
  Placement Where() const override { return Placement::kNonMac; }
  Shape Infer(const spec::NetworkLayerSpec& layer, const std::vector<Shape>& inputs) const override {
    const std::vector<Shape> shapes = OperandShapes(layer, inputs);
    if (shapes.size() < 2 || (Arity() > 0 && shapes.size() != static_cast<size_t>(Arity())))
      FailLayer(layer, layer.op + " of " + std::to_string(shapes.size()) + " operands",
                Arity() > 0 ? std::to_string(Arity()) + " operands (activations and constants)"
                            : "two or more operands");
    Shape out;
    std::string listed;
    for (const Shape& shape : shapes) listed += (listed.empty() ? "" : ", ") + shape.ToString();
    if (!Broadcast(shapes, out))
      FailLayer(layer, "operands " + listed + " do not broadcast",
                "shapes equal or 1 in every trailing axis");
    if (out.Elements() < 0) FailLayer(layer, "an output of more than 2^31 values", "smaller tensors");
    return out;
  }
  int64_t Operations(const spec::NetworkLayerSpec& layer, const std::vector<Shape>& inputs,
                     const Shape& output) const override {
    const int64_t operands = static_cast<int64_t>(OperandShapes(layer, inputs).size());
    return output.Elements() * std::max<int64_t>(1, operands - 1) * Cost();
  }
  Activation Compute(const spec::NetworkLayerSpec& layer, const std::vector<const Activation*>& inputs,
                     const OpContext& context) const override {
    std::vector<Shape> input_shapes;
    for (const Activation* input : inputs) input_shapes.push_back(input->shape);
    const std::vector<Shape> shapes = OperandShapes(layer, input_shapes);
    const Shape out_shape = Infer(layer, input_shapes);
    // Every operand as real values; constants may be real-valued (1/√2), activations are fixed point.
    std::vector<std::vector<double>> operands(shapes.size());
    std::vector<bool> is_constant(shapes.size(), false);
    for (size_t c = 0; c < layer.constants.size(); ++c) {
      operands[layer.constants[c].operand] = ConstantReals(layer.constants[c], context.seed, c);
      is_constant[layer.constants[c].operand] = true;
    }
    size_t next = 0;
    for (size_t k = 0; k < operands.size(); ++k) {
      if (is_constant[k]) continue;
      for (int64_t value : inputs[next++]->values) operands[k].push_back(ToReal(value));
    }
    std::vector<std::vector<int64_t>> strides;
    for (const Shape& shape : shapes) strides.push_back(BroadcastStrides(shape, out_shape));
    Activation out{out_shape, std::vector<int64_t>(out_shape.Elements())};
    std::vector<int64_t> index(out_shape.dims.size(), 0), offset(shapes.size(), 0);
    std::vector<double> values(shapes.size());
    for (int64_t e = 0; e < static_cast<int64_t>(out.values.size()); ++e) {
      for (size_t k = 0; k < shapes.size(); ++k) values[k] = operands[k][offset[k]];
      out.values[e] = FromReal(Apply(values), context.value_bits);
      for (size_t axis = index.size(); axis-- > 0;) {  // odometer over the output, offsets follow
        ++index[axis];
        for (size_t k = 0; k < shapes.size(); ++k) offset[k] += strides[k][axis];
        if (index[axis] < out_shape.dims[axis]) break;
        for (size_t k = 0; k < shapes.size(); ++k) offset[k] -= strides[k][axis] * index[axis];
        index[axis] = 0;
      }
    }
    return out;
  }

 protected:
  virtual int Arity() const { return 2; }  // 0: any number
  virtual int64_t Cost() const { return 1; }
  virtual double Apply(const std::vector<double>& operands) const = 0;
};

class AddOp : public BroadcastOp {
  int Arity() const override { return 0; }
  double Apply(const std::vector<double>& v) const override {
    double sum = 0;
    for (double x : v) sum += x;
    return sum;
  }
};
class SubOp : public BroadcastOp {
  double Apply(const std::vector<double>& v) const override { return v[0] - v[1]; }
};
class MulOp : public BroadcastOp {
  double Apply(const std::vector<double>& v) const override { return v[0] * v[1]; }
};
class DivOp : public BroadcastOp {
  int64_t Cost() const override { return kTranscendentalOps; }
  double Apply(const std::vector<double>& v) const override { return v[0] / v[1]; }
};
class PowOp : public BroadcastOp {
  int64_t Cost() const override { return kTranscendentalOps; }
  double Apply(const std::vector<double>& v) const override { return std::pow(v[0], v[1]); }
};
class WhereOp : public BroadcastOp {
  int Arity() const override { return 3; }
  double Apply(const std::vector<double>& v) const override { return v[0] != 0 ? v[1] : v[2]; }
};

// batch_norm (a BatchNormalization not after a conv, e.g. DenseNet's pre-activation): a per-channel affine
// x · scale[c] + bias[c] along axis 1, its constants the folded normalisation (seeded when stripped).
// Cost: 2 element operations per value.
class BatchNormOp : public OpKernel {
 public:
  Placement Where() const override { return Placement::kNonMac; }
  Shape Infer(const spec::NetworkLayerSpec& layer, const std::vector<Shape>& inputs) const override {
    RequireInputs(layer, inputs, 1);
    if (inputs[0].rank() < 2 || layer.constants.size() != 2)
      FailLayer(layer,
                "batch_norm of " + inputs[0].ToString() + " with " + std::to_string(layer.constants.size()) +
                    " constants",
                "[N, C, ...] with a scale and a bias of C values");
    for (const spec::ConstantTensor& constant : layer.constants)
      if (Shape(constant.dims).Elements() != inputs[0][1])
        FailLayer(layer,
                  "a scale or bias of " + Shape(constant.dims).ToString() + " for " + inputs[0].ToString(),
                  std::to_string(inputs[0][1]) + " values");
    return inputs[0];
  }
  int64_t Operations(const spec::NetworkLayerSpec&, const std::vector<Shape>&,
                     const Shape& output) const override {
    return 2 * output.Elements();
  }
  Activation Compute(const spec::NetworkLayerSpec& layer, const std::vector<const Activation*>& inputs,
                     const OpContext& context) const override {
    const Activation& in = *inputs[0];
    const std::vector<double> scale = ConstantReals(layer.constants[0], context.seed, 0);
    const std::vector<double> bias = ConstantReals(layer.constants[1], context.seed, 1);
    const int64_t channels = in.shape[1],
                  inner = in.shape.Elements() / std::max<int64_t>(1, in.shape[0] * channels);
    Activation out{in.shape, std::vector<int64_t>(in.values.size())};
    for (size_t e = 0; e < in.values.size(); ++e) {
      const int64_t c = static_cast<int64_t>(e) / inner % channels;
      out.values[e] = FromReal(ToReal(in.values[e]) * scale[c] + bias[c], context.value_bits);
    }
    return out;
  }
};

CYCLOPS_REGISTER_OP("batch_norm", BatchNormOp);
CYCLOPS_REGISTER_OP("add", AddOp);
CYCLOPS_REGISTER_OP("sub", SubOp);
CYCLOPS_REGISTER_OP("mul", MulOp);
CYCLOPS_REGISTER_OP("div", DivOp);
CYCLOPS_REGISTER_OP("pow", PowOp);
CYCLOPS_REGISTER_OP("where", WhereOp);

}  // namespace
}  // namespace cyclops::network
