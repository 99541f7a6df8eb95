// Ops that only re-interpret bytes (views, free): flatten ([N, rest]), reshape (list shape: ONNX Reshape,
// Flatten, Squeeze and Unsqueeze after the importer resolved the target), identity, concat along any axis
// (the producers write into one buffer), and the zero-cost placeholder that stands for an unsupported ONNX
// op under --skip-unsupported (zeros of the shape ONNX inferred, list shape).
// Ops that move values (vector unit or host, one element operation per output value): transpose (list
// perm), slice (lists starts, steps, shape: one start and step per axis and the output shape; ONNX Slice
// and each output of Split), pad (lists pads [begin..., end...], param mode 0 constant / 1 edge / 2 reflect,
// real value), gather (param axis; a constant table indexed by an activation, or an activation indexed by
// constant indices; activation indices are read as integers modulo the axis size).
#include <algorithm>
#include <numeric>

#include "sim/network/fixed_point.h"
#include "sim/network/op_kernel.h"

namespace cyclops::network {
namespace {

std::vector<int64_t> RowMajorStrides(const Shape& shape) {
  std::vector<int64_t> strides(shape.rank(), 1);
  for (int k = shape.rank() - 1; k > 0; --k) strides[k - 1] = strides[k] * shape[k];
  return strides;
}

// Calls visit(index) for every index of `shape` in row-major order.
template <typename Visit>
void ForEachIndex(const Shape& shape, Visit visit) {
  const int64_t count = shape.Elements();
  std::vector<int64_t> index(shape.rank(), 0);
  for (int64_t e = 0; e < count; ++e) {
    visit(index);
    for (int k = shape.rank(); k-- > 0;) {
      if (++index[k] < shape[k]) break;
      index[k] = 0;
    }
  }
}

Shape CheckedShape(const spec::NetworkLayerSpec& layer, const std::vector<int64_t>& dims) {
  Shape shape(dims);
  if (shape.Elements() < 0)
    FailLayer(layer, "an output shape " + shape.ToString(), "non-negative sizes, at most 2^31 values");
  return shape;
}

class ViewOp : public OpKernel {
 public:
  Placement Where() const override { return Placement::kView; }
  int64_t Operations(const spec::NetworkLayerSpec&, const std::vector<Shape>&, const Shape&) const override {
    return 0;
  }
  Activation Compute(const spec::NetworkLayerSpec& layer, const std::vector<const Activation*>& inputs,
                     const OpContext&) const override {
    return {Infer(layer, {inputs[0]->shape}), inputs[0]->values};
  }
};

class FlattenOp : public ViewOp {
  Shape Infer(const spec::NetworkLayerSpec& layer, const std::vector<Shape>& inputs) const override {
    RequireInputs(layer, inputs, 1);
    const int64_t batch = inputs[0].rank() > 0 ? inputs[0][0] : 1;
    return {batch, batch > 0 ? inputs[0].Elements() / batch : 0};
  }
};

class ReshapeOp : public ViewOp {
  Shape Infer(const spec::NetworkLayerSpec& layer, const std::vector<Shape>& inputs) const override {
    RequireInputs(layer, inputs, 1);
    const Shape out = CheckedShape(layer, List(layer, "shape"));
    if (out.Elements() != inputs[0].Elements())
      FailLayer(layer, "a reshape of " + inputs[0].ToString() + " to " + out.ToString(),
                "the same number of values");
    return out;
  }
};

class IdentityOp : public ViewOp {
  Shape Infer(const spec::NetworkLayerSpec& layer, const std::vector<Shape>& inputs) const override {
    RequireInputs(layer, inputs, 1);
    return inputs[0];
  }
};

// Constants (list constants, e.g. ViT's class token before the patches) take their operand positions.
class ConcatOp : public ViewOp {
  Shape Infer(const spec::NetworkLayerSpec& layer, const std::vector<Shape>& activations) const override {
    const std::vector<Shape> inputs = OperandShapes(layer, activations);
    if (inputs.empty()) FailLayer(layer, "concat without inputs", "one or more inputs");
    const int axis = Axis(layer, inputs[0]);
    Shape out = inputs[0];
    out.dims[axis] = 0;
    for (const Shape& shape : inputs) {
      bool fits = shape.rank() == out.rank();
      for (int k = 0; fits && k < out.rank(); ++k) fits = k == axis || shape[k] == out[k];
      if (!fits)
        FailLayer(layer,
                  "concat of " + inputs[0].ToString() + " and " + shape.ToString() + " along axis " +
                      std::to_string(axis),
                  "inputs equal in every other axis");
      out.dims[axis] += shape[axis];
    }
    return CheckedShape(layer, out.dims);
  }
  Activation Compute(const spec::NetworkLayerSpec& layer, const std::vector<const Activation*>& activations,
                     const OpContext& context) const override {
    std::vector<Shape> activation_shapes;
    for (const Activation* input : activations) activation_shapes.push_back(input->shape);
    const std::vector<Shape> shapes = OperandShapes(layer, activation_shapes);
    // The constants as activations of the value width, at their positions.
    std::vector<Activation> constants(layer.constants.size());
    std::vector<const Activation*> inputs(shapes.size(), nullptr);
    for (size_t c = 0; c < layer.constants.size(); ++c) {
      const spec::ConstantTensor& constant = layer.constants[c];
      constants[c].shape = Shape(constant.dims);
      for (double real : ConstantReals(constant, context.seed, c))
        constants[c].values.push_back(FromReal(real, context.value_bits));
      inputs[static_cast<size_t>(constant.operand)] = &constants[c];
    }
    size_t next = 0;
    for (const Activation*& input : inputs)
      if (!input) input = activations[next++];
    Activation out{Infer(layer, activation_shapes), {}};
    const int axis = Axis(layer, shapes[0]);
    int64_t outer = 1;
    for (int k = 0; k < axis; ++k) outer *= out.shape[k];
    out.values.reserve(out.shape.Elements());
    for (int64_t o = 0; o < outer; ++o)  // each input's block of the axis and everything after it, in turn
      for (const Activation* input : inputs) {
        const int64_t block = input->shape.Elements() / std::max<int64_t>(1, outer);
        out.values.insert(out.values.end(), input->values.begin() + o * block,
                          input->values.begin() + (o + 1) * block);
      }
    return out;
  }

