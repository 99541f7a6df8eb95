#include "noc/topology/topology.h"

#include <algorithm>
#include <limits>
#include <stdexcept>

// Boost 1.74's edge iterator trips GCC 12's -Wmaybe-uninitialized (a false positive inside Boost).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/dijkstra_shortest_paths.hpp>
#include <boost/graph/filtered_graph.hpp>
#pragma GCC diagnostic pop

namespace cyclops::noc::topology {

namespace {
constexpr std::string_view kNodeKindNames[] = {"router", "bus", "glb_bank", "offchip_port", "pe"};
constexpr std::string_view kDataTypeNames[] = {"iact", "weight", "psum"};

struct EdgeProperties {
  LinkId link = 0;
  int latency = 1;
};
using Graph =
    boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS, boost::no_property, EdgeProperties>;
using Edge = boost::graph_traits<Graph>::edge_descriptor;

// Keeps only the links that carry one data type, so routes never borrow another data type's wires.
struct CarriesType {
  const std::vector<Link>* links = nullptr;
  DataType type = DataType::kIact;
  const Graph* graph = nullptr;
  bool operator()(const Edge& edge) const { return (*links)[(*graph)[edge].link].data_types.Has(type); }
};

// Thrown by the visitor to end a search once every wanted node is settled (Boost's documented way out).
struct AllTargetsSettled {};

// Records, for each node, the link through which the currently best route enters it; stops the search
// when the nodes in `pending` (count of unsettled targets, per-node flags) are all settled, so a route
// between neighbours does not search a 16,384-PE array.
class RecordEnteringLink : public boost::default_dijkstra_visitor {
 public:
  RecordEnteringLink(std::vector<LinkId>* entering, std::vector<char>* wanted, int* pending)
      : entering_(entering), wanted_(wanted), pending_(pending) {}
  template <typename G>
  void edge_relaxed(const Edge& edge, const G& graph) const {
    (*entering_)[boost::target(edge, graph)] = graph[edge].link;
  }
  template <typename V, typename G>
  void finish_vertex(V vertex, const G&) const {
    if (wanted_->empty() || !(*wanted_)[vertex]) return;
    (*wanted_)[vertex] = 0;
    if (--*pending_ == 0) throw AllTargetsSettled{};
  }

 private:
  std::vector<LinkId>* entering_;
  std::vector<char>* wanted_;
  int* pending_;
};

// The same for a search backwards from a destination: the link through which a node's route leaves it.
class RecordLeavingLink : public boost::default_dijkstra_visitor {
 public:
  RecordLeavingLink(std::vector<LinkId>* leaving, std::vector<char>* wanted, int* pending)
      : leaving_(leaving), wanted_(wanted), pending_(pending) {}
  template <typename G>
  void edge_relaxed(const Edge& edge, const G& graph) const {
    (*leaving_)[boost::target(edge, graph)] = graph[edge].link;
  }
  template <typename V, typename G>
  void finish_vertex(V vertex, const G&) const {
    if (!(*wanted_)[vertex]) return;
    (*wanted_)[vertex] = 0;
    if (--*pending_ == 0) throw AllTargetsSettled{};
  }

