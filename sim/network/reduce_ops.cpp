// Ops that reduce along axes, on the vector unit or the host (fixed_point.h arithmetic):
//   softmax (axis): exp(x − max) / Σ, along one axis;
//   layer_norm (axis, epsilon; constants scale and bias): (x − mean) / √(var + ε) · scale + bias over the
//     axes from `axis` to the last (ONNX LayerNormalization);
//   reduce_mean (list axes, keepdims): the mean over the axes.
// Cost (element operations per input value): softmax 3 + 2·kTranscendentalOps (max, subtract, sum; exp and
// divide); layer_norm 7 (mean, subtract, square, sum, normalise, scale, shift; the per-row √ is not
// counted); reduce_mean 1.
#include <algorithm>
#include <cmath>

#include "sim/network/fixed_point.h"
#include "sim/network/op_kernel.h"

namespace cyclops::network {
namespace {

// A tensor seen as [outer][axis extent][inner] for reductions along one axis.
struct Split3 {
  int64_t outer = 1, extent = 1, inner = 1;
};
Split3 Around(const Shape& shape, int first, int last) {  // axes first..last-1 reduced
  Split3 split;
  for (int k = 0; k < shape.rank(); ++k)
    (k < first ? split.outer : k < last ? split.extent : split.inner) *= shape[k];
  return split;
}

class ReduceBase : public OpKernel {
 public:
  Placement Where() const override { return Placement::kNonMac; }

