// A network as a DAG of layers with resolved inputs, inferred shapes and MAC counts, built from a
// NetworkSpec (YAML or ONNX). Layers are kept in the spec's order, which is topological (an input is
// always an earlier layer or the network input), so running them in order respects every edge.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/network/activation.h"
#include "sim/network/op_kernel.h"
#include "sim/spec/network_spec.h"

namespace cyclops::network {

inline constexpr int kNetworkInput = -1;

struct NetworkLayer {
  spec::NetworkLayerSpec spec;
  const OpKernel* kernel = nullptr;
  std::vector<int> inputs;  // layer indices; kNetworkInput for the network input
  std::vector<Shape> input_shapes;
  Shape output;
  int64_t macs = 0;        // accelerator layers only
  int64_t operations = 0;  // the kernel's Operations()
  bool on_accelerator() const { return kernel->Where() == Placement::kAccelerator; }
};

class Network {
 public:
  // Throws SpecError at the offending layer for unknown ops, unknown inputs and shapes that do not fit
  // (including, for imported layers, a shape other than the one ONNX inferred: list expected_shape).
  explicit Network(spec::NetworkSpec spec);

  const std::string& name() const { return spec_.name; }
  const spec::SocSpec& soc() const { return spec_.soc; }
  void set_soc(const spec::SocSpec& soc) { spec_.soc = soc; }
  Shape input_shape() const { return Shape(spec_.input_dims); }
  const std::vector<NetworkLayer>& layers() const { return layers_; }
  int64_t total_macs() const;
  int accelerator_layers() const;

 private:
  spec::NetworkSpec spec_;
  std::vector<NetworkLayer> layers_;
};

// A YAML network at batch `batch`: the input's first dimension and every conv and fc layer's N.
// (ONNX graphs take their batch in the importer, before shape inference.)
void SetBatch(spec::NetworkSpec& spec, int64_t batch);

// The seeded network input (seed of layer index −1).
Activation NetworkInput(const Network& network, uint64_t seed, int value_bits);

// The reference forward pass: every layer's kernel Compute() in order on integer data, MAC layers with the
// seeded weights of LayerSeed(seed, index), pruned as PruneDensity says. Returns the last layer's output
// (the network output).
Activation ReferenceForward(const Network& network, uint64_t seed, int value_bits, int psum_bits,
                            std::optional<double> prune = std::nullopt);

// The density a MAC layer's seeded weights are magnitude-pruned to: its own `prune:`, else the network's
// (`cyclops network --prune`); none for layers without seeded weights (a matmul of two activations).
std::optional<double> PruneDensity(const NetworkLayer& layer, std::optional<double> network_prune);

// Per layer: the index of the last layer that reads its output (-1: none; the last layer: past the end).
std::vector<int> LastUses(const Network& network);

}  // namespace cyclops::network
