// `cyclops network --analytical-only`: an accelerator layer estimated by the analytical model in the runner's
// own process (no SystemC), with the mapping the runner chose for it (the mapper's analytically best, which
// may differ from the best one the simulator can run). Its outputs are the plain reference
// kernel's on the same seeded weights, so the data still flows end to end. Compute cycles are the MACs over
// the utilised MAC instances; everything above them (bandwidth-bound levels) counts as stalls.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/network/layer_record.h"

namespace cyclops::network {

struct AnalyticalLayer {
  LayerRecord record;
  std::vector<int64_t> psums;  // the Outputs data space
};

// `spec_files`: architecture (+ ERT), problem, mapping; `weights` empty for the seeded ones. Throws
// SpecError as the loaders do.
AnalyticalLayer AnalyzeLayer(const std::vector<std::string>& spec_files, uint64_t seed,
                             const std::vector<int64_t>& inputs, const std::vector<int64_t>& weights,
                             int value_bits, int psum_bits, int64_t dram_word_bits);

}  // namespace cyclops::network
