// A NoC topology as a plain C++ value: nodes, directed links with ports, width and latency, and the routes
// and multicast trees computed over them. Built once, at elaboration, by a TopologyBuilder
// (topology_builder.h); immutable afterwards. Boost.Graph does the searching but stays inside topology.cpp.
//
// Conventions:
//   - Node and link ids are their indices in nodes() / links().
//   - Links are directed and carry a set of data types; a route for data type T uses only links carrying T.
//   - Links that leave a node through the same out port share that port's wires: one word on the port can
//     reach any subset of them in the same cycle (a bus, or a router output that fans out to several PEs).
//   - Coordinates: x grows eastwards, y grows southwards; (0, 0) is the north-west corner.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace cyclops::noc::topology {

using NodeId = int;
using LinkId = int;

// Every builder's default buffer depth (entries per link), written once.
inline constexpr int kDefaultBufferDepth = 2;

enum class NodeKind { kRouter, kBus, kGlbBank, kOffchipPort, kPe };

// v1's "filter" is kWeight and its "ifmap" is kIact; psums (partial and final outputs) are kPsum.
enum class DataType : std::uint8_t { kIact, kWeight, kPsum };
inline constexpr DataType kAllDataTypes[] = {DataType::kIact, DataType::kWeight, DataType::kPsum};

// A set of data types as a bit mask (bit i = DataType i).
class DataTypeSet {
 public:
  constexpr DataTypeSet() = default;
  constexpr DataTypeSet(DataType type) : bits_(Bit(type)) {}  // NOLINT: implicit by design
  static constexpr DataTypeSet All() { return DataTypeSet(0b111); }

  constexpr bool Has(DataType type) const { return (bits_ & Bit(type)) != 0; }
  constexpr bool Empty() const { return bits_ == 0; }
  constexpr DataTypeSet operator|(DataTypeSet other) const { return DataTypeSet(bits_ | other.bits_); }
  constexpr bool operator==(const DataTypeSet&) const = default;
  constexpr std::uint8_t bits() const { return bits_; }

 private:
  constexpr explicit DataTypeSet(std::uint8_t bits) : bits_(bits) {}
  static constexpr std::uint8_t Bit(DataType type) {
    return static_cast<std::uint8_t>(1u << static_cast<int>(type));
  }
  std::uint8_t bits_ = 0;
};

std::string_view ToString(NodeKind kind);  // "router", "bus", "glb_bank", "offchip_port", "pe"
std::string_view ToString(DataType type);  // "iact", "weight", "psum"
std::string ToString(DataTypeSet types);   // "iact,psum"
std::optional<NodeKind> ParseNodeKind(std::string_view text);
std::optional<DataType> ParseDataType(std::string_view text);
std::optional<DataTypeSet> ParseDataTypeSet(std::string_view text);  // comma-separated, no spaces

struct GridCoord {
  int x = 0;
  int y = 0;
  bool operator==(const GridCoord&) const = default;
};

struct Node {
  NodeId id = 0;
  NodeKind kind = NodeKind::kRouter;
  DataTypeSet data_types;
  GridCoord cluster;  // which cluster (or mesh position) the node belongs to
  GridCoord local;    // position inside the cluster: PE (column, row), router/bank (index, 0)
  int in_ports = 0;   // ports the hardware has, including ones left unconnected at an array edge
  int out_ports = 0;
  std::string name;  // unique, e.g. "c1_7.iact_router2"
  bool operator==(const Node&) const = default;
};

struct Link {
  LinkId id = 0;
  NodeId from = 0;
  NodeId to = 0;
  int from_port = 0;  // out port of `from`
  int to_port = 0;    // in port of `to`
  DataTypeSet data_types;
  int width_bits = 0;
  int latency_cycles = 1;  // >= 1 (DESIGN.md decision 4)
  int buffer_depth = 0;    // entries the link's bounded buffer holds, >= 1
  bool operator==(const Link&) const = default;
};

struct MulticastTree {
  NodeId source = 0;
  std::vector<LinkId> links;        // deduplicated; every link appears after the link that feeds its source
  std::vector<NodeId> unreachable;  // destinations no route reaches (the tree still serves the others)
};

class Topology;
// A builder's own routing (e.g. mesh2d's XY). Returns the links from `from` to `to`, or empty if none.
using RoutingFunction = std::function<std::vector<LinkId>(const Topology&, NodeId from, NodeId to, DataType)>;

class Topology {
 public:
  // std::invalid_argument if ids are not indices, names repeat or are empty, a link names a missing node or
  // port, carries no data type, or has width < 1, latency < 1 or buffer depth < 1.
  Topology(std::string builder, std::vector<Node> nodes, std::vector<Link> links,
           RoutingFunction routing = {});

