// One kind of network layer (conv, fc, relu, maxpool, add, ...): its output shape, its integer reference
// computation and what it costs. Each kind is a class in an *_ops.cpp file that registers itself by op
// name with CYCLOPS_REGISTER_OP, so a new op edits no central list.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/registry.h"
#include "sim/network/activation.h"
#include "sim/spec/network_spec.h"
#include "sim/spec/specs.h"

namespace cyclops::network {

// Where a layer runs (sim/network/soc_model.h prices each).
enum class Placement {
  kAccelerator,  // MAC layers: simulated cycle by cycle by `cyclops run`
  kNonMac,       // element-wise, activation, pooling: the vector unit or the host (soc.non_mac_unit)
  kView,         // a re-interpretation of the same bytes (flatten, identity, concat into one buffer): free
};

// The vector unit's cost model counts element operations (soc_model.h); a transcendental function (exp,
// erf, sqrt, a division, a power) counts as this many, as a short polynomial or table look-up would take.
inline constexpr int64_t kTranscendentalOps = 4;

// What an op's reference computation needs besides its inputs.
struct OpContext {
  int value_bits = 8;  // activations are signed integers of this width between layers
  int psum_bits = spec::CyclopsSettings::kDefaultPsumBits;  // accumulator width of the MAC layers
  uint64_t seed = spec::CyclopsSettings::kDefaultSeed;      // this layer's seed (weights)
  // Magnitude pruning of a MAC layer's seeded weights to this density (--prune, or the layer's `prune:`).
  std::optional<double> prune_density;
};

class OpKernel {
 public:
  virtual ~OpKernel() = default;
  virtual Placement Where() const = 0;
  // Output shape; throws SpecError at layer.where when the inputs or parameters do not fit the op.
  virtual Shape Infer(const spec::NetworkLayerSpec& layer, const std::vector<Shape>& inputs) const = 0;
  // The integer reference computation (for MAC layers: the plain reference kernel on seeded weights).
  virtual Activation Compute(const spec::NetworkLayerSpec& layer,
                             const std::vector<const Activation*>& inputs,
                             const OpContext& context) const = 0;
  // Element operations (compares, adds, ...) the vector unit or host performs; MACs for MAC layers.
  virtual int64_t Operations(const spec::NetworkLayerSpec& layer, const std::vector<Shape>& inputs,
                             const Shape& output) const = 0;
};

using OpRegistry = Registry<OpKernel>;

// The registered kernel for `layer.op`; throws SpecError naming the layer and the known ops.
const OpKernel& KernelFor(const spec::NetworkLayerSpec& layer);

// A parameter with its default; throws SpecError at layer.where when below `minimum`.
int64_t Param(const spec::NetworkLayerSpec& layer, const std::string& key, int64_t fallback,
              int64_t minimum = 0);
double Real(const spec::NetworkLayerSpec& layer, const std::string& key, double fallback);
// A list parameter; throws SpecError naming the layer when it is missing.
const std::vector<int64_t>& List(const spec::NetworkLayerSpec& layer, const std::string& key);

// The product of `factors`; throws SpecError naming the layer and `what` when it is not positive or exceeds
// kMaxTensorElements² (2^80 never fits: the bound is 2^62, so sums of a few such products stay in int64).
int64_t CheckedProduct(const spec::NetworkLayerSpec& layer, const std::vector<int64_t>& factors,
                       const std::string& what);

// A constant operand's real values: the file's, or (weights-stripped files) seeded values in [-1, 1) in
// steps of 1/16, from `seed` and the constant's position among the layer's constants.
std::vector<double> ConstantReals(const spec::ConstantTensor& constant, uint64_t seed, size_t position);

// The operands' shapes: the activations' in order with the layer's constants' put in at their positions;
// throws SpecError for a constant at a position out of range or taken twice.
std::vector<Shape> OperandShapes(const spec::NetworkLayerSpec& layer, const std::vector<Shape>& inputs);

// Throws SpecError at layer.where: "layer 'NAME': problem" with what would be valid.
[[noreturn]] void FailLayer(const spec::NetworkLayerSpec& layer, const std::string& problem,
                            const std::string& valid = "");
// Throws unless the layer has `count` inputs.
void RequireInputs(const spec::NetworkLayerSpec& layer, const std::vector<Shape>& inputs, size_t count);

}  // namespace cyclops::network

#define CYCLOPS_REGISTER_OP(name, Type)                                        \
  static const bool kRegisteredOp##Type = ::cyclops::network::OpRegistry::Add( \
      name, [] { return std::unique_ptr<::cyclops::network::OpKernel>(new Type()); })
