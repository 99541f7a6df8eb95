// The network between a storage level and the instances it feeds, for one data space, without a NoC
// topology: a bus of a given width (values per cycle; unlimited when not set) and latency (>= 1 cycle).
// One transfer moves a tile delta to every receiver of a multicast group at once (one send, N deliveries),
// or one spatially reduced write-back up. Transfers queue behind each other; the wait is counted as stall
// cycles. Plain C++ calendar (FanoutBuses is the channel the fill engines call).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "models/common/cycle.h"
#include "sim/stats/stat_group.h"

namespace cyclops::noc {

class FanoutBus {
 public:
  FanoutBus(std::optional<double> width, models::Cycle latency);

  // Moves `values` values to `receivers` receivers, ready from cycle `at`; returns the arrival cycle.
  models::Cycle Transfer(models::Cycle at, int64_t values, int64_t receivers);

  // Declares the counters ("transfers", "values", "deliveries", "busy_cycles", "stall_cycles") and the
  // formula "values_per_busy_cycle" in `group`.
  void FileStats(stats::StatGroup& group) const;
  uint64_t stall_cycles() const { return stall_cycles_; }
  uint64_t busy_cycles() const { return busy_cycles_; }
  uint64_t values() const { return values_; }

 private:
  std::optional<double> width_;
  models::Cycle latency_;
  double free_at_ = 0;
  double counted_until_ = 0;  // busy cycles before this one are already counted
  uint64_t transfers_ = 0, values_ = 0, deliveries_ = 0, busy_cycles_ = 0, stall_cycles_ = 0;
};

}  // namespace cyclops::noc
