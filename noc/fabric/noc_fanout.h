// The fan-out into one storage level over the architecture's NoC: the channel its fill engine calls, which
// sends every fill and write-back of the running layer along the route planned for its multicast group on
// the one LinkFabric all levels share (the links are the chip's; contention between levels is real).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/common/fanout_if.h"
#include "noc/fabric/link_fabric.h"

namespace cyclops::noc {

class NocFanout : public models::FanoutIf {
 public:
  NocFanout(LinkFabric& fabric, std::string topology_name)
      : fabric_(fabric), kind_("network (" + topology_name + ")") {}

  // One data space's routes in the running layer, per multicast group. `missing_fill[g]`: why group g's
  // fill has no route (psums that would have to come back down a network that only carries them up); an
  // error only if such a fill ever moves a value. Routes are owned by the planner and outlive the layer.
  struct Routes {
    std::vector<const FabricRoute*> fills;
    std::vector<const FabricRoute*> write_backs;
    std::vector<std::string> missing_fill;
  };
  void Load(std::vector<Routes> per_data_space) { routes_ = std::move(per_data_space); }

  models::Cycle Fill(int d, int group, models::Cycle at, int64_t values, models::Cycle accepted_by) override;
  models::Cycle WriteBack(int d, int group, models::Cycle at, int64_t values) override;
  std::string Kind() const override { return kind_; }

 private:
  LinkFabric& fabric_;
  std::string kind_;
  std::vector<Routes> routes_;  // per data space
};

}  // namespace cyclops::noc
