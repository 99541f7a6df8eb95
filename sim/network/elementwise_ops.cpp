// Element-wise functions of one activation, on the vector unit or the host (soc_model.h): relu, clip
// (ReLU6 and friends, bounds in activation units), and the fixed-point functions of fixed_point.h: erf,
// sqrt, sigmoid, hard_sigmoid (alpha, beta), hard_swish, gelu (exact, erf form).
// Cost (element operations per output value): relu, clip 1; hard_sigmoid 2; hard_swish 3; erf, sqrt 4 (a
// transcendental function costs kTranscendentalOps); sigmoid 6 (exp, add, divide); gelu 7.
#include <algorithm>
#include <cmath>

#include "sim/network/fixed_point.h"
#include "sim/network/op_kernel.h"

namespace cyclops::network {
namespace {

class UnaryOp : public OpKernel {
 public:
  Placement Where() const override { return Placement::kNonMac; }
  Shape Infer(const spec::NetworkLayerSpec& layer, const std::vector<Shape>& inputs) const override {
    RequireInputs(layer, inputs, 1);
    return inputs[0];
  }
  int64_t Operations(const spec::NetworkLayerSpec&, const std::vector<Shape>&,
                     const Shape& output) const override {
    return output.Elements() * Cost();
  }
  Activation Compute(const spec::NetworkLayerSpec& layer, const std::vector<const Activation*>& inputs,
                     const OpContext& context) const override {
    Activation out = *inputs[0];
    for (int64_t& value : out.values) value = Apply(layer, value, context.value_bits);
    return out;
  }

 protected:
  virtual int64_t Cost() const { return 1; }
  virtual int64_t Apply(const spec::NetworkLayerSpec& layer, int64_t value, int bits) const = 0;
};

class ReluOp : public UnaryOp {
  int64_t Apply(const spec::NetworkLayerSpec&, int64_t value, int) const override {
    return std::max<int64_t>(value, 0);
  }
};

// Bounds in activation units; the ONNX importer writes Clip(0, 6) as min 0, max 96 (fixed_point.h).
class ClipOp : public UnaryOp {
  int64_t Apply(const spec::NetworkLayerSpec& layer, int64_t value, int bits) const override {
    const int64_t low = layer.params.count("min") ? layer.params.at("min") : -(int64_t{1} << (bits - 1));
    const int64_t high = layer.params.count("max") ? layer.params.at("max") : (int64_t{1} << (bits - 1)) - 1;
    return std::clamp(value, low, std::max(low, high));
  }
};

// A function of the real value (fixed_point.h).
class RealUnaryOp : public UnaryOp {
  int64_t Apply(const spec::NetworkLayerSpec& layer, int64_t value, int bits) const override {
    return FromReal(Function(layer, ToReal(value)), bits);
  }

 protected:
  virtual double Function(const spec::NetworkLayerSpec& layer, double x) const = 0;
};

class ErfOp : public RealUnaryOp {
  int64_t Cost() const override { return kTranscendentalOps; }
  double Function(const spec::NetworkLayerSpec&, double x) const override { return std::erf(x); }
};

class SqrtOp : public RealUnaryOp {
  int64_t Cost() const override { return kTranscendentalOps; }
  double Function(const spec::NetworkLayerSpec&, double x) const override { return std::sqrt(x); }
};

class TanhOp : public RealUnaryOp {
  int64_t Cost() const override { return kTranscendentalOps + 2; }
  double Function(const spec::NetworkLayerSpec&, double x) const override { return std::tanh(x); }
};

class SigmoidOp : public RealUnaryOp {
  int64_t Cost() const override { return kTranscendentalOps + 2; }
  double Function(const spec::NetworkLayerSpec&, double x) const override { return 1 / (1 + std::exp(-x)); }
};

// ONNX HardSigmoid: max(0, min(1, alpha·x + beta)), alpha 0.2 and beta 0.5 by default.
class HardSigmoidOp : public RealUnaryOp {
  int64_t Cost() const override { return 2; }
  double Function(const spec::NetworkLayerSpec& layer, double x) const override {
    return std::clamp(Real(layer, "alpha", 0.2) * x + Real(layer, "beta", 0.5), 0.0, 1.0);
  }
};

// ONNX HardSwish: x · max(0, min(1, x / 6 + 1/2)).
class HardSwishOp : public RealUnaryOp {
  int64_t Cost() const override { return 3; }
  double Function(const spec::NetworkLayerSpec&, double x) const override {
    return x * std::clamp(x / 6 + 0.5, 0.0, 1.0);
  }
};

// GELU, exact form: x · (1 + erf(x / √2)) / 2.
class GeluOp : public RealUnaryOp {
  int64_t Cost() const override { return kTranscendentalOps + 3; }
  double Function(const spec::NetworkLayerSpec&, double x) const override {
    return 0.5 * x * (1 + std::erf(x / std::sqrt(2.0)));
  }
};

CYCLOPS_REGISTER_OP("relu", ReluOp);
CYCLOPS_REGISTER_OP("clip", ClipOp);
CYCLOPS_REGISTER_OP("erf", ErfOp);
CYCLOPS_REGISTER_OP("sqrt", SqrtOp);
CYCLOPS_REGISTER_OP("sigmoid", SigmoidOp);
CYCLOPS_REGISTER_OP("tanh", TanhOp);
CYCLOPS_REGISTER_OP("hard_sigmoid", HardSigmoidOp);
CYCLOPS_REGISTER_OP("hard_swish", HardSwishOp);
CYCLOPS_REGISTER_OP("gelu", GeluOp);

}  // namespace
}  // namespace cyclops::network