 private:
  std::vector<LinkId>* leaving_;
  std::vector<char>* wanted_;
  int* pending_;
};

[[noreturn]] void Invalid(const std::string& builder, const std::string& what) {
  throw std::invalid_argument("topology '" + builder + "': " + what);
}
}  // namespace

struct Topology::SearchGraph {
  Graph graph;
  Graph reversed;  // every link backwards: searches from a reduction's destination
};

std::string_view ToString(NodeKind kind) {
  return kNodeKindNames[static_cast<int>(kind)];
}
std::string_view ToString(DataType type) {
  return kDataTypeNames[static_cast<int>(type)];
}

std::string ToString(DataTypeSet types) {
  std::string text;
  for (DataType type : kAllDataTypes) {
    if (!types.Has(type)) continue;
    if (!text.empty()) text += ',';
    text += ToString(type);
  }
  return text;
}

std::optional<NodeKind> ParseNodeKind(std::string_view text) {
  for (int i = 0; i < static_cast<int>(std::size(kNodeKindNames)); ++i) {
    if (kNodeKindNames[i] == text) return static_cast<NodeKind>(i);
  }
  return std::nullopt;
}

std::optional<DataType> ParseDataType(std::string_view text) {
  for (int i = 0; i < static_cast<int>(std::size(kDataTypeNames)); ++i) {
    if (kDataTypeNames[i] == text) return static_cast<DataType>(i);
  }
  return std::nullopt;
}

std::optional<DataTypeSet> ParseDataTypeSet(std::string_view text) {
  DataTypeSet types;
  while (true) {
    const std::size_t comma = text.find(',');
    const std::optional<DataType> type = ParseDataType(text.substr(0, comma));
    if (!type) return std::nullopt;
    types = types | *type;
    if (comma == std::string_view::npos) return types;
    text.remove_prefix(comma + 1);
  }
}

Topology::Topology(std::string builder, std::vector<Node> nodes, std::vector<Link> links,
                   RoutingFunction routing)
    : builder_(std::move(builder)),
      nodes_(std::move(nodes)),
      links_(std::move(links)),
      routing_(std::move(routing)),
      out_links_(nodes_.size()),
      in_links_(nodes_.size()) {
  by_name_.reserve(nodes_.size());
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    const Node& node = nodes_[i];
    if (node.id != static_cast<NodeId>(i))
      Invalid(builder_, "node '" + node.name + "' has an id that is not its index");
    if (node.name.empty()) Invalid(builder_, "node " + std::to_string(i) + " has no name");
    if (!by_name_.emplace(node.name, node.id).second)
      Invalid(builder_, "node name '" + node.name + "' repeats");
  }
  auto graph = std::make_shared<SearchGraph>();
  graph->graph = Graph(nodes_.size());
  graph->reversed = Graph(nodes_.size());
  for (std::size_t i = 0; i < links_.size(); ++i) {
    const Link& link = links_[i];
    const std::string which = "link " + std::to_string(i);
    if (link.id != static_cast<LinkId>(i)) Invalid(builder_, which + " has an id that is not its index");
    const auto n = static_cast<NodeId>(nodes_.size());
    if (link.from < 0 || link.from >= n || link.to < 0 || link.to >= n)
      Invalid(builder_, which + " names a missing node");
    if (link.from_port < 0 || link.from_port >= nodes_[link.from].out_ports) {
      Invalid(builder_, which + " leaves '" + nodes_[link.from].name + "' through a port it does not have");
    }
    if (link.to_port < 0 || link.to_port >= nodes_[link.to].in_ports) {
      Invalid(builder_, which + " enters '" + nodes_[link.to].name + "' through a port it does not have");
    }
    if (link.data_types.Empty()) Invalid(builder_, which + " carries no data type");
    if (link.width_bits < 1) Invalid(builder_, which + " has width < 1 bit");
    if (link.latency_cycles < 1) Invalid(builder_, which + " has latency < 1 cycle");
    if (link.buffer_depth < 1) Invalid(builder_, which + " has buffer depth < 1");
    out_links_[link.from].push_back(link.id);
    in_links_[link.to].push_back(link.id);
    boost::add_edge(link.from, link.to, EdgeProperties{link.id, link.latency_cycles}, graph->graph);
    boost::add_edge(link.to, link.from, EdgeProperties{link.id, link.latency_cycles}, graph->reversed);
  }
  graph_ = std::move(graph);
}

std::optional<NodeId> Topology::FindNode(std::string_view name) const {
  auto it = by_name_.find(std::string(name));
  if (it == by_name_.end()) return std::nullopt;
  return it->second;
}

std::optional<LinkId> Topology::FindLink(NodeId from, NodeId to, DataType type) const {
  for (LinkId id : OutLinks(from)) {
    if (links_[id].to == to && links_[id].data_types.Has(type)) return id;
  }
  return std::nullopt;
}

