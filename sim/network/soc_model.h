// The SoC around the accelerator (configs/README.md, "soc"): what each layer costs besides the accelerator's
// own simulated cycles. Tensors live in DRAM between layers; all costs are in accelerator cycles and are
// serialised (no overlap of DMA, host work and compute: an upper bound a double-buffered SoC would hide).
//   - DMA: every transfer costs dma_setup_cycles + bytes / dma_bytes_per_cycle. An accelerator layer moves
//   its
//     (padded) Inputs and its Weights in and its Outputs out; a vector-unit layer moves its inputs in and its
//     output out; host layers and views move nothing (the host works in DRAM).
//   - Host: an accelerator layer's input is padded and transposed into the Inputs layout
//     (host_cycles_per_byte per input byte) and each outermost-level tile of the mapping is set up
//     (host_cycles_per_tile). Non-MAC layers on the host cost operations / host_ops_per_cycle.
//   - Vector unit: vector_setup_cycles + operations / vector_ops_per_cycle.
#pragma once

#include <cstdint>

#include "sim/network/network.h"

namespace cyclops::network {

struct LayerLatency {
  int64_t compute = 0;  // accelerator MAC-busy cycles
  int64_t stalls = 0;   // accelerator cycles beyond them: on-chip stalls, fill and drain
  int64_t vector = 0;   // the vector unit
  int64_t dma = 0;
  int64_t host = 0;
  // The parts the overlapped timeline (soc_timeline.h) schedules apart: dma = dma_in + dma_weights +
  // dma_out, host = host_prepare + host_tiles (+ a host layer's own work).
  int64_t dma_in = 0, dma_weights = 0, dma_out = 0;
  int64_t host_prepare = 0, host_tiles = 0;
  int64_t total() const { return compute + stalls + vector + dma + host; }
};

// `simulated_cycles`, `compute_cycles` and `tiles` (outermost-level temporal iterations) matter only for
// accelerator layers.
LayerLatency LayerCost(const NetworkLayer& layer, const spec::SocSpec& soc, int value_bits,
                       int64_t simulated_cycles, int64_t compute_cycles, int64_t tiles);

}  // namespace cyclops::network
