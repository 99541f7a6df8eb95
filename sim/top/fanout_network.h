// The network between a storage level and the instances it feeds, for one data space, as the level
// controllers see it: a fill moves a tile delta to every member of one multicast group, a write-back moves
// one spatially reduced group of psums up. Two implementations: FanoutBus (one ideal or width-limited bus,
// Timeloop's view) and TopologyFanout (routes over a NoC topology's links, noc/fabric).
#pragma once

#include <cstdint>
#include <string>

#include "models/common/cycle.h"

namespace cyclops::top {

class FanoutNetwork {
 public:
  virtual ~FanoutNetwork() = default;
  // Moves `values` values, ready at cycle `at`, from the parent to every member of group `group`
  // (LayerPlan::Groups order); returns the cycle the last member has them. `accepted_by`: when the slowest
  // member's buffer has written them (a network that models back-pressure holds its links until then).
  virtual models::Cycle Fill(models::Cycle at, int64_t values, int group, models::Cycle accepted_by) = 0;
  // Moves `values` reduced psums of group `group`, ready at `at`, up to the parent; returns the arrival
  // cycle.
  virtual models::Cycle WriteBack(models::Cycle at, int64_t values, int group) = 0;
  // What a stall caused by this network is called in reports ("bus", "network").
  virtual std::string Kind() const = 0;
};

}  // namespace cyclops::top
