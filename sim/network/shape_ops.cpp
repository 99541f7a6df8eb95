// Ops that only re-interpret or gather bytes: flatten (and Reshape to [1, n]), identity, concat along
// channels (the producers write into one buffer), and the zero-cost placeholder that stands for an
// unsupported ONNX op under --skip-unsupported (its output is zeros of the shape ONNX inferred).
#include "sim/network/op_kernel.h"

namespace cyclops::network {
namespace {

class ViewOp : public OpKernel {
 public:
  Placement Where() const override { return Placement::kView; }
  int64_t Operations(const spec::NetworkLayerSpec&, const std::vector<Shape>&, const Shape&) const override {
    return 0;
  }

 protected:
  static void RequireOne(const spec::NetworkLayerSpec& layer, const std::vector<Shape>& inputs) {
    if (inputs.size() != 1)
      throw SpecError(layer.where, "layer '" + layer.name + "': " + layer.op + " takes one input, got " +
                                       std::to_string(inputs.size()));
  }
};

class FlattenOp : public ViewOp {
  Shape Infer(const spec::NetworkLayerSpec& layer, const std::vector<Shape>& inputs) const override {
    RequireOne(layer, inputs);
    return {inputs[0].Elements(), 1, 1};
  }
  Activation Compute(const spec::NetworkLayerSpec&, const std::vector<const Activation*>& inputs,
                     const OpContext&) const override {
    return {{inputs[0]->shape.Elements(), 1, 1}, inputs[0]->values};
  }
};

class IdentityOp : public ViewOp {
  Shape Infer(const spec::NetworkLayerSpec& layer, const std::vector<Shape>& inputs) const override {
    RequireOne(layer, inputs);
    return inputs[0];
  }
  Activation Compute(const spec::NetworkLayerSpec&, const std::vector<const Activation*>& inputs,
                     const OpContext&) const override {
    return *inputs[0];
  }
};

class ConcatOp : public ViewOp {
  Shape Infer(const spec::NetworkLayerSpec& layer, const std::vector<Shape>& inputs) const override {
    if (inputs.empty()) throw SpecError(layer.where, "layer '" + layer.name + "': concat without inputs");
    Shape out = inputs[0];
    out.channels = 0;
    for (const Shape& shape : inputs) {
      if (shape.height != out.height || shape.width != out.width)
        throw SpecError(
            layer.where,
            "layer '" + layer.name + "': concat of " + inputs[0].ToString() + " and " + shape.ToString(),
            "inputs of one height and width");
      out.channels += shape.channels;
    }
    return out;
  }
  Activation Compute(const spec::NetworkLayerSpec& layer, const std::vector<const Activation*>& inputs,
                     const OpContext&) const override {
    std::vector<Shape> shapes;
    for (const Activation* input : inputs) shapes.push_back(input->shape);
    Activation out{Infer(layer, shapes), {}};
    for (const Activation* input : inputs)
      out.values.insert(out.values.end(), input->values.begin(), input->values.end());
    return out;
  }
};

class PlaceholderOp : public ViewOp {
  Shape Infer(const spec::NetworkLayerSpec& layer, const std::vector<Shape>&) const override {
    return {Param(layer, "channels", 1, 1), Param(layer, "height", 1, 1), Param(layer, "width", 1, 1)};
  }
  Activation Compute(const spec::NetworkLayerSpec& layer, const std::vector<const Activation*>& inputs,
                     const OpContext&) const override {
    std::vector<Shape> shapes;
    for (const Activation* input : inputs) shapes.push_back(input->shape);
    const Shape shape = Infer(layer, shapes);
    return {shape, std::vector<int64_t>(shape.Elements(), 0)};
  }
};

CYCLOPS_REGISTER_OP("flatten", FlattenOp);
CYCLOPS_REGISTER_OP("identity", IdentityOp);
CYCLOPS_REGISTER_OP("concat", ConcatOp);
CYCLOPS_REGISTER_OP("placeholder", PlaceholderOp);

}  // namespace
}  // namespace cyclops::network
