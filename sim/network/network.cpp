#include "sim/network/network.h"

#include <map>

#include "sim/network/mac_layer.h"
#include "sim/network/matmul_layer.h"

namespace cyclops::network {

Network::Network(spec::NetworkSpec spec) : spec_(std::move(spec)) {
  if (input_shape().Elements() <= 0)
    throw SpecError(spec_.where, "network input of shape " + input_shape().ToString(),
                    "positive sizes, at most 2^31 values");
  std::map<std::string, int> index_of;
  for (size_t i = 0; i < spec_.layers.size(); ++i) {
    const spec::NetworkLayerSpec& layer_spec = spec_.layers[i];
    NetworkLayer layer;
    layer.spec = layer_spec;
    layer.kernel = &KernelFor(layer_spec);
    if (layer_spec.inputs.empty()) {
      layer.inputs.push_back(static_cast<int>(i) - 1);  // the previous layer; -1 = the network input
    } else {
      for (const std::string& input : layer_spec.inputs) {
        if (input == "input") {
          layer.inputs.push_back(kNetworkInput);
          continue;
        }
        const auto found = index_of.find(input);
        if (found == index_of.end())
          throw SpecError(layer_spec.where,
                          "layer '" + layer_spec.name + "': input '" + input + "' is not an earlier layer",
                          "'input' or the name of a layer listed above");
        layer.inputs.push_back(found->second);
      }
    }
    for (int input : layer.inputs)
      layer.input_shapes.push_back(input == kNetworkInput ? input_shape() : layers_[input].output);
    layer.output = layer.kernel->Infer(layer_spec, layer.input_shapes);
    const auto expected = layer_spec.lists.find("expected_shape");
    if (expected != layer_spec.lists.end() && Shape(expected->second) != layer.output)
      FailLayer(layer_spec,
                "the " + layer_spec.op + " kernel gives " + layer.output.ToString() +
                    " where ONNX inferred " + Shape(expected->second).ToString(),
                "shapes Cyclops' kernel computes the same way");
    layer.operations = layer.kernel->Operations(layer_spec, layer.input_shapes, layer.output);
    if (layer.on_accelerator()) layer.macs = Macs(layer_spec);
    if (!index_of.emplace(layer_spec.name, static_cast<int>(i)).second)
      throw SpecError(layer_spec.where, "layer '" + layer_spec.name + "' is defined twice", "unique names");
    layers_.push_back(std::move(layer));
  }
}

int64_t Network::total_macs() const {
  int64_t total = 0;
  for (const NetworkLayer& layer : layers_) total += layer.macs;
  return total;
}

int Network::accelerator_layers() const {
  int count = 0;
  for (const NetworkLayer& layer : layers_) count += layer.on_accelerator() ? 1 : 0;
  return count;
}

void SetBatch(spec::NetworkSpec& spec, int64_t batch) {
  if (!spec.input_dims.empty()) spec.input_dims[0] = batch;
  for (spec::NetworkLayerSpec& layer : spec.layers)
    if (layer.op == "conv" || layer.op == "fc") layer.problem["N"] = batch;
}

Activation NetworkInput(const Network& network, uint64_t seed, int value_bits) {
  return SeededActivation(network.input_shape(), LayerSeed(seed, -1), value_bits);
}

std::optional<double> PruneDensity(const NetworkLayer& layer, std::optional<double> network_prune) {
  if (!layer.on_accelerator() || matmul::TwoActivations(layer.spec)) return std::nullopt;
  const auto own = layer.spec.reals.find("prune");
  return own != layer.spec.reals.end() ? std::optional<double>(own->second) : network_prune;
}

Activation ReferenceForward(const Network& network, uint64_t seed, int value_bits, int psum_bits,
                            std::optional<double> prune) {
  const Activation input = NetworkInput(network, seed, value_bits);
  const std::vector<int> last_use = LastUses(network);
  std::vector<Activation> outputs(network.layers().size());
  for (size_t i = 0; i < network.layers().size(); ++i) {
    const NetworkLayer& layer = network.layers()[i];
    std::vector<const Activation*> inputs;
    for (int source : layer.inputs) inputs.push_back(source == kNetworkInput ? &input : &outputs[source]);
    const OpContext context{value_bits, psum_bits, LayerSeed(seed, static_cast<int64_t>(i)),
                            PruneDensity(layer, prune)};
    outputs[i] = layer.kernel->Compute(layer.spec, inputs, context);
    for (int source : layer.inputs)  // ResNet-50's maps would not all fit in memory at once
      if (source != kNetworkInput && last_use[source] == static_cast<int>(i)) outputs[source] = {};
  }
  return outputs.back();
}

std::vector<int> LastUses(const Network& network) {
  std::vector<int> last(network.layers().size(), static_cast<int>(network.layers().size()));
  for (size_t i = 0; i < network.layers().size(); ++i) last[i] = -1;
  for (size_t i = 0; i < network.layers().size(); ++i)
    for (int source : network.layers()[i].inputs)
      if (source != kNetworkInput) last[source] = static_cast<int>(i);
  last.back() = static_cast<int>(network.layers().size());  // the network output is kept
  return last;
}

}  // namespace cyclops::network
