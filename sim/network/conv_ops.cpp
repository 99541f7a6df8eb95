// The MAC layers: conv (incl. grouped and depth-wise: G groups of C → M channels), fc (a 1 × 1 conv on the
// flattened input, N rows) and matmul (BatchMatMul: x · W with seeded weights, or two activations). They run
// on the accelerator; their reference is the plain kernel of sim/mapping/tensor_data on the same seeded
// weights `cyclops run --seed` generates (a two-activation matmul's Weights are its second input).
#include "sim/mapping/sparse_data.h"
#include "sim/mapping/tensor_data.h"
#include "sim/network/conv_layer.h"
#include "sim/network/mac_layer.h"
#include "sim/network/matmul_layer.h"
#include "sim/network/op_kernel.h"

namespace cyclops::network {
namespace {

class MacOp : public OpKernel {
 public:
  Placement Where() const override { return Placement::kAccelerator; }
  Activation Compute(const spec::NetworkLayerSpec& layer, const std::vector<const Activation*>& inputs,
                     const OpContext& context) const override {
    std::vector<Shape> shapes;
    for (const Activation* input : inputs) shapes.push_back(input->shape);
    const Shape output = Infer(layer, shapes);
    const spec::Workload workload = ProblemWorkload(layer);
    std::vector<mapping::Tensor> tensors = mapping::ShapeTensors(workload);
    mapping::FillOperands(workload, context.seed, context.value_bits, tensors);
    PackedOperands packed = PackOperands(layer, workload, inputs);
    tensors[workload.DataSpaceIndex("Inputs")].values = std::move(packed.inputs);
    if (!packed.weights.empty())
      tensors[workload.DataSpaceIndex("Weights")].values = std::move(packed.weights);
    else if (context.prune_density)  // seeded weights, pruned as `cyclops run --prune` prunes them
      mapping::PruneSmallest(tensors[mapping::RolesOf(workload).first], *context.prune_density);
    const mapping::Tensor result = mapping::ReferenceResult(workload, tensors, context.psum_bits);
    return UnpackOutputs(layer, output, result.values, context.value_bits);
  }
  int64_t Operations(const spec::NetworkLayerSpec& layer, const std::vector<Shape>&,
                     const Shape&) const override {
    return Macs(layer);
  }

