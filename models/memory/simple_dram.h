// "simple" DRAM: one channel with a fixed bandwidth and a fixed first-word latency.
//
// Timing: a request of B bytes starts when the channel is free (start = max(at, channel free)); the channel
// is then busy for B / bytes_per_cycle cycles (latency overlaps with other requests' transfers: requests are
// pipelined). The first word is out at start + latency, and all of it at
//   completion = start + first_word_latency + ceil(B / bytes_per_cycle).
// Example: 64 bytes at 16 B/cycle, latency 20, issued at 0 on an idle channel: completion 24; a second
// such request issued at 0 starts at 4 and completes at 28.
#pragma once

#include <vector>

#include "models/memory/dram_model.h"
#include "models/memory/value_store.h"
#include "sim/stats/stat_group.h"

namespace cyclops::models {

class SimpleDram : public DramModel {
 public:
  explicit SimpleDram(DramConfig config);  // std::invalid_argument on non-positive capacity/bandwidth

  Cycle Schedule(Access access, int data_space, Cycle at, int64_t start, int64_t count,
                 int64_t stride = 1) override;
  int64_t Read(int64_t address) const override;
  void Write(int64_t address, int64_t value) override;
  int64_t capacity() const override { return config_.capacity; }
  stats::StatGroup& stats() override { return stats_; }

 private:

  ValueStore store_;
  double channel_free_at_ = 0;
  stats::StatGroup stats_;
  std::vector<stats::Counter*> counters_;  // [access * n_data_spaces + data_space], values
  stats::Counter* bytes_read_;
  stats::Counter* bytes_written_;
  stats::Counter* busy_cycles_;
};

}  // namespace cyclops::models
