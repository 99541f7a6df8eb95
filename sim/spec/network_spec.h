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
  SourceLocation where;
};

// One layer. `op` names a kernel registered in sim/network (conv, fc, relu, maxpool, add, ...).
// Accelerator ops carry `problem`: the Timeloop `instance` of the GroupedConv shape
// (G, C, M, R, S, N, P, Q, Wstride, Hstride, Wdilation, Hdilation); others carry `params`.
struct NetworkLayerSpec {
  std::string name;
  std::string op;
  std::vector<std::string> inputs;         // layer names or "input"; empty = the previous layer
  std::map<std::string, int64_t> problem;  // accelerator ops only
  std::map<std::string, int64_t> params;   // pad, kernel, stride, min, max (op-specific)
  std::string note;                        // e.g. the unsupported ONNX op a placeholder stands for
  SourceLocation where;
};

struct NetworkSpec {
  std::string name;
  int64_t input_channels = 0, input_height = 0, input_width = 0;
  std::vector<NetworkLayerSpec> layers;  // in a topological order (inputs come earlier)
  SocSpec soc;
  SourceLocation where;
};

}  // namespace cyclops::spec
