// The network between a storage level and the instances it feeds, for one data space: a bus of a given
// width (values per cycle; unlimited when not set) and latency (>= 1 cycle). One transfer moves a tile
// delta to every receiver of a multicast group at once (one send, N deliveries), or one spatially
// reduced write-back up. Transfers queue behind each other; the wait is counted as stall cycles.
// Plain C++ calendar: the controllers that use it are the SystemC processes. Used when the architecture
// names no NoC topology (or with `--noc none`); TopologyFanout models the links of a real topology.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "models/common/cycle.h"
#include "sim/stats/stat_group.h"
#include "sim/top/fanout_network.h"

namespace cyclops::top {

class FanoutBus : public FanoutNetwork {
 public:
  // `group_sizes`: receivers of each multicast group (LayerPlan::Groups order).
  FanoutBus(std::optional<double> width, models::Cycle latency, std::vector<int64_t> group_sizes = {});

  // Timeloop's bus: receivers never hold it up.
  models::Cycle Fill(models::Cycle at, int64_t values, int group, models::Cycle) override {
    return Transfer(at, values, group_sizes_.at(group));
  }
  models::Cycle WriteBack(models::Cycle at, int64_t values, int) override { return Transfer(at, values, 1); }
  std::string Kind() const override { return "bus"; }

  // Moves `values` values to `receivers` receivers, ready from cycle `at`; returns the arrival cycle.
  models::Cycle Transfer(models::Cycle at, int64_t values, int64_t receivers);

  stats::StatGroup& stats() { return stats_; }
  uint64_t stall_cycles() const { return stall_cycles_.value(); }

 private:
  std::optional<double> width_;
  models::Cycle latency_;
  std::vector<int64_t> group_sizes_;
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
