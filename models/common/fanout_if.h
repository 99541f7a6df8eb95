// The network between a storage level and the instances it feeds, as the fill engines see it: a fill moves
// a tile delta of one data space to every member of one multicast group, a write-back moves one spatially
// reduced group of psums up. Implemented by the ideal/width-limited fan-out buses (noc/bus) and by the NoC
// fabric (noc/fabric), each a channel the accelerator binds to a fill engine's port. Groups are numbered
// as in the running layer's TransferProgram.
#pragma once

#include <cstdint>
#include <string>
#include <systemc>

#include "models/common/cycle.h"

namespace cyclops::models {

class FanoutIf : public virtual sc_core::sc_interface {
 public:
  // Moves `values` values of data space d, ready at layer cycle `at`, to every member of group `group`;
  // returns the cycle the last member has them. `accepted_by`: when the slowest member's buffer has written
  // them (a network that models back-pressure holds its links until then).
  virtual Cycle Fill(int d, int group, Cycle at, int64_t values, Cycle accepted_by) = 0;
  // Moves `values` reduced psums of data space d's group `group`, ready at `at`, up to the parent; returns
  // the arrival cycle.
  virtual Cycle WriteBack(int d, int group, Cycle at, int64_t values) = 0;
  // What a stall caused by this network is called in reports ("bus", "network (eyeriss_v2_hm)").
  virtual std::string Kind() const = 0;
};

}  // namespace cyclops::models
