// The network between a storage level and the instances it feeds, for one data space: a bus of a given
// width (values per cycle; unlimited when not set) and latency (>= 1 cycle). One transfer moves a tile
// delta to every receiver of a multicast group at once (one send, N deliveries), or one spatially
// reduced write-back up. Transfers queue behind each other; the wait is counted as stall cycles.
// Plain C++ calendar: the controllers that use it are the SystemC processes. (The on-chip-network work
// replaces this with topologies from noc/ behind the same two calls.)
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "models/common/cycle.h"
#include "sim/stats/stat_group.h"

namespace cyclops::top {

class FanoutBus {
 public:
  FanoutBus(std::optional<double> width, models::Cycle latency);

  // Moves `values` values to `receivers` receivers, ready from cycle `at`; returns the arrival cycle.
  models::Cycle Transfer(models::Cycle at, int64_t values, int64_t receivers);

  stats::StatGroup& stats() { return stats_; }
  uint64_t stall_cycles() const { return stall_cycles_.value(); }

 private:
  std::optional<double> width_;
  models::Cycle latency_;
  double free_at_ = 0;
  double counted_until_ = 0;  // busy cycles before this one are already counted
  stats::StatGroup stats_;
  stats::Counter& transfers_;
  stats::Counter& values_;
  stats::Counter& deliveries_;
  stats::Counter& busy_cycles_;
  stats::Counter& stall_cycles_;
};

}  // namespace cyclops::top
