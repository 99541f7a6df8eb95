// "custom": a topology whose nodes and links the user lists one by one. The spec loader turns the YAML
// form into a CustomTopologySpec; nothing here knows about YAML. Routes are lowest-latency graph searches.
#pragma once

#include <string>
#include <vector>

#include "noc/topology/topology.h"

namespace cyclops::noc::topology {

struct CustomNodeSpec {
  std::string name;  // unique; links refer to nodes by it
  NodeKind kind = NodeKind::kRouter;
  DataTypeSet data_types = DataTypeSet::All();
  GridCoord cluster{};
  GridCoord local{};
  int in_ports = 0;  // 0 = as many as its links use
  int out_ports = 0;
};

struct CustomLinkSpec {
  std::string from;  // node names
  std::string to;
  DataTypeSet data_types = DataTypeSet::All();
  int width_bits = 0;  // required, >= 1
  int latency_cycles = 1;
  int buffer_depth = kDefaultBufferDepth;
  int from_port = TopologyDraft::kNextPort;  // kNextPort = a port of its own
  int to_port = TopologyDraft::kNextPort;
};

struct CustomTopologySpec {
  std::vector<CustomNodeSpec> nodes;
  std::vector<CustomLinkSpec> links;
};

// The spec that rebuilds `topology`'s nodes and links exactly (its builder's routing function, if any, is
// not part of it: a rebuilt topology routes by graph search).
CustomTopologySpec ToCustomSpec(const Topology& topology);

}  // namespace cyclops::noc::topology
