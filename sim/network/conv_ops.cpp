// The MAC layers: conv (incl. grouped and depth-wise: G groups of C → M channels) and fc (a 1 × 1 conv on
// the flattened input). They run on the accelerator; their reference is the plain kernel of
// sim/mapping/tensor_data on the same seeded weights `cyclops run --seed` generates.
#include "sim/mapping/tensor_data.h"
#include "sim/network/conv_layer.h"
#include "sim/network/op_kernel.h"

namespace cyclops::network {
namespace {

class MacOp : public OpKernel {
 public:
  Placement Where() const override { return Placement::kAccelerator; }
  Activation Compute(const spec::NetworkLayerSpec& layer, const std::vector<const Activation*>& inputs,
                     const OpContext& context) const override {
    const spec::Workload workload = ProblemWorkload(layer);
    std::vector<mapping::Tensor> tensors = mapping::ShapeTensors(workload);
    mapping::FillOperands(workload, context.seed, context.value_bits, tensors);
    tensors[workload.DataSpaceIndex("Inputs")].values = PackInputs(layer, workload, *inputs.at(0));
    const mapping::Tensor result = mapping::ReferenceResult(workload, tensors, context.psum_bits);
    return UnpackOutputs(layer, result.values, context.value_bits);
  }
  int64_t Operations(const spec::NetworkLayerSpec& layer, const std::vector<Shape>&,
                     const Shape&) const override {
    return Macs(layer);
  }

 protected:
  static void Fail(const spec::NetworkLayerSpec& layer, const std::string& problem,
                   const std::string& valid) {
    throw SpecError(layer.where, "layer '" + layer.name + "': " + problem, valid);
  }
  static void RequireOneInput(const spec::NetworkLayerSpec& layer, const std::vector<Shape>& inputs) {
    if (inputs.size() != 1) Fail(layer, "takes one input, got " + std::to_string(inputs.size()), "one input");
  }
};

class ConvOp : public MacOp {
 public:
  Shape Infer(const spec::NetworkLayerSpec& layer, const std::vector<Shape>& inputs) const override {
    RequireOneInput(layer, inputs);
    const auto i = FullInstance(layer);
    const Shape& in = inputs[0];
    if (i.at("N") != 1) Fail(layer, "batch N = " + std::to_string(i.at("N")), "N = 1 in a network");
    if (i.at("G") * i.at("C") != in.channels)
      Fail(layer,
           "G·C = " + std::to_string(i.at("G") * i.at("C")) + " but the input has " +
               std::to_string(in.channels) + " channels (" + in.ToString() + ")",
           "G·C equal to the input channels");
    const int64_t pad = Param(layer, "pad", 0);
    // Output size = floor((in + 2·pad − extent) / stride) + 1, as PyTorch and ONNX compute it.
    auto expected = [&](int64_t size, int64_t kernel, int64_t stride, int64_t dilation) {
      return (size + 2 * pad - ((kernel - 1) * dilation + 1)) / stride + 1;
    };
    const int64_t p = expected(in.width, i.at("R"), i.at("Wstride"), i.at("Wdilation"));
    const int64_t q = expected(in.height, i.at("S"), i.at("Hstride"), i.at("Hdilation"));
    if (p != i.at("P") || q != i.at("Q"))
      Fail(layer,
           "P × Q = " + std::to_string(i.at("P")) + " × " + std::to_string(i.at("Q")) +
               " does not follow from the " + in.ToString() + " input, pad " + std::to_string(pad) +
               " and the filter",
           "P = " + std::to_string(p) + ", Q = " + std::to_string(q));
    return {i.at("G") * i.at("M"), i.at("Q"), i.at("P")};
  }
};

class FcOp : public MacOp {
 public:
  Shape Infer(const spec::NetworkLayerSpec& layer, const std::vector<Shape>& inputs) const override {
    RequireOneInput(layer, inputs);
    const auto i = FullInstance(layer);
    for (const char* key : {"G", "R", "S", "P", "Q", "N"})
      if (i.at(key) != 1)
        Fail(layer, std::string("fc has ") + key + " = " + std::to_string(i.at(key)), "only C and M");
    if (i.at("C") != inputs[0].Elements())
      Fail(layer,
           "C = " + std::to_string(i.at("C")) + " but the input holds " +
               std::to_string(inputs[0].Elements()) + " values (" + inputs[0].ToString() + ")",
           "C equal to the flattened input size");
    return {i.at("M"), 1, 1};
  }
};

CYCLOPS_REGISTER_OP("conv", ConvOp);
CYCLOPS_REGISTER_OP("fc", FcOp);

}  // namespace
}  // namespace cyclops::network