std::vector<LinkId> Topology::SearchFrom(NodeId source, DataType type,
                                         const std::vector<NodeId>& targets) const {
  const Graph& graph = graph_->graph;
  const CarriesType keep{&links_, type, &graph};
  const boost::filtered_graph<Graph, CarriesType> typed(graph, keep);
  std::vector<LinkId> entering(nodes_.size(), -1);
  std::vector<long> distance(nodes_.size(), std::numeric_limits<long>::max());
  std::vector<char> wanted;
  int pending = 0;
  if (!targets.empty()) {
    wanted.assign(nodes_.size(), 0);
    for (NodeId target : targets)
      if (target != source && !wanted[target]) wanted[target] = 1, ++pending;
    if (pending == 0) return entering;
  }
  const auto index = boost::get(boost::vertex_index, typed);
  try {
    boost::dijkstra_shortest_paths(
        typed, static_cast<std::size_t>(source),
        boost::weight_map(boost::get(&EdgeProperties::latency, typed))
            .distance_map(boost::make_iterator_property_map(distance.begin(), index))
            .visitor(RecordEnteringLink(&entering, &wanted, &pending)));
  } catch (const AllTargetsSettled&) {
    // Every target's route is final; the rest of the graph is not needed.
  }
  return entering;
}

std::vector<LinkId> Topology::SearchTo(NodeId destination, DataType type,
                                       const std::vector<NodeId>& sources) const {
  const Graph& graph = graph_->reversed;
  const CarriesType keep{&links_, type, &graph};
  const boost::filtered_graph<Graph, CarriesType> backwards(graph, keep);
  std::vector<LinkId> leaving(nodes_.size(), -1);
  std::vector<long> distance(nodes_.size(), std::numeric_limits<long>::max());
  std::vector<char> wanted(nodes_.size(), 0);
  int pending = 0;
  for (NodeId source : sources)
    if (source != destination && !wanted[source]) wanted[source] = 1, ++pending;
  if (pending == 0) return leaving;
  const auto index = boost::get(boost::vertex_index, backwards);
  try {
    boost::dijkstra_shortest_paths(
        backwards, static_cast<std::size_t>(destination),
        boost::weight_map(boost::get(&EdgeProperties::latency, backwards))
            .distance_map(boost::make_iterator_property_map(distance.begin(), index))
            .visitor(RecordLeavingLink(&leaving, &wanted, &pending)));
  } catch (const AllTargetsSettled&) {
    // Every source's route is final.
  }
  return leaving;
}

std::vector<LinkId> Topology::PathTo(const std::vector<LinkId>& entering, NodeId source, NodeId to) const {
  std::vector<LinkId> path;
  for (NodeId at = to; at != source; at = links_[entering[at]].from) {
    if (entering[at] < 0) return {};
    path.push_back(entering[at]);
  }
  std::reverse(path.begin(), path.end());
  return path;
}

std::vector<LinkId> Topology::Route(NodeId from, NodeId to, DataType type) const {
  node(from);  // std::out_of_range on a bad id, before any search
  node(to);
  if (from == to) throw std::invalid_argument("topology '" + builder_ + "': route from a node to itself");
  if (routing_) return routing_(*this, from, to, type);
  return PathTo(SearchFrom(from, type, {to}), from, to);
}

std::vector<char> Topology::Reachable(NodeId node, DataType type, bool into) const {
  std::vector<char> reached(nodes_.size(), 0);
  std::vector<NodeId> frontier{node};
  reached[node] = 1;
  while (!frontier.empty()) {
    const NodeId at = frontier.back();
    frontier.pop_back();
    for (LinkId id : into ? in_links_[at] : out_links_[at]) {
      const Link& link = links_[id];
      const NodeId next = into ? link.from : link.to;
      if (!link.data_types.Has(type) || reached[next]) continue;
      reached[next] = 1;
      frontier.push_back(next);
    }
  }
  return reached;
}

