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
    throw SpecError(layer.where, "layer '" + layer.name + "': " + key + " = " + std::to_string(value),
                    "at least " + std::to_string(minimum));
  return value;
}

}  // namespace cyclops::network
