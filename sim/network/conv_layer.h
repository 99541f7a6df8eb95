// A MAC layer (conv, grouped or depth-wise conv, fc) as a Timeloop problem of the GroupedConv shape that
// configs/workloads/layers/ uses (dims G, C, M, R, S, N, P, Q; C and M per group; P is the output width,
// Q the output height), and the host's layout transforms around it:
//   - in: the [channels][y][x] activation is zero-padded by `pad` and transposed into the problem's Inputs
//     tensor [N][G][C][x][y] (Inputs' W rank is R·Wdilation + P·Wstride);
//   - out: the Outputs tensor [N][G][M][Q][P] is already [channel][y][x]; each psum is requantised to the
//     activation width by an arithmetic shift right of RequantShift() bits (chosen from the psums), then
//     saturated.
#pragma once

#include <map>
#include <string>

#include "sim/network/activation.h"
#include "sim/network/op_kernel.h"
#include "sim/spec/specs.h"

namespace cyclops::network {

// The problem instance with every default filled in (G = N = R = S = P = Q = 1, strides and dilations 1).
std::map<std::string, int64_t> FullInstance(const spec::NetworkLayerSpec& layer);
int64_t Macs(const spec::NetworkLayerSpec& layer);

// A complete Timeloop `problem:` document for the layer.
std::string ProblemYaml(const spec::NetworkLayerSpec& layer);
spec::Workload ProblemWorkload(const spec::NetworkLayerSpec& layer);

// The per-tensor power-of-two scale: the smallest shift that brings the largest |psum| of the layer within
// `value_bits` signed (as a calibrated 8-bit deployment picks one scale per tensor). A fixed shift would let
// the activations of a deep network decay to zero or saturate; this keeps every layer's output in range.
int RequantShift(const std::vector<int64_t>& psums, int value_bits);

// The Inputs data space's values for `input` (fc: the input flattened); sizes follow `workload`.
std::vector<int64_t> PackInputs(const spec::NetworkLayerSpec& layer, const spec::Workload& workload,
                                const Activation& input);
// The requantised output activation from the Outputs data space's values.
Activation UnpackOutputs(const spec::NetworkLayerSpec& layer, const std::vector<int64_t>& outputs,
                         int value_bits);

// Bytes the DMA moves for the layer's Inputs (padded), Weights and Outputs at `value_bits` per value.
struct ConvTraffic {
  int64_t input_bytes = 0, weight_bytes = 0, output_bytes = 0;
};
ConvTraffic Traffic(const spec::NetworkLayerSpec& layer, int value_bits);

}  // namespace cyclops::network
