// `cyclops network --analytical-only`: an accelerator layer estimated by the analytical model in the runner's
// own process (no SystemC), with the mapping the runner chose for it (the mapper's analytically best, which
// may differ from the best one the simulator can run). Its outputs are the plain reference
// kernel's on the same seeded weights, so the data still flows end to end. Compute cycles are the MACs over
// the utilised MAC instances; everything above them (bandwidth-bound levels) counts as stalls.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/network/layer_record.h"

namespace cyclops::network {

struct AnalyticalLayer {
  LayerRecord record;
  std::vector<int64_t> psums;  // the Outputs data space
};

// What the layer computes on: `weights` empty for the seeded ones, which are then pruned to
// `prune_density` when one is given.
struct AnalyticalInputs {
  uint64_t seed = 0;
  std::vector<int64_t> inputs, weights;
  std::optional<double> prune_density;
  int value_bits = 8;
};

// `spec_files`: architecture (+ ERT), problem, mapping. With sparse optimizations the analytical model is
// Sparseloop's, given the densities measured in the operands and the computed psums. Throws SpecError as
// the loaders do.
AnalyticalLayer AnalyzeLayer(const std::vector<std::string>& spec_files, const AnalyticalInputs& in,
                             int psum_bits, int64_t dram_word_bits);

}  // namespace cyclops::network
