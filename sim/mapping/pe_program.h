// The program every PE runs for one layer, in loop form (DESIGN.md decision 6): the temporal loops that
// step from burst to burst, where each operand's innermost tile moves on (acquire the next version), and
// the MAC burst inside (loops, operand levels). Its size grows with the loop nest, not with the MAC count.
// All PEs run the same program; each offsets its tiles by its own spatial indices.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/mapping/layer_plan.h"

namespace cyclops::mapping {

struct PeProgram {
  std::vector<int> outer;  // temporal loop positions stepping bursts, innermost first
  std::vector<int> burst;  // temporal loop positions inside one burst, innermost first
  std::vector<int>
      operand_level;            // per data space: the innermost level keeping it (where the MACs access it)
  std::vector<int> acquire_at;  // per data space: the first loop position that moves that tile
  int64_t burst_macs = 1;       // MACs per burst
  int64_t bursts = 1;           // bursts per PE

  // A listing a person can read (`cyclops run --dump-programs`).
  std::string Listing(const LayerPlan& plan) const;
};

PeProgram CompilePeProgram(const LayerPlan& plan);

}  // namespace cyclops::mapping
