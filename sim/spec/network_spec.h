// The typed network description: what `configs/workloads/networks/*.yaml` (sim/spec/network_loader) and the
// ONNX importer (sim/network/onnx_importer) both produce. Plain data; sim/network gives it meaning
// (shapes, MACs, costs, real data). Each default is written here and nowhere else.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "sim/core/error.h"

namespace cyclops::spec {

// The SoC around the accelerator (configs/README.md, "soc"). Cycles are accelerator cycles.
struct SocSpec {
  int64_t dma_setup_cycles = 500;       // per DMA transfer (descriptor set-up, DRAM page open)
  double dma_bytes_per_cycle = 16;      // DMA bandwidth
  double host_cycles_per_byte = 0.25;   // layout transforms (padding, transposition, requantisation)
  int64_t host_cycles_per_tile = 200;   // per outermost-level tile the host sets up
  std::string non_mac_unit = "vector";  // where pooling/element-wise/activation run: "vector" or "host"
  double vector_ops_per_cycle = 16;     // vector unit lanes
  int64_t vector_setup_cycles = 50;     // per vector-unit layer
  double host_ops_per_cycle = 1;        // non-MAC ops on the host
  bool overlap = false;                 // double-buffered layer I/O: DMA and host work overlap compute
  int64_t accelerators = 1;             // accelerators sharing the DRAM (needs overlap)
  SourceLocation where;
};

// A constant operand of a layer (an ONNX initializer or Constant): its dims and, when the file holds
// them, its values (weights-stripped files keep only small tensors; the kernels seed the others).
struct ConstantTensor {
  std::vector<int64_t> dims;
  std::vector<double> values;  // empty: stripped
  int operand = 1;             // which operand of the op it is (0 or 1)
};

// One layer. `op` names a kernel registered in sim/network (conv, fc, matmul, relu, maxpool, add, ...).
// Accelerator ops carry `problem`: the Timeloop `instance` of their problem shape (conv and fc: GroupedConv's
// G, C, M, R, S, N, P, Q, Wstride, Hstride, Wdilation, Hdilation; matmul: B, M, K, N); others carry
// `params` (integers), `lists` (perm, shape, axes, starts, ...) and `reals` (epsilon, alpha, ...).
struct NetworkLayerSpec {
  std::string name;
  std::string op;
  std::vector<std::string> inputs;         // layer names or "input"; empty = the previous layer
  std::map<std::string, int64_t> problem;  // accelerator ops only
  std::map<std::string, int64_t> params;   // pad, kernel, stride, min, max, axis (op-specific)
  std::string note;                        // e.g. the unsupported ONNX op a placeholder stands for
  SourceLocation where;
  std::map<std::string, std::vector<int64_t>> lists;
  std::map<std::string, double> reals;
  std::vector<ConstantTensor> constants;  // constant operands (binary ops, gather, layer norm)
};

struct NetworkSpec {
  std::string name;
  std::vector<int64_t>
      input_dims;  // the network input's shape; YAML's {channels, height, width} = [1, C, H, W]
  std::vector<NetworkLayerSpec> layers;  // in a topological order (inputs come earlier)
  SocSpec soc;
  SourceLocation where;
};

}  // namespace cyclops::spec
