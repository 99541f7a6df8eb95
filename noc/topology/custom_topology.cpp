#include "noc/topology/custom_topology.h"

#include <stdexcept>
#include <unordered_map>

#include "noc/topology/topology_builder.h"
#include "sim/core/error.h"

namespace cyclops::noc::topology {

CustomTopologySpec ToCustomSpec(const Topology& topology) {
  CustomTopologySpec spec;
  spec.nodes.reserve(topology.nodes().size());
  for (const Node& node : topology.nodes()) {
    spec.nodes.push_back(
        {node.name, node.kind, node.data_types, node.cluster, node.local, node.in_ports, node.out_ports});
  }
  spec.links.reserve(topology.links().size());
  for (const Link& link : topology.links()) {
    spec.links.push_back({topology.node(link.from).name, topology.node(link.to).name, link.data_types,
                          link.width_bits, link.latency_cycles, link.buffer_depth, link.from_port,
                          link.to_port});
  }
  return spec;
}

namespace {

constexpr char kName[] = "custom";

SpecError Bad(const std::string& key_path, const std::string& problem, const std::string& valid) {
  return SpecError({"", 0, 0, key_path}, std::string("topology builder '") + kName + "': " + problem, valid);
}

class CustomBuilder : public TopologyBuilder {
 public:
  Topology Build(const TopologyParams& params) const override {
    ParamReader reader(kName, params);
    reader.RejectUnread();  // "custom" takes no scalar parameters
    if (!params.custom) throw Bad("custom", "no node/link lists given", "a CustomTopologySpec");
    const CustomTopologySpec& spec = *params.custom;
    if (spec.nodes.empty()) throw Bad("nodes", "no nodes", "at least one node");

    TopologyDraft draft;
    std::unordered_map<std::string, NodeId> ids;
    for (std::size_t i = 0; i < spec.nodes.size(); ++i) {
      const CustomNodeSpec& node = spec.nodes[i];
      const std::string path = "nodes[" + std::to_string(i) + "]";
      if (node.name.empty()) throw Bad(path + ".name", "empty node name", "a unique non-empty name");
      if (node.data_types.Empty()) throw Bad(path + ".data_types", "no data type", "iact, weight, psum");
      if (node.in_ports < 0 || node.out_ports < 0) throw Bad(path, "negative port count", "0 or more");
      if (!ids.emplace(node.name, draft.node_count()).second) {
        throw Bad(path + ".name", "node name '" + node.name + "' repeats", "a unique name");
      }
      draft.AddNode(node.kind, node.data_types, node.name, node.cluster, node.local, node.in_ports,
                    node.out_ports);
    }
    for (std::size_t i = 0; i < spec.links.size(); ++i) {
      const CustomLinkSpec& link = spec.links[i];
      const std::string path = "links[" + std::to_string(i) + "]";
      auto from = ids.find(link.from);
      auto to = ids.find(link.to);
      if (from == ids.end())
        throw Bad(path + ".from", "unknown node '" + link.from + "'", "a name from nodes");
      if (to == ids.end()) throw Bad(path + ".to", "unknown node '" + link.to + "'", "a name from nodes");
      if (link.data_types.Empty()) throw Bad(path + ".data_types", "no data type", "iact, weight, psum");
      if (link.width_bits < 1) throw Bad(path + ".width_bits", "width < 1", "an integer >= 1");
      if (link.latency_cycles < 1) throw Bad(path + ".latency_cycles", "latency < 1", "an integer >= 1");
      if (link.buffer_depth < 1) throw Bad(path + ".buffer_depth", "buffer depth < 1", "an integer >= 1");
      if (link.from_port < TopologyDraft::kNextPort || link.to_port < TopologyDraft::kNextPort) {
        throw Bad(path, "negative port number", "a port index >= 0, or none");
      }
      draft.AddLink(from->second, to->second, link.data_types, link.width_bits, link.latency_cycles,
                    link.buffer_depth, link.from_port, link.to_port);
    }
    try {
      return draft.Finish(kName);
    } catch (const std::invalid_argument& error) {  // e.g. a port number above a declared port count
      throw Bad("links", error.what(), "ports below the node's declared port count");
    }
  }
};

}  // namespace

CYCLOPS_REGISTER_TOPOLOGY(kName, CustomBuilder);

}  // namespace cyclops::noc::topology