 private:
  static int Axis(const spec::NetworkLayerSpec& layer, const Shape& shape) {
    const int64_t given = Param(layer, "axis", 1, INT64_MIN);
    const int axis = NormalAxis(given, shape.rank());
    if (axis < 0)
      FailLayer(layer, "axis " + std::to_string(given) + " of " + shape.ToString(), "-rank to rank-1");
    return axis;
  }
};

class PlaceholderOp : public ViewOp {
  Shape Infer(const spec::NetworkLayerSpec& layer, const std::vector<Shape>&) const override {
    return CheckedShape(layer, List(layer, "shape"));
  }
  Activation Compute(const spec::NetworkLayerSpec& layer, const std::vector<const Activation*>&,
                     const OpContext&) const override {
    const Shape shape = Infer(layer, {});
    return {shape, std::vector<int64_t>(shape.Elements(), 0)};
  }
};

// Ops that move values: one operation per output value.
class MoveOp : public OpKernel {
 public:
  Placement Where() const override { return Placement::kNonMac; }
  int64_t Operations(const spec::NetworkLayerSpec&, const std::vector<Shape>&,
                     const Shape& output) const override {
    return output.Elements();
  }
};

class TransposeOp : public MoveOp {
  Shape Infer(const spec::NetworkLayerSpec& layer, const std::vector<Shape>& inputs) const override {
    RequireInputs(layer, inputs, 1);
    const std::vector<int64_t>& perm = Perm(layer, inputs[0]);
    Shape out;
    for (int64_t axis : perm) out.dims.push_back(inputs[0][static_cast<int>(axis)]);
    return out;
  }
  Activation Compute(const spec::NetworkLayerSpec& layer, const std::vector<const Activation*>& inputs,
                     const OpContext&) const override {
    const Activation& in = *inputs[0];
    const std::vector<int64_t>& perm = Perm(layer, in.shape);
    const std::vector<int64_t> strides = RowMajorStrides(in.shape);
    Activation out{Infer(layer, {in.shape}), {}};
    out.values.reserve(in.values.size());
    ForEachIndex(out.shape, [&](const std::vector<int64_t>& index) {
      int64_t source = 0;
      for (size_t k = 0; k < index.size(); ++k) source += index[k] * strides[perm[k]];
      out.values.push_back(in.values[source]);
    });
    return out;
  }
  static const std::vector<int64_t>& Perm(const spec::NetworkLayerSpec& layer, const Shape& in) {
    const std::vector<int64_t>& perm = List(layer, "perm");
    std::vector<int64_t> sorted = perm;
    std::sort(sorted.begin(), sorted.end());
    std::vector<int64_t> identity(in.rank());
    std::iota(identity.begin(), identity.end(), 0);
    if (sorted != identity)
      FailLayer(layer, "perm of " + std::to_string(perm.size()) + " axes for " + in.ToString(),
                "a permutation of 0.." + std::to_string(in.rank() - 1));
    return perm;
  }
};

class SliceOp : public MoveOp {
  Shape Infer(const spec::NetworkLayerSpec& layer, const std::vector<Shape>& inputs) const override {
    RequireInputs(layer, inputs, 1);
    const Shape out = CheckedShape(layer, List(layer, "shape"));
    const std::vector<int64_t>& starts = List(layer, "starts");
    const std::vector<int64_t>& steps = List(layer, "steps");
    const Shape& in = inputs[0];
    if (out.rank() != in.rank() || static_cast<int>(starts.size()) != in.rank() ||
        static_cast<int>(steps.size()) != in.rank())
      FailLayer(layer, "a slice of " + in.ToString() + " with lists of another rank",
                "one start, step and size per axis");
    for (int k = 0; k < in.rank(); ++k) {
      const int64_t last = out[k] == 0 ? starts[k] : starts[k] + (out[k] - 1) * steps[k];
      if (steps[k] == 0 || (out[k] > 0 && (starts[k] < 0 || starts[k] >= in[k] || last < 0 || last >= in[k])))
        FailLayer(layer,
                  "axis " + std::to_string(k) + ": start " + std::to_string(starts[k]) + ", step " +
                      std::to_string(steps[k]) + ", " + std::to_string(out[k]) + " values of " +
                      std::to_string(in[k]),
                  "a slice inside the input");
    }
    return out;
  }
  Activation Compute(const spec::NetworkLayerSpec& layer, const std::vector<const Activation*>& inputs,
                     const OpContext&) const override {
    const Activation& in = *inputs[0];
    const std::vector<int64_t>& starts = List(layer, "starts");
    const std::vector<int64_t>& steps = List(layer, "steps");
    const std::vector<int64_t> strides = RowMajorStrides(in.shape);
    Activation out{Infer(layer, {in.shape}), {}};
    ForEachIndex(out.shape, [&](const std::vector<int64_t>& index) {
      int64_t source = 0;
      for (size_t k = 0; k < index.size(); ++k) source += (starts[k] + index[k] * steps[k]) * strides[k];
      out.values.push_back(in.values[source]);
    });
    return out;
  }
};

class PadOp : public MoveOp {
  Shape Infer(const spec::NetworkLayerSpec& layer, const std::vector<Shape>& inputs) const override {
    RequireInputs(layer, inputs, 1);
    const std::vector<int64_t>& pads = List(layer, "pads");
    const Shape& in = inputs[0];
    if (static_cast<int>(pads.size()) != 2 * in.rank())
      FailLayer(layer, std::to_string(pads.size()) + " pads for " + in.ToString(),
                std::to_string(2 * in.rank()) + " pads");
    const int64_t mode = Param(layer, "mode", 0);
    if (mode > 2) FailLayer(layer, "pad mode " + std::to_string(mode), "0 constant, 1 edge, 2 reflect");
    Shape out = in;
    for (int k = 0; k < in.rank(); ++k) {
      if (pads[k] < 0 || pads[k + in.rank()] < 0 || pads[k] > (int64_t{1} << 31) ||
          pads[k + in.rank()] > (int64_t{1} << 31))
        FailLayer(
            layer,
            "pad " + std::to_string(std::min(pads[k], pads[k + in.rank()])) + " on axis " + std::to_string(k),
            "pads from 0 to 2^31");
      if (mode == 2 && (pads[k] >= in[k] || pads[k + in.rank()] >= in[k]))
        FailLayer(layer, "reflect pads as large as the axis (" + std::to_string(in[k]) + ")",
                  "pads smaller than the axis");
      if (mode == 1 && in[k] == 0) FailLayer(layer, "edge padding of an empty axis");
      out.dims[k] += pads[k] + pads[k + in.rank()];
    }
    return CheckedShape(layer, out.dims);
  }
  Activation Compute(const spec::NetworkLayerSpec& layer, const std::vector<const Activation*>& inputs,
                     const OpContext& context) const override {
    const Activation& in = *inputs[0];
    const std::vector<int64_t>& pads = List(layer, "pads");
    const int64_t mode = Param(layer, "mode", 0);
    const int64_t fill = FromReal(Real(layer, "value", 0), context.value_bits);
    const std::vector<int64_t> strides = RowMajorStrides(in.shape);
    Activation out{Infer(layer, {in.shape}), {}};
    ForEachIndex(out.shape, [&](const std::vector<int64_t>& index) {
      int64_t source = 0;
      for (size_t k = 0; k < index.size(); ++k) {
        int64_t i = index[k] - pads[k];
        const int64_t n = in.shape[static_cast<int>(k)];
        if (i < 0 || i >= n) {
          if (mode == 0) return out.values.push_back(fill);
          i = mode == 1 ? std::clamp<int64_t>(i, 0, n - 1) : (i < 0 ? -i : 2 * (n - 1) - i);
        }
        source += i * strides[k];
      }
      out.values.push_back(in.values[source]);
    });
    return out;
  }
};

class GatherOp : public MoveOp {
  Shape Infer(const spec::NetworkLayerSpec& layer, const std::vector<Shape>& inputs) const override {
    RequireInputs(layer, inputs, 1);
    if (layer.constants.size() != 1) FailLayer(layer, "gather needs one constant (the table or the indices)");
    const bool table = layer.constants[0].operand == 0;
    const Shape data = table ? Shape(layer.constants[0].dims) : inputs[0];
    const Shape indices = table ? inputs[0] : Shape(layer.constants[0].dims);
    const int axis = NormalAxis(Param(layer, "axis", 0, INT64_MIN), data.rank());
    if (axis < 0 || data[axis] == 0)
      FailLayer(layer,
                "axis " + std::to_string(Param(layer, "axis", 0, INT64_MIN)) + " of " + data.ToString(),
                "an axis of the data");
    std::vector<int64_t> dims(data.dims.begin(), data.dims.begin() + axis);
    dims.insert(dims.end(), indices.dims.begin(), indices.dims.end());
    dims.insert(dims.end(), data.dims.begin() + axis + 1, data.dims.end());
    return CheckedShape(layer, dims);
  }
  Activation Compute(const spec::NetworkLayerSpec& layer, const std::vector<const Activation*>& inputs,
                     const OpContext& context) const override {
    const bool table = layer.constants[0].operand == 0;
    Activation data, indices;
    if (table) {
      data.shape = Shape(layer.constants[0].dims);
      for (double real : ConstantReals(layer.constants[0], context.seed, 0))
        data.values.push_back(FromReal(real, context.value_bits));
      indices = *inputs[0];
    } else {
      data = *inputs[0];
      indices.shape = Shape(layer.constants[0].dims);
      for (double real : ConstantReals(layer.constants[0], context.seed, 0))
        indices.values.push_back(static_cast<int64_t>(real));
    }
    const int axis = NormalAxis(Param(layer, "axis", 0, INT64_MIN), data.shape.rank());
    int64_t outer = 1, inner = 1;
    for (int k = 0; k < data.shape.rank(); ++k) (k < axis ? outer : inner) *= k == axis ? 1 : data.shape[k];
    const int64_t extent = data.shape[axis];
    Activation out{Infer(layer, {inputs[0]->shape}), {}};
    out.values.reserve(out.shape.Elements());
    for (int64_t o = 0; o < outer; ++o)
      for (int64_t index : indices.values) {
        const int64_t i = ((index % extent) + extent) % extent;
        const auto begin = data.values.begin() + (o * extent + i) * inner;
        out.values.insert(out.values.end(), begin, begin + inner);
      }
    return out;
  }
};

CYCLOPS_REGISTER_OP("flatten", FlattenOp);
CYCLOPS_REGISTER_OP("reshape", ReshapeOp);
CYCLOPS_REGISTER_OP("identity", IdentityOp);
CYCLOPS_REGISTER_OP("concat", ConcatOp);
CYCLOPS_REGISTER_OP("placeholder", PlaceholderOp);
CYCLOPS_REGISTER_OP("transpose", TransposeOp);
CYCLOPS_REGISTER_OP("slice", SliceOp);
CYCLOPS_REGISTER_OP("pad", PadOp);
CYCLOPS_REGISTER_OP("gather", GatherOp);

}  // namespace
}  // namespace cyclops::network