Topology::RouteSearch Topology::Search(NodeId root, DataType type, bool into,
                                      const std::vector<NodeId>& reach) const {
  RouteSearch search{root, type, into, {}};
  if (!routing_) search.link = into ? SearchTo(root, type, reach) : SearchFrom(root, type, reach);
  return search;
}

MulticastTree Topology::Multicast(const RouteSearch& search, const std::vector<NodeId>& destinations) const {
  const NodeId source = search.root;
  MulticastTree tree{source, {}, {}};
  std::vector<bool> taken(links_.size(), false);
  for (NodeId destination : destinations) {
    if (destination == source) continue;  // already there
    const std::vector<LinkId> path =
        routing_ ? routing_(*this, source, destination, search.type) : PathTo(search.link, source, destination);
    if (path.empty()) tree.unreachable.push_back(destination);
    // Appending each path in order keeps a link after the one feeding it: the path's prefix is either new
    // (appended just before) or already in the tree.
    for (LinkId id : path) {
      if (!taken[id]) tree.links.push_back(id);
      taken[id] = true;
    }
  }
  return tree;
}

MulticastTree Topology::Multicast(NodeId source, const std::vector<NodeId>& destinations, DataType type) const {
  return Multicast(Search(source, type, false, destinations), destinations);
}

MulticastTree Topology::Reduction(const RouteSearch& search, const std::vector<NodeId>& sources) const {
  const NodeId destination = search.root;
  MulticastTree tree{destination, {}, {}};
  std::vector<bool> taken(links_.size(), false);
  for (NodeId source : sources) {
    if (source == destination) continue;
    std::vector<LinkId> path;
    if (routing_) {
      path = routing_(*this, source, destination, search.type);
    } else {
      for (NodeId at = source; at != destination; at = links_[search.link[at]].to) {
        if (search.link[at] < 0) {
          path.clear();
          break;
        }
        path.push_back(search.link[at]);
      }
    }
    if (path.empty()) tree.unreachable.push_back(source);
    for (LinkId id : path) {
      if (!taken[id]) tree.links.push_back(id);
      taken[id] = true;
    }
  }
  return tree;
}

MulticastTree Topology::Reduction(const std::vector<NodeId>& sources, NodeId destination, DataType type) const {
  return Reduction(Search(destination, type, true, sources), sources);
}

NodeId TopologyDraft::AddNode(NodeKind kind, DataTypeSet types, std::string name, GridCoord cluster,
                              GridCoord local, int in_ports, int out_ports) {
  const auto id = static_cast<NodeId>(nodes_.size());
  nodes_.push_back(Node{id, kind, types, cluster, local, in_ports, out_ports, std::move(name)});
  used_in_.push_back(0);
  used_out_.push_back(0);
  return id;
}

LinkId TopologyDraft::AddLink(NodeId from, NodeId to, DataTypeSet types, int width_bits, int latency_cycles,
                              int buffer_depth, int from_port, int to_port) {
  if (from_port == kNextPort) from_port = used_out_.at(from);
  if (to_port == kNextPort) to_port = used_in_.at(to);
  used_out_.at(from) = std::max(used_out_[from], from_port + 1);
  used_in_.at(to) = std::max(used_in_[to], to_port + 1);
  const auto id = static_cast<LinkId>(links_.size());
  links_.push_back(Link{id, from, to, from_port, to_port, types, width_bits, latency_cycles, buffer_depth});
  return id;
}

Topology TopologyDraft::Finish(std::string builder, RoutingFunction routing) {
  for (Node& node : nodes_) {
    node.in_ports = std::max(node.in_ports, used_in_[node.id]);
    node.out_ports = std::max(node.out_ports, used_out_[node.id]);
  }
  Topology topology(std::move(builder), std::move(nodes_), std::move(links_), std::move(routing));
  *this = TopologyDraft();
  return topology;
}

}  // namespace cyclops::noc::topology