 protected:
  // Every size of the problem at most 2^31, and every data space at most kMaxTensorElements values, so no
  // arithmetic on them overflows and no tensor is too large to allocate.
  static void CheckSizes(const spec::NetworkLayerSpec& layer,
                         const std::vector<std::vector<int64_t>>& spaces) {
    for (const auto& [key, value] : layer.problem)
      if (value < 1 || value > (int64_t{1} << 31))
        FailLayer(layer, key + " = " + std::to_string(value), "1 to 2^31");
    for (const std::vector<int64_t>& space : spaces)
      if (CheckedProduct(layer, space, "a data space's size") > kMaxTensorElements)
        FailLayer(layer, "a data space of " + std::to_string(CheckedProduct(layer, space, "")) + " values",
                  "at most 2^31 values per tensor");
  }
};

class ConvOp : public MacOp {
 public:
  Shape Infer(const spec::NetworkLayerSpec& layer, const std::vector<Shape>& inputs) const override {
    RequireInputs(layer, inputs, 1);
    const auto i = FullInstance(layer);
    const Shape& in = inputs[0];
    if (in.rank() != 4) FailLayer(layer, "input of rank " + std::to_string(in.rank()), "[N, C, H, W]");
    CheckSizes(layer, {{i.at("G"), i.at("C"), i.at("M"), i.at("R"), i.at("S")},
                       {i.at("N"), i.at("G"), i.at("M"), i.at("P"), i.at("Q")}});
    if (i.at("N") != in[0])
      FailLayer(layer, "batch N = " + std::to_string(i.at("N")) + " but the input is " + in.ToString(),
                "N equal to the input's batch");
    if (i.at("G") * i.at("C") != in[1])
      FailLayer(layer,
                "G·C = " + std::to_string(i.at("G") * i.at("C")) + " but the input has " +
                    std::to_string(in[1]) + " channels (" + in.ToString() + ")",
                "G·C equal to the input channels");
    const Pads pads = PadsOf(layer);
    for (int64_t pad : {pads.top, pads.bottom, pads.left, pads.right})
      if (pad > (int64_t{1} << 31)) FailLayer(layer, "pad " + std::to_string(pad), "0 to 2^31");
    // Output size = floor((in + pads − extent) / stride) + 1, as PyTorch and ONNX compute it.
    auto expected = [&](int64_t size, int64_t before, int64_t after, int64_t kernel, int64_t stride,
                        int64_t dilation) {
      const int64_t span = size + before + after - ((kernel - 1) * dilation + 1);
      return span < 0 ? 0 : span / stride + 1;
    };
    const int64_t p = expected(in[3], pads.left, pads.right, i.at("R"), i.at("Wstride"), i.at("Wdilation"));
    const int64_t q = expected(in[2], pads.top, pads.bottom, i.at("S"), i.at("Hstride"), i.at("Hdilation"));
    if (p != i.at("P") || q != i.at("Q"))
      FailLayer(layer,
                "P × Q = " + std::to_string(i.at("P")) + " × " + std::to_string(i.at("Q")) +
                    " does not follow from the " + in.ToString() + " input, the padding and the filter",
                "P = " + std::to_string(p) + ", Q = " + std::to_string(q));
    return conv::OutputShape(layer);
  }
};

class FcOp : public MacOp {
 public:
  Shape Infer(const spec::NetworkLayerSpec& layer, const std::vector<Shape>& inputs) const override {
    RequireInputs(layer, inputs, 1);
    const auto i = FullInstance(layer);
    CheckSizes(layer, {{i.at("C"), i.at("M")}, {i.at("N"), i.at("C")}, {i.at("N"), i.at("M")}});
    for (const char* key : {"G", "R", "S", "P", "Q"})
      if (i.at(key) != 1)
        FailLayer(layer, std::string("fc has ") + key + " = " + std::to_string(i.at(key)), "only N, C and M");
    const Shape& in = inputs[0];
    if (in.rank() < 1 || in[0] != i.at("N") || i.at("C") * i.at("N") != in.Elements())
      FailLayer(layer,
                "N = " + std::to_string(i.at("N")) + ", C = " + std::to_string(i.at("C")) +
                    " but the input is " + in.ToString(),
                "N the input's batch and C the size of the rest");
    return conv::OutputShape(layer);
  }
};

class MatmulOp : public MacOp {
 public:
  Shape Infer(const spec::NetworkLayerSpec& layer, const std::vector<Shape>& inputs) const override {
    const bool two = matmul::TwoActivations(layer);
    RequireInputs(layer, inputs, two ? 2 : 1);
    const int64_t b = matmul::Dim(layer, "B"), m = matmul::Dim(layer, "M"), n = matmul::Dim(layer, "N"),
                  k = matmul::Dim(layer, "K");
    CheckSizes(layer, {{b, k, n}, {b, m, k}, {b, m, n}});
    const Shape& a = inputs[0];
    if (a.rank() < 1 || a.dims.back() != k || a.Elements() != b * m * k)
      FailLayer(layer,
                "B, M, K = " + std::to_string(b) + ", " + std::to_string(m) + ", " + std::to_string(k) +
                    " but the first input is " + a.ToString(),
                "K the first input's last dimension and B·M the product of the others");
    if (!two) return matmul::OutputShape(layer, a);
    const Shape& w = inputs[1];
    if (a.rank() < 2 || w.rank() != a.rank() || w.dims[w.rank() - 2] != k || w.dims.back() != n ||
        !std::equal(a.dims.begin(), a.dims.end() - 2, w.dims.begin()) || a.dims[a.rank() - 2] != m)
      FailLayer(layer,
                "operands " + a.ToString() + " and " + w.ToString() +
                    " for B, M, N, K = " + std::to_string(b) + ", " + std::to_string(m) + ", " +
                    std::to_string(n) + ", " + std::to_string(k),
                "[..., M, K] × [..., K, N] with the same batch dimensions");
    return matmul::OutputShape(layer, a);
  }
};

CYCLOPS_REGISTER_OP("conv", ConvOp);
CYCLOPS_REGISTER_OP("fc", FcOp);
CYCLOPS_REGISTER_OP("matmul", MatmulOp);

}  // namespace
}  // namespace cyclops::network