  const std::string& builder() const { return builder_; }
  const std::vector<Node>& nodes() const { return nodes_; }
  const std::vector<Link>& links() const { return links_; }
  const Node& node(NodeId id) const { return nodes_.at(id); }
  const Link& link(LinkId id) const { return links_.at(id); }
  const std::vector<LinkId>& OutLinks(NodeId id) const { return out_links_.at(id); }
  const std::vector<LinkId>& InLinks(NodeId id) const { return in_links_.at(id); }

  std::optional<NodeId> FindNode(std::string_view name) const;
  // The first link from -> to carrying `type`, if any.
  std::optional<LinkId> FindLink(NodeId from, NodeId to, DataType type) const;

  // The links of a lowest-latency route (the builder's routing function if it has one), in order.
  // Empty means the topology cannot carry `type` from `from` to `to`. from == to is std::invalid_argument.
  std::vector<LinkId> Route(NodeId from, NodeId to, DataType type) const;

  // Per node, whether a route for `type` joins it with `node`: from `node` to it, or with `into` from it to
  // `node`. One breadth-first search; cheaper than routing when only feasibility matters.
  std::vector<char> Reachable(NodeId node, DataType type, bool into = false) const;

  // Union of the routes from `source` to each destination (one graph search for all of them).
  MulticastTree Multicast(NodeId source, const std::vector<NodeId>& destinations, DataType type) const;
  // Union of the routes from each source into `destination`, a reduction tree (one search backwards from
  // the destination for all of them, or the builder's routing); `tree.source` is the destination.
  MulticastTree Reduction(const std::vector<NodeId>& sources, NodeId destination, DataType type) const;

  // The lowest-latency routes from (or, `into`, towards) `root`, searched until every node of `reach` is
  // settled: one search that many multicast or reduction trees with that root can share. A node the
  // search settled has the same route as a search of its own would give it (Dijkstra settles nodes in the
  // same order whatever it stops for), so sharing changes no route.
  struct RouteSearch {
    NodeId root = 0;
    DataType type = DataType::kIact;
    bool into = false;
    std::vector<LinkId> link;  // per node: the link entering it (from root) or leaving it (into root)
  };
  RouteSearch Search(NodeId root, DataType type, bool into, const std::vector<NodeId>& reach) const;
  // Multicast / Reduction over a search that reached every destination or source.
  MulticastTree Multicast(const RouteSearch& search, const std::vector<NodeId>& destinations) const;
  MulticastTree Reduction(const RouteSearch& search, const std::vector<NodeId>& sources) const;
  bool has_routing_function() const { return static_cast<bool>(routing_); }

  struct SearchGraph;  // Boost.Graph, defined in topology.cpp

 private:
  // For every node, the link through which the lowest-latency route from `source` enters it (-1: none).
  // `targets` non-empty: the search stops once they are all settled (other nodes may be left unrouted).
  std::vector<LinkId> SearchFrom(NodeId source, DataType type, const std::vector<NodeId>& targets) const;
  // For every node, the link through which the lowest-latency route towards `destination` leaves it.
  std::vector<LinkId> SearchTo(NodeId destination, DataType type, const std::vector<NodeId>& sources) const;
  std::vector<LinkId> PathTo(const std::vector<LinkId>& entering, NodeId source, NodeId to) const;

  std::string builder_;
  std::vector<Node> nodes_;
  std::vector<Link> links_;
  RoutingFunction routing_;
  std::vector<std::vector<LinkId>> out_links_;
  std::vector<std::vector<LinkId>> in_links_;
  std::unordered_map<std::string, NodeId> by_name_;
  std::shared_ptr<const SearchGraph> graph_;  // immutable, so copies of a Topology share it
};

// Accumulates nodes and links with ids and port numbers assigned in order, then makes the Topology.
class TopologyDraft {
 public:
  static constexpr int kNextPort = -1;  // allocate the next unused port of the node

  NodeId AddNode(NodeKind kind, DataTypeSet types, std::string name, GridCoord cluster = {},
                 GridCoord local = {}, int in_ports = 0, int out_ports = 0);
  LinkId AddLink(NodeId from, NodeId to, DataTypeSet types, int width_bits, int latency_cycles,
                 int buffer_depth, int from_port = kNextPort, int to_port = kNextPort);
  std::size_t node_count() const { return nodes_.size(); }
  // Port counts become max(declared, used); the draft is left empty.
  Topology Finish(std::string builder, RoutingFunction routing = {});

 private:
  std::vector<Node> nodes_;
  std::vector<Link> links_;
  std::vector<int> used_in_;  // ports allocated or named so far, per node
  std::vector<int> used_out_;
};

}  // namespace cyclops::noc::topology
