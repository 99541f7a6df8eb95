// `cyclops network model.onnx`: an ONNX graph as a NetworkSpec. ONNX's own shape inference
// (libonnx) fills every tensor's shape, so files without weights (shapes only) import. Conv (grouped and
// depth-wise), Gemm/MatMul, pooling, Add, Relu/Clip, Concat, Flatten/Reshape become layers; BatchNorm
// after a conv is folded into it; Identity/Dropout/Constant vanish. Any other op is a SpecError naming
// the node, or with skip_unsupported a zero-cost `placeholder` layer (with a warning in `notes`).
#pragma once

#include <string>
#include <vector>

#include "sim/spec/network_spec.h"

namespace cyclops::network {

struct OnnxImport {
  spec::NetworkSpec network;
  std::vector<std::string> notes;  // warnings: the unsupported nodes replaced by placeholders
};

OnnxImport ImportOnnx(const std::string& path, bool skip_unsupported);

}  // namespace cyclops::network
