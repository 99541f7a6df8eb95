// `cyclops network model.onnx`: an ONNX graph as a NetworkSpec. The graph is checked first
// (sim/network/onnx_graph_check.h), then ONNX's own shape inference (libonnx) fills every tensor's shape, so
// files without weights (shapes only) import. Tensors may have any rank. Conv (grouped, depth-wise, any
// pads and auto_pad), Gemm and MatMul (with batch dimensions, and of two activations), pooling (ceil_mode,
// count_include_pad), the element-wise and activation ops (Relu, Clip, Sigmoid, HardSigmoid, HardSwish,
// Erf, Gelu, Sqrt, Add, Sub, Mul, Div, Pow, Where with broadcasting and constant operands), Softmax,
// LayerNormalization, ReduceMean, Transpose, Reshape/Flatten/Squeeze/Unsqueeze, Concat, Slice, Split, Pad,
// Gather become layers; BatchNorm after a conv is folded into it (as are Conv and Gemm biases: the seeded
// weights stand for weights and bias); Identity, Dropout, Cast and Constant vanish. Any other op is a
// SpecError naming the node, or with skip_unsupported a zero-cost `placeholder` layer (a warning in `notes`).
// Every layer carries ONNX's inferred output shape (list expected_shape), which Network checks its kernel
// against.
#pragma once

#include <string>
#include <vector>

#include "sim/spec/network_spec.h"

namespace cyclops::network {

struct OnnxImport {
  spec::NetworkSpec network;
  std::vector<std::string> notes;  // warnings: the unsupported nodes replaced by placeholders
};

// `batch` > 0 replaces the graph input's first dimension before shape inference (--batch N).
OnnxImport ImportOnnx(const std::string& path, bool skip_unsupported, int64_t batch = 0);

}  // namespace cyclops::network
