// The overlapped timeline of a network on an SoC with double-buffered layer I/O (`soc: overlap: true`),
// from the per-layer costs of soc_model.h. Layers are placed in order (topological) by list scheduling on
// the SoC's resources, each a calendar of busy intervals a later task may fill a gap of:
//   - the DMA engine, i.e. the DRAM bandwidth: one transfer at a time, so transfers of different layers
//     share it (their sum is bounded by dma_bytes_per_cycle);
//   - the host (layout transforms, tile set-up, host layers), the vector unit, and N accelerators
//     (`soc: accelerators: N`).
// Per layer k on the accelerator:
//   prepare (host): after k's producers' outputs are in DRAM;  input DMA: after prepare;
//   weights DMA and tile set-up: as soon as k's buffer is free (double buffering: the layer before the
//     previous one on the same unit has finished computing), so they run while earlier layers compute;
//   compute: after its input, weights and set-up, on the accelerator that is free first (ties: the lowest
//     index; SMAUG's multi-accelerator case);  output DMA (write-back): after compute, while later layers
//     compute.
// Vector-unit layers do the same without weights; host layers work in DRAM after their producers; views
// cost nothing. A layer's critical-path share is how far it moves the end of the timeline; the critical
// path is the longest chain of data dependencies (prepare + input + compute + write-back, resources
// ignored), a lower bound the timeline never beats.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/network/network.h"
#include "sim/network/soc_model.h"

namespace cyclops::network {

struct TimelineLayer {
  std::string unit;   // "accel", "accel1", ..., "vector", "host", "view"
  int64_t start = 0;  // its first task
  int64_t compute_start = 0, compute_end = 0;
  int64_t end = 0;       // its last task (the write-back)
  int64_t critical = 0;  // how far it moved the end of the timeline
  std::string
      waited_for;  // what its compute started after: "input", "weights", "set-up", "unit", "producers"
};

struct Timeline {
  std::vector<TimelineLayer> layers;
  int64_t makespan = 0;       // the overlapped total
  int64_t critical_path = 0;  // the longest data-dependency chain
  int64_t serial = 0;         // the serial sum of every cost
};

Timeline OverlapTimeline(const Network& network, const std::vector<LayerLatency>& latencies,
                         const spec::SocSpec& soc);

}  // namespace cyclops::network
