// A matmul layer (ONNX MatMul) as a Timeloop problem with a batch dimension, BatchMatMul:
//   dims B (batch), M (rows), N (columns), K (reduction);
//   Weights[B][K][N] (the second operand), Inputs[B][M][K] (the first), Outputs[B][M][N] (read-write).
// Both operands are read-only data spaces like a conv's, so the mapper tiles and the accelerator streams
// them like any GEMM. With one activation input (x · W, W an initializer) the Weights are the seeded values
// `cyclops run --seed` generates, B = 1 and the activation's leading dimensions fold into M; with two
// (Q·Kᵀ, P·V) the second activation is the Weights data space and B is the product of the batch dimensions.
// In both cases the row-major activations are already the data spaces' layouts: packing is a copy.
#pragma once

#include <string>

#include "sim/network/activation.h"
#include "sim/spec/network_spec.h"

namespace cyclops::network::matmul {

// B, M, N, K with defaults 1.
int64_t Dim(const spec::NetworkLayerSpec& layer, const char* name);
int64_t Macs(const spec::NetworkLayerSpec& layer);
std::string ProblemYaml(const spec::NetworkLayerSpec& layer);
bool TwoActivations(const spec::NetworkLayerSpec& layer);  // param "activations" = 2

// The output shape: the first input's leading dimensions, then N.
Shape OutputShape(const spec::NetworkLayerSpec& layer, const Shape& first_input);

}  // namespace cyclops::network::matmul
