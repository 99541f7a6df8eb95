#include "sim/spec/noc_loader.h"

#include <algorithm>
#include <iterator>

namespace cyclops::spec {

NocParamValue NocParamFromText(const std::string& text) {
  if (text == "true" || text == "false") return text == "true";
  try {
    size_t used = 0;
    const long long integer = std::stoll(text, &used);
    if (used == text.size()) return static_cast<int64_t>(integer);
  } catch (const std::exception&) {
  }
  try {
    size_t used = 0;
    const double real = std::stod(text, &used);
    if (used == text.size()) return real;
  } catch (const std::exception&) {
  }
  return text;
}

namespace {

constexpr const char* kModes[] = {"unicast", "broadcast", "grouped_multicast", "interleaved_multicast"};

NocParamValue ParamValue(const YamlNode& node) {
  if (!node.IsScalar()) node.Fail("expected a number, boolean or name", "a scalar, e.g. 4, 2.5, true");
  return NocParamFromText(node.AsString());
}

NocNodeSpec LoadNode(const YamlNode& node) {
  node.ExpectMap("a node {name, kind, data_types, cluster, local, in_ports, out_ports}");
  node.CheckKeys({"name", "kind", "data_types", "cluster", "local", "in_ports", "out_ports"});
  NocNodeSpec spec;
  spec.where = node.Where();
  spec.name = node.Require("name").AsString();
  spec.kind = node.Require("kind").AsString();
  if (auto types = node.Find("data_types")) spec.data_types = types->AsString();
  auto pair = [](const YamlNode& list, int64_t& x, int64_t& y) {
    list.ExpectList("a coordinate [x, y]");
    const auto items = list.Items();
    if (items.size() != 2) list.Fail("expected two coordinates", "[x, y]");
    x = items[0].AsInt(), y = items[1].AsInt();
  };
  if (auto cluster = node.Find("cluster")) pair(*cluster, spec.cluster_x, spec.cluster_y);
  if (auto local = node.Find("local")) pair(*local, spec.local_x, spec.local_y);
  if (auto in = node.Find("in_ports")) spec.in_ports = in->AsIntAtLeast(0);
  if (auto out = node.Find("out_ports")) spec.out_ports = out->AsIntAtLeast(0);
  return spec;
}

NocLinkSpec LoadLink(const YamlNode& node) {
  node.ExpectMap(
      "a link {from, to, data_types, width_bits, latency_cycles, buffer_depth, from_port, to_port}");
  node.CheckKeys(
      {"from", "to", "data_types", "width_bits", "latency_cycles", "buffer_depth", "from_port", "to_port"});
  NocLinkSpec spec;
  spec.where = node.Where();
  spec.from = node.Require("from").AsString();
  spec.to = node.Require("to").AsString();
  if (auto types = node.Find("data_types")) spec.data_types = types->AsString();
  spec.width_bits = node.Require("width_bits").AsIntAtLeast(1);
  if (auto latency = node.Find("latency_cycles")) spec.latency_cycles = latency->AsIntAtLeast(1);
  if (auto depth = node.Find("buffer_depth")) spec.buffer_depth = depth->AsIntAtLeast(1);
  if (auto port = node.Find("from_port")) spec.from_port = port->AsIntAtLeast(0);
  if (auto port = node.Find("to_port")) spec.to_port = port->AsIntAtLeast(0);
  return spec;
}

}  // namespace

NocSpec LoadNoc(const YamlNode& noc) {
  noc.ExpectMap("a network {topology, params, modes, carries, nodes, links}");
  noc.CheckKeys({"topology", "params", "modes", "carries", "nodes", "links"});
  NocSpec spec;
  spec.where = noc.Where();
  const YamlNode topology = noc.Require("topology");
  spec.topology = topology.AsString();
  spec.topology_where = topology.Where();
  if (auto params = noc.Find("params")) {
    params->ExpectMap("a map of builder parameters, e.g. {clusters_x: 2, clusters_y: 8}");
    for (const auto& entry : params->Entries()) {
      spec.params[entry.key] = ParamValue(entry.value);
      spec.param_where[entry.key] = entry.value.Where();
    }
  }
  if (auto modes = noc.Find("modes")) {
    modes->ExpectMap("a map data space → router mode, e.g. {Inputs: broadcast}");
    std::vector<std::string> valid(std::begin(kModes), std::end(kModes));
    for (const auto& entry : modes->Entries()) {
      const std::string mode = entry.value.AsString();
      if (std::find(valid.begin(), valid.end(), mode) == valid.end())
        entry.value.Fail("unknown router mode '" + mode + "'", JoinNames(valid));
      spec.modes[entry.key] = {mode, entry.value.Where()};
    }
  }
  if (auto carries = noc.Find("carries")) {
    carries->ExpectMap("a map data space → the network it travels on, e.g. {A: iact, B: weight}");
    const std::vector<std::string> valid = {"iact", "weight", "psum"};
    for (const auto& entry : carries->Entries()) {
      const std::string network = entry.value.AsString();
      if (std::find(valid.begin(), valid.end(), network) == valid.end())
        entry.value.Fail("unknown network '" + network + "'", JoinNames(valid));
      spec.carries[entry.key] = {network, entry.value.Where()};
    }
  }
  if (auto nodes = noc.Find("nodes"))
    for (const YamlNode& node : nodes->Items()) spec.nodes.push_back(LoadNode(node));
  if (auto links = noc.Find("links"))
    for (const YamlNode& link : links->Items()) spec.links.push_back(LoadLink(link));
  if (spec.topology != "custom" && (!spec.nodes.empty() || !spec.links.empty()))
    noc.Fail("node and link lists are given but the topology is '" + spec.topology + "'",
             "topology: custom (or no nodes/links)");
  return spec;
}

}  // namespace cyclops::spec
