// Element-wise and activation ops on integer activations: relu, clip (ReLU6 and friends) and add
// (residual connections, saturating). One operation per output element per input.
#include <algorithm>

#include "sim/network/op_kernel.h"

namespace cyclops::network {
namespace {

class ElementwiseOp : public OpKernel {
 public:
  Placement Where() const override { return Placement::kNonMac; }
  Shape Infer(const spec::NetworkLayerSpec& layer, const std::vector<Shape>& inputs) const override {
    if (inputs.empty() || (inputs.size() != 1 && !Variadic()))
      throw SpecError(layer.where, "layer '" + layer.name + "': " + layer.op + " takes " +
                                       (Variadic() ? "inputs" : "one input") + ", got " +
                                       std::to_string(inputs.size()));
    for (const Shape& shape : inputs)
      if (!(shape == inputs[0]))
        throw SpecError(layer.where,
                        "layer '" + layer.name + "': inputs of different shapes (" + inputs[0].ToString() +
                            ", " + shape.ToString() + ")",
                        "inputs of one shape");
    return inputs[0];
  }
  int64_t Operations(const spec::NetworkLayerSpec&, const std::vector<Shape>& inputs,
                     const Shape& output) const override {
    return output.Elements() *
           static_cast<int64_t>(std::max<size_t>(1, inputs.size() - (Variadic() ? 1 : 0)));
  }
  Activation Compute(const spec::NetworkLayerSpec& layer, const std::vector<const Activation*>& inputs,
                     const OpContext& context) const override {
    Activation out = *inputs[0];
    for (size_t e = 0; e < out.values.size(); ++e) {
      std::vector<int64_t> operands;
      for (const Activation* input : inputs) operands.push_back(input->values[e]);
      out.values[e] = Apply(layer, operands, context.value_bits);
    }
    return out;
  }

 protected:
  virtual bool Variadic() const { return false; }
  virtual int64_t Apply(const spec::NetworkLayerSpec& layer, const std::vector<int64_t>& operands,
                        int bits) const = 0;
};

class ReluOp : public ElementwiseOp {
  int64_t Apply(const spec::NetworkLayerSpec&, const std::vector<int64_t>& operands, int) const override {
    return std::max<int64_t>(operands[0], 0);
  }
};

// Bounds in activation units; the ONNX importer writes Clip(0, 6) as min 0, max 96 (activations are
// read as fixed point with 4 fraction bits, so 6.0 = 96).
class ClipOp : public ElementwiseOp {
  int64_t Apply(const spec::NetworkLayerSpec& layer, const std::vector<int64_t>& operands,
                int bits) const override {
    const int64_t low = layer.params.count("min") ? layer.params.at("min") : 0;
    const int64_t high = layer.params.count("max") ? layer.params.at("max") : (int64_t{1} << (bits - 1)) - 1;
    return std::clamp(operands[0], low, std::max(low, high));
  }
};

class AddOp : public ElementwiseOp {
  bool Variadic() const override { return true; }
  int64_t Apply(const spec::NetworkLayerSpec&, const std::vector<int64_t>& operands,
                int bits) const override {
    int64_t sum = 0;
    for (int64_t value : operands) sum += value;
    return Saturate(sum, bits);
  }
};

CYCLOPS_REGISTER_OP("relu", ReluOp);
CYCLOPS_REGISTER_OP("clip", ClipOp);
CYCLOPS_REGISTER_OP("add", AddOp);

}  // namespace
}  // namespace cyclops::network
