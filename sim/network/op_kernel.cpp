#include "sim/network/op_kernel.h"

#include <map>
#include <memory>

namespace cyclops::network {

const OpKernel& KernelFor(const spec::NetworkLayerSpec& layer) {
  // Kernels are stateless: one instance per op name, made on first use.
  static const auto* kernels = [] {
    auto* made = new std::map<std::string, std::unique_ptr<OpKernel>>;
    for (const std::string& name : OpRegistry::Names()) (*made)[name] = OpRegistry::Make(name);
    return made;
  }();
  const auto found = kernels->find(layer.op);
  if (found == kernels->end()) {
    std::string known;
    for (const auto& [name, kernel] : *kernels) known += (known.empty() ? "" : ", ") + name;
    throw SpecError(layer.where, "layer '" + layer.name + "': unknown op '" + layer.op + "'", known);
  }
  return *found->second;
}

int64_t Param(const spec::NetworkLayerSpec& layer, const std::string& key, int64_t fallback,
              int64_t minimum) {
  const auto found = layer.params.find(key);
  const int64_t value = found == layer.params.end() ? fallback : found->second;
  if (value < minimum)
    FailLayer(layer, key + " = " + std::to_string(value), "at least " + std::to_string(minimum));
  return value;
}

double Real(const spec::NetworkLayerSpec& layer, const std::string& key, double fallback) {
  const auto found = layer.reals.find(key);
  return found == layer.reals.end() ? fallback : found->second;
}

const std::vector<int64_t>& List(const spec::NetworkLayerSpec& layer, const std::string& key) {
  const auto found = layer.lists.find(key);
  if (found == layer.lists.end())
    FailLayer(layer, layer.op + " needs the list '" + key + "'", key + ": [...]");
  return found->second;
}

int64_t CheckedProduct(const spec::NetworkLayerSpec& layer, const std::vector<int64_t>& factors,
                       const std::string& what) {
  constexpr int64_t kLimit = int64_t{1} << 62;
  int64_t product = 1;
  for (int64_t factor : factors) {
    if (factor <= 0) FailLayer(layer, what + " has a factor " + std::to_string(factor), "positive sizes");
    if (product > kLimit / factor)
      FailLayer(layer, what + " exceeds 2^62", "sizes whose product fits in 64-bit arithmetic");
    product *= factor;
  }
  return product;
}

std::vector<Shape> OperandShapes(const spec::NetworkLayerSpec& layer, const std::vector<Shape>& inputs) {
  const size_t count = inputs.size() + layer.constants.size();
  std::vector<Shape> shapes(count);
  std::vector<bool> taken(count, false);
  for (const spec::ConstantTensor& constant : layer.constants) {
    if (constant.operand < 0 || static_cast<size_t>(constant.operand) >= count || taken[constant.operand])
      FailLayer(layer, "a constant at operand " + std::to_string(constant.operand),
                "operand positions 0 to " + std::to_string(count - 1) + ", each once");
    shapes[constant.operand] = Shape(constant.dims);
    taken[constant.operand] = true;
  }
  size_t next = 0;
  for (size_t k = 0; k < count; ++k)
    if (!taken[k]) shapes[k] = inputs[next++];
  return shapes;
}

std::vector<double> ConstantReals(const spec::ConstantTensor& constant, uint64_t seed, size_t position) {
  if (!constant.values.empty()) return constant.values;
  Shape shape(constant.dims);
  const Activation seeded = SeededActivation(shape, LayerSeed(seed, static_cast<int64_t>(position)), 5);
  std::vector<double> reals;
  reals.reserve(seeded.values.size());
  for (int64_t value : seeded.values) reals.push_back(value / 16.0);
  return reals;
}

void FailLayer(const spec::NetworkLayerSpec& layer, const std::string& problem, const std::string& valid) {
  throw SpecError(layer.where, "layer '" + layer.name + "': " + problem, valid);
}

void RequireInputs(const spec::NetworkLayerSpec& layer, const std::vector<Shape>& inputs, size_t count) {
  if (inputs.size() != count)
    FailLayer(layer,
              layer.op + " takes " + std::to_string(count) + " input" + (count == 1 ? "" : "s") + ", got " +
                  std::to_string(inputs.size()),
              std::to_string(count) + " input" + (count == 1 ? "" : "s"));
}

}  // namespace cyclops::network