 protected:
  static int Axis(const spec::NetworkLayerSpec& layer, const Shape& shape, int64_t fallback) {
    const int64_t given = layer.params.count("axis") ? layer.params.at("axis") : fallback;
    const int axis = NormalAxis(given, shape.rank());
    if (axis < 0)
      FailLayer(layer,
                "axis " + std::to_string(given) + " of a rank-" + std::to_string(shape.rank()) + " input",
                "-rank to rank-1");
    return axis;
  }
};

class SoftmaxOp : public ReduceBase {
 public:
  Shape Infer(const spec::NetworkLayerSpec& layer, const std::vector<Shape>& inputs) const override {
    RequireInputs(layer, inputs, 1);
    Axis(layer, inputs[0], -1);
    return inputs[0];
  }
  int64_t Operations(const spec::NetworkLayerSpec&, const std::vector<Shape>&,
                     const Shape& output) const override {
    return output.Elements() * (3 + 2 * kTranscendentalOps);
  }
  Activation Compute(const spec::NetworkLayerSpec& layer, const std::vector<const Activation*>& inputs,
                     const OpContext& context) const override {
    const Activation& in = *inputs[0];
    const int axis = Axis(layer, in.shape, -1);
    const Split3 s = Around(in.shape, axis, axis + 1);
    Activation out{in.shape, std::vector<int64_t>(in.values.size())};
    std::vector<double> e(s.extent);
    for (int64_t o = 0; o < s.outer; ++o)
      for (int64_t i = 0; i < s.inner; ++i) {
        auto at = [&](int64_t k) { return (o * s.extent + k) * s.inner + i; };
        int64_t largest = in.values[at(0)];
        for (int64_t k = 1; k < s.extent; ++k) largest = std::max(largest, in.values[at(k)]);
        double sum = 0;
        for (int64_t k = 0; k < s.extent; ++k) sum += e[k] = std::exp(ToReal(in.values[at(k)] - largest));
        for (int64_t k = 0; k < s.extent; ++k) out.values[at(k)] = FromReal(e[k] / sum, context.value_bits);
      }
    return out;
  }
};

class LayerNormOp : public ReduceBase {
 public:
  Shape Infer(const spec::NetworkLayerSpec& layer, const std::vector<Shape>& inputs) const override {
    RequireInputs(layer, inputs, 1);
    const int axis = Axis(layer, inputs[0], -1);
    const Split3 s = Around(inputs[0], axis, inputs[0].rank());
    for (const spec::ConstantTensor& constant : layer.constants)
      if (Shape(constant.dims).Elements() != s.extent)
        FailLayer(layer,
                  "a scale or bias of " + Shape(constant.dims).ToString() + " for a normalised size of " +
                      std::to_string(s.extent),
                  "scale and bias of the normalised axes' shape");
    if (layer.constants.size() > 2) FailLayer(layer, "more than a scale and a bias", "scale, bias");
    return inputs[0];
  }
  int64_t Operations(const spec::NetworkLayerSpec&, const std::vector<Shape>&,
                     const Shape& output) const override {
    return output.Elements() * 7;
  }
  Activation Compute(const spec::NetworkLayerSpec& layer, const std::vector<const Activation*>& inputs,
                     const OpContext& context) const override {
    const Activation& in = *inputs[0];
    const int axis = Axis(layer, in.shape, -1);
    const Split3 s = Around(in.shape, axis, in.shape.rank());
    const double epsilon = Real(layer, "epsilon", 1e-5);
    const std::vector<double> scale = layer.constants.size() > 0
                                          ? ConstantReals(layer.constants[0], context.seed, 0)
                                          : std::vector<double>(s.extent, 1.0);
    const std::vector<double> bias = layer.constants.size() > 1
                                         ? ConstantReals(layer.constants[1], context.seed, 1)
                                         : std::vector<double>(s.extent, 0.0);
    Activation out{in.shape, std::vector<int64_t>(in.values.size())};
    for (int64_t o = 0; o < s.outer; ++o) {
      const int64_t base = o * s.extent;
      double mean = 0, variance = 0;
      for (int64_t k = 0; k < s.extent; ++k) mean += ToReal(in.values[base + k]);
      mean /= s.extent;
      for (int64_t k = 0; k < s.extent; ++k) variance += std::pow(ToReal(in.values[base + k]) - mean, 2);
      variance /= s.extent;
      const double norm = 1 / std::sqrt(variance + epsilon);
      for (int64_t k = 0; k < s.extent; ++k)
        out.values[base + k] =
            FromReal((ToReal(in.values[base + k]) - mean) * norm * scale[k] + bias[k], context.value_bits);
    }
    return out;
  }
};

class ReduceMeanOp : public ReduceBase {
 public:
  Shape Infer(const spec::NetworkLayerSpec& layer, const std::vector<Shape>& inputs) const override {
    RequireInputs(layer, inputs, 1);
    const std::vector<bool> reduced = Reduced(layer, inputs[0]);
    std::vector<int64_t> dims;
    for (int k = 0; k < inputs[0].rank(); ++k)
      if (!reduced[k])
        dims.push_back(inputs[0][k]);
      else if (Param(layer, "keepdims", 1) != 0)
        dims.push_back(1);
    return Shape(dims);
  }
  int64_t Operations(const spec::NetworkLayerSpec&, const std::vector<Shape>& inputs,
                     const Shape&) const override {
    return inputs.at(0).Elements();
  }
  Activation Compute(const spec::NetworkLayerSpec& layer, const std::vector<const Activation*>& inputs,
                     const OpContext& context) const override {
    const Activation& in = *inputs[0];
    const std::vector<bool> reduced = Reduced(layer, in.shape);
    const Shape out_shape = Infer(layer, {in.shape});
    std::vector<double> sums(out_shape.Elements(), 0);
    int64_t count = 1;
    for (int k = 0; k < in.shape.rank(); ++k) count *= reduced[k] ? in.shape[k] : 1;
    std::vector<int64_t> index(in.shape.rank(), 0);
    for (int64_t value : in.values) {
      int64_t target = 0;
      for (int k = 0; k < in.shape.rank(); ++k)
        if (!reduced[k]) target = target * in.shape[k] + index[k];
      sums[target] += ToReal(value);
      for (int k = in.shape.rank(); k-- > 0;) {
        if (++index[k] < in.shape[k]) break;
        index[k] = 0;
      }
    }
    Activation out{out_shape, {}};
    for (double sum : sums) out.values.push_back(FromReal(sum / count, context.value_bits));
    return out;
  }

 private:
  static std::vector<bool> Reduced(const spec::NetworkLayerSpec& layer, const Shape& shape) {
    std::vector<bool> reduced(shape.rank(), layer.lists.count("axes") == 0);  // no axes: all of them
    if (layer.lists.count("axes"))
      for (int64_t given : layer.lists.at("axes")) {
        const int axis = NormalAxis(given, shape.rank());
        if (axis < 0) FailLayer(layer, "axis " + std::to_string(given), "-rank to rank-1");
        reduced[axis] = true;
      }
    return reduced;
  }
};

CYCLOPS_REGISTER_OP("softmax", SoftmaxOp);
CYCLOPS_REGISTER_OP("layer_norm", LayerNormOp);
CYCLOPS_REGISTER_OP("reduce_mean", ReduceMeanOp);

}  // namespace
}  // namespace cyclops::network
