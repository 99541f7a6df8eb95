// The fan-out into one storage level when the architecture has no NoC topology (or with `--noc none`):
// a FanoutBus per data space the running layer moves into the level, Timeloop's view of its networks
// (receivers never hold a bus up). A channel the level's fill engine binds to.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "models/common/fanout_if.h"
#include "noc/bus/fanout_bus.h"
#include "sim/stats/stats_tree.h"

namespace cyclops::noc {

class FanoutBuses : public models::FanoutIf {
 public:
  FanoutBuses(std::optional<double> width, models::Cycle latency) : width_(width), latency_(latency) {}

  // The running layer: per data space (by index) the receivers of each multicast group; empty = not moved.
  void Load(std::vector<std::vector<int64_t>> group_sizes);

  models::Cycle Fill(int d, int group, models::Cycle at, int64_t values, models::Cycle) override;
  models::Cycle WriteBack(int d, int, models::Cycle at, int64_t values) override;
  std::string Kind() const override { return "bus"; }

  // Files each used bus under "<prefix>.bus_<data space name>".
  void FileStats(stats::StatsTree& tree, const std::string& prefix, const std::vector<std::string>& names);

 private:
  std::optional<double> width_;
  models::Cycle latency_;
  std::vector<std::vector<int64_t>> group_sizes_;
  std::vector<std::unique_ptr<FanoutBus>> buses_;  // per data space
};

}  // namespace cyclops::noc
