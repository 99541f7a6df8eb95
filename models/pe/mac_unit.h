// A pipelined multiply-accumulate unit in plain C++: its timing and its counters.
//
// Timing: a burst of k MACs is one event. MAC i of a burst that starts at cycle t issues at t + i and its
// result is ready L (pipeline latency) cycles after issue, so the burst is done at
//   t + (k - 1) + L  =  t + k + L - 1,
// and the next burst can start issuing at t + k (the pipeline overlaps bursts). Example: k = 8, L = 3,
// start 10 → done 20; a following burst can start at 18.
#pragma once

#include <cstdint>

#include "models/common/cycle.h"
#include "sim/core/bits.h"
#include "sim/stats/stat_group.h"

namespace cyclops::models {

struct MacConfig {
  Cycle pipeline_latency = 1;  // >= 1
  int psum_bits = 64;          // 1..64 (the simulator wraps psums where they are written back)
};

class MacUnit {
 public:
  explicit MacUnit(MacConfig config);  // std::invalid_argument on latency 0 or psum_bits outside 1..64

  void Reset() { next_issue_ = 0, macs_ = bursts_ = busy_cycles_ = 0; }  // a new layer
  // Books a burst of `count` MACs at the earliest from cycle `at`; returns its done cycle (see above).
  Cycle ScheduleBurst(Cycle at, uint64_t count);
  // Counts `count` MACs whose arithmetic the caller did in one tight loop over a burst's operands.
  void CountMacs(uint64_t count) { macs_ += count; }

  Cycle next_issue() const { return next_issue_; }
  const MacConfig& config() const { return config_; }
  uint64_t macs() const { return macs_; }
  uint64_t busy_cycles() const { return busy_cycles_; }
  // Declares this layer's counters ("macs", "bursts", "busy_cycles") in `group`.
  void FileStats(stats::StatGroup& group) const;

 private:
  MacConfig config_;
  Cycle next_issue_ = 0;
  uint64_t macs_ = 0, bursts_ = 0, busy_cycles_ = 0;
};

// Two's-complement wrap, shared with the reference kernel.
using ::cyclops::WrapToBits;

}  // namespace cyclops::models
