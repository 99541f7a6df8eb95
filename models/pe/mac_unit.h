// A pipelined multiply-accumulate unit in plain C++.
//
// Timing: a burst of k MACs is one event. MAC i of a burst that starts at cycle t issues at t + i and its
// result is ready L (pipeline latency) cycles after issue, so the burst is done at
//   t + (k - 1) + L  =  t + k + L - 1,
// and the next burst can start issuing at t + k (the pipeline overlaps bursts). Example: k = 8, L = 3,
// start 10 → done 20; a following burst can start at 18.
//
// Arithmetic: products and sums in int64, the accumulator wrapped to psum_bits two's complement after every
// MAC, as a psum_bits-wide hardware register would.
#pragma once

#include <cstdint>

#include "models/common/cycle.h"
#include "sim/core/bits.h"
#include "sim/stats/stat_group.h"

namespace cyclops::models {

struct MacConfig {
  Cycle pipeline_latency = 1;  // >= 1
  int psum_bits = 32;          // 1..64
};

class MacUnit {
 public:
  explicit MacUnit(MacConfig config);  // std::invalid_argument on latency 0 or psum_bits outside 1..64

  // Books a burst of `count` MACs at the earliest from cycle `at`; returns its done cycle (see above).
  Cycle ScheduleBurst(Cycle at, uint64_t count);
  // Counts `count` MACs whose arithmetic the caller did in one tight loop over a burst's operands.
  void CountMacs(uint64_t count) { macs_.Add(count); }
  // acc + a * b wrapped to psum_bits. Counts one MAC.
  int64_t Mac(int64_t accumulator, int64_t a, int64_t b);

  Cycle next_issue() const { return next_issue_; }
  const MacConfig& config() const { return config_; }
  stats::StatGroup& stats() { return stats_; }

 private:
  MacConfig config_;
  Cycle next_issue_ = 0;
  stats::StatGroup stats_;
  stats::Counter& macs_;
  stats::Counter& bursts_;
  stats::Counter& busy_cycles_;
};

// Two's-complement wrap, shared with the reference kernel.
using ::cyclops::WrapToBits;

}  // namespace cyclops::models
