// The accelerator layers (conv, fc: sim/network/conv_layer.h; matmul: sim/network/matmul_layer.h) as the
// network runner and the SoC model see them, whatever their problem shape: the Timeloop problem, the
// operands packed into its data spaces, the requantised output, the bytes the DMA moves.
// Requantisation: each psum is shifted right arithmetically by RequantShift() bits (chosen from the
// layer's psums), then saturated to the activation width.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "sim/network/activation.h"
#include "sim/spec/network_spec.h"
#include "sim/spec/specs.h"

namespace cyclops::network {

int64_t Macs(const spec::NetworkLayerSpec& layer);
std::string ProblemYaml(const spec::NetworkLayerSpec& layer);
spec::Workload ProblemWorkload(const spec::NetworkLayerSpec& layer);
// The problem instance with its defaults filled in (for listings and comparisons).
std::map<std::string, int64_t> ProblemInstance(const spec::NetworkLayerSpec& layer);

// The per-tensor power-of-two scale: the smallest shift that brings the largest |psum| of the layer within
// `value_bits` signed (as a calibrated 8-bit deployment picks one scale per tensor). A fixed shift would let
// the activations of a deep network decay to zero or saturate; this keeps every layer's output in range.
int RequantShift(const std::vector<int64_t>& psums, int value_bits);

// The operands' values in the problem's data spaces. `weights` is empty when they are the seeded weights
// (every layer but a matmul of two activations, whose second activation is the Weights data space).
struct PackedOperands {
  std::vector<int64_t> inputs;
  std::vector<int64_t> weights;
};
PackedOperands PackOperands(const spec::NetworkLayerSpec& layer, const spec::Workload& workload,
                            const std::vector<const Activation*>& inputs);

// The requantised output activation of shape `output` from the Outputs data space's values.
Activation UnpackOutputs(const spec::NetworkLayerSpec& layer, const Shape& output,
                         const std::vector<int64_t>& outputs, int value_bits);

// Bytes the DMA moves for the layer's Inputs (padded), Weights and Outputs at `value_bits` per value.
struct MacTraffic {
  int64_t input_bytes = 0, weight_bytes = 0, output_bytes = 0;
};
MacTraffic Traffic(const spec::NetworkLayerSpec& layer, int value_bits);

}  // namespace cyclops::network
