// The unit a NoC moves and a PE sends/receives: values of one data space from one endpoint to a set of
// endpoints (more than one = multicast).
#pragma once

#include <cstdint>
#include <vector>

namespace cyclops::models {

struct Packet {
  int source = -1;
  std::vector<int> destinations;
  int data_space = 0;
  std::vector<int64_t> values;
};

}  // namespace cyclops::models
