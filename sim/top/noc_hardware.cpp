#include "sim/top/noc_hardware.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <climits>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <stdexcept>
#include <tuple>
#include <variant>

#include "noc/fabric/link_fabric.h"
#include "noc/fabric/noc_fanout.h"
#include "sim/core/error.h"
#include "sim/top/noc_binding.h"

namespace cyclops::top {

using noc::topology::DataType;
using noc::topology::NodeId;
using noc::topology::NodeKind;
using noc::topology::Topology;

namespace {

// One router's setting for one data type, from what its out port reaches in the planned routes; a router
// serving several groups takes the widest setting any of them needs.
enum RouterMode { kUnicast, kHorizontal, kVertical, kBroadcast, kRouterModes };
constexpr const char* kRouterModeNames[] = {"unicast", "horizontal multicast", "vertical multicast",
                                            "broadcast"};

}  // namespace

struct NocHardware::Impl {
  const spec::NocSpec& spec;
  const spec::Architecture& architecture;
  Topology topology;
  NocBinding binding;
  noc::LinkFabric fabric;
  std::vector<std::unique_ptr<noc::NocFanout>> channels;  // per storage level
  // Routes planned so far, by (data type, its value bits, destinations or sources, source or destination):
  // a layer shape seen before costs a lookup. A node-based map, so the routes the channels point to never
  // move.
  using RouteKey = std::tuple<int, int, std::vector<NodeId>, NodeId>;
  std::map<RouteKey, noc::FabricRoute> fills, reductions;
  const noc::FabricRoute empty;

  Impl(const spec::NocSpec& s, const spec::Architecture& a,
       const std::map<std::string, spec::NocParamValue>& overrides)
      : spec(s),
        architecture(a),
        topology(BuildNocTopology(s, overrides)),
        binding(topology, s, a),
        fabric(topology, {16, 16, 16}) {
    for (size_t level = 0; level < a.storage.size(); ++level)
      channels.push_back(std::make_unique<noc::NocFanout>(fabric, s.topology));
  }

  // The running layer's graph searches, one per (root, data type, direction), each reaching every node any
  // of the layer's routes from or into that root needs: one search serves all the multicast groups of a
  // root (a 16,384-PE array's weights come from one off-chip port to 1,024 groups).
  // A search is kept only while routes still need it (one per node would not fit a 16,384-PE array).
  using SearchKey = std::tuple<NodeId, int, bool>;
  struct Reach {
    std::vector<NodeId> nodes;  // sorted
    int routes = 0;             // routes still to plan from it
  };
  std::map<SearchKey, Reach> reach;
  std::map<SearchKey, Topology::RouteSearch> searches;

  // The shared search for `root` if it reaches every node of `nodes` and serves several routes, else null.
  // Counts the route as planned.
  std::optional<Topology::RouteSearch> SharedSearch(NodeId root, DataType type, bool into,
                                                    const std::vector<NodeId>& nodes) {
    const SearchKey key{root, static_cast<int>(type), into};
    auto it = reach.find(key);
    if (it == reach.end() || (it->second.routes < 2 && !searches.count(key))) return std::nullopt;
    for (NodeId node : nodes)
      if (!std::binary_search(it->second.nodes.begin(), it->second.nodes.end(), node)) return std::nullopt;
    auto search = searches.find(key);
    if (search == searches.end())
      search = searches.emplace(key, topology.Search(root, type, into, it->second.nodes)).first;
    if (--it->second.routes > 0) return search->second;
    std::optional<Topology::RouteSearch> last = std::move(search->second);
    searches.erase(search);
    return last;
  }

  const noc::FabricRoute& Fill(NodeId source, const std::vector<NodeId>& children, DataType type) {
    RouteKey key{static_cast<int>(type), fabric.value_bits()[static_cast<int>(type)], children, source};
    auto it = fills.find(key);
    if (it == fills.end()) {
      const std::optional<Topology::RouteSearch> shared = SharedSearch(source, type, false, children);
      noc::FabricRoute route = shared ? fabric.Plan(*shared, children) : fabric.Plan(source, children, type);
      it = fills.emplace(std::move(key), std::move(route)).first;
    }
    return it->second;
  }
  const noc::FabricRoute& Reduction(const std::vector<NodeId>& children, NodeId destination, DataType type) {
    RouteKey key{static_cast<int>(type), fabric.value_bits()[static_cast<int>(type)], children, destination};
    auto it = reductions.find(key);
    if (it == reductions.end()) {
      const std::optional<Topology::RouteSearch> shared = SharedSearch(destination, type, true, children);
      noc::FabricRoute route = shared ? fabric.PlanReduction(*shared, children)
                                      : fabric.PlanReduction(children, destination, type);
      it = reductions.emplace(std::move(key), std::move(route)).first;
    }
    return it->second;
  }
};

NocHardware::NocHardware(const spec::NocSpec& spec, const spec::Architecture& architecture,
                         const std::map<std::string, spec::NocParamValue>& overrides)
    : impl_(std::make_unique<Impl>(spec, architecture, overrides)) {}

NocHardware::~NocHardware() = default;

const std::string& NocHardware::topology_name() const {
  return impl_->spec.topology;
}

uint64_t NocHardware::value_hops() const {
  return impl_->fabric.value_hops();
}

noc::NocFanout& NocHardware::Channel(int level) {
  return *impl_->channels.at(static_cast<size_t>(level));
}

void NocHardware::LoadLayer(const spec::Workload& workload, const mapping::LayerProgram& layer) {
  Impl& impl = *impl_;
  impl.fabric.ResetLayer(NocValueBits(impl.architecture, workload, layer.chains));
  mode_lines_ = impl.binding.CheckModes(workload, layer);
  router_modes_.clear();
  const size_t data_spaces = layer.data_spaces.size();
  std::vector<std::vector<noc::NocFanout::Routes>> per_level(
      impl.architecture.storage.size(), std::vector<noc::NocFanout::Routes>(data_spaces));
  // Where every group's values come from and go to; what each root's one search must reach.
  struct Ends {
    std::vector<NodeId> sources, children;
  };
  std::vector<std::vector<Ends>> ends(layer.transfers.size());
  impl.reach.clear();
  impl.searches.clear();
  for (size_t t = 0; t < layer.transfers.size(); ++t) {
    const mapping::TransferProgram& transfer = layer.transfers[t];
    const DataType type = NocDataType(workload, *impl.architecture.noc, transfer.data_space);
    const std::string& space = workload.data_spaces[transfer.data_space].name;
    for (size_t g = 0; g < transfer.groups.size(); ++g) {
      const mapping::TransferGroup& group = transfer.groups[g];
      Ends end{impl.binding.Endpoints(transfer.parent, group.parent, type, static_cast<int>(g), space), {}};
      for (int64_t child : group.children)
        end.children.push_back(
            impl.binding.Endpoints(transfer.level, child, type, static_cast<int>(g), space).front());
      for (bool into : {false, true}) {
        if (into && !transfer.read_write) continue;
        Impl::Reach& wanted = impl.reach[{end.sources.front(), static_cast<int>(type), into}];
        wanted.nodes.insert(wanted.nodes.end(), end.children.begin(), end.children.end());
        ++wanted.routes;
      }
      ends[t].push_back(std::move(end));
    }
  }
  for (auto& [key, wanted] : impl.reach) {
    std::sort(wanted.nodes.begin(), wanted.nodes.end());
    wanted.nodes.erase(std::unique(wanted.nodes.begin(), wanted.nodes.end()), wanted.nodes.end());
  }
  for (size_t t = 0; t < layer.transfers.size(); ++t) {
    const mapping::TransferProgram& transfer = layer.transfers[t];
    const int d = transfer.data_space, level = transfer.level, parent = transfer.parent;
    const DataType type = NocDataType(workload, *impl.architecture.noc, d);
    const std::string& space = workload.data_spaces[d].name;
    const bool read_write = transfer.read_write;
    noc::NocFanout::Routes& routes = per_level[level][d];
    for (size_t g = 0; g < transfer.groups.size(); ++g) {
      const std::vector<NodeId>& sources = ends[t][g].sources;
      const std::vector<NodeId>& children = ends[t][g].children;
      std::string first_error;
      bool planned = false;
      for (NodeId source : sources) {
        try {
          std::string missing;
          const noc::FabricRoute* fill = &impl.empty;
          try {
            fill = &impl.Fill(source, children, type);
          } catch (const std::invalid_argument& error) {
            // Psums only come back down when a mapping reads partial sums back; most never do.
            if (!read_write) throw;
            missing = std::string(error.what()) + ": this mapping reads partial " + space + " back into " +
                      impl.architecture.storage[level].name + "; keep the reduction below it";
          }
          const noc::FabricRoute* write_back =
              read_write ? &impl.Reduction(children, source, type) : &impl.empty;
          if (impl.binding.AtPe(level)) NoteRouterModes(d, *fill);
          routes.fills.push_back(fill);
          routes.write_backs.push_back(write_back);
          routes.missing_fill.push_back(std::move(missing));
          planned = true;
          break;
        } catch (const std::invalid_argument& error) {
          if (first_error.empty()) first_error = error.what();
        }
      }
      if (!planned)
        throw SpecError(impl.spec.where,
                        first_error + " (" + space + " between " + impl.architecture.storage[parent].name +
                            " and " + impl.architecture.storage[level].name + ")",
                        "a topology with links carrying " + std::string(noc::topology::ToString(type)) +
                            " between those nodes, or a mapping that keeps " + space + " elsewhere");
    }
  }
  for (size_t level = 0; level < per_level.size(); ++level)
    impl.channels[level]->Load(std::move(per_level[level]));
}

void NocHardware::NoteRouterModes(int d, const noc::FabricRoute& route) {
  const Topology& topology = impl_->topology;
  for (const noc::FabricRoute::Step& step : route.steps) {
    const auto& from = topology.node(topology.link(step.links.front()).from);
    if (from.kind != NodeKind::kRouter) continue;
    const size_t port_links = std::count_if(
        topology.OutLinks(from.id).begin(), topology.OutLinks(from.id).end(),
        [&](int id) { return topology.link(id).from_port == topology.link(step.links.front()).from_port; });
    int mode = kUnicast;
    if (step.links.size() > 1) {
      bool same_row = true, same_column = true;
      const auto& first = topology.node(topology.link(step.links.front()).to);
      for (int id : step.links) {
        const auto& to = topology.node(topology.link(id).to);
        same_row = same_row && to.cluster == first.cluster && to.local.y == first.local.y;
        same_column = same_column && to.cluster == first.cluster && to.local.x == first.local.x;
      }
      mode = step.links.size() == port_links ? kBroadcast
             : same_row                      ? kHorizontal
             : same_column                   ? kVertical
                                             : kBroadcast;
    }
    int& seen = router_modes_[d][from.id];
    seen = std::max(seen, mode);
  }
}

std::vector<std::string> NocHardware::ModeLines() const {
  std::vector<std::string> lines;
  for (const auto& [d, line] : mode_lines_) {
    std::string text = line;
    auto routers = router_modes_.find(d);
    if (routers != router_modes_.end() && !routers->second.empty()) {
      int count[kRouterModes] = {};
      for (const auto& [router, mode] : routers->second) ++count[mode];
      std::string parts;
      for (int mode = 0; mode < kRouterModes; ++mode)
        if (count[mode] > 0)
          parts += (parts.empty() ? "" : ", ") + std::to_string(count[mode]) + " " + kRouterModeNames[mode];
      text += "; routers: " + parts;
    }
    lines.push_back(text);
  }
  return lines;
}

void NocHardware::SetTrace(trace::TraceRecorder* recorder, const std::string& prefix) {
  impl_->fabric.SetTrace(recorder, prefix);
}

void NocHardware::FileStats(stats::StatsTree& tree, const std::string& prefix, uint64_t total_cycles) const {
  impl_->fabric.FileStats(tree, prefix, total_cycles);
}

std::vector<NocHardware::Bottleneck> NocHardware::Bottlenecks(size_t count) const {
  const noc::LinkFabric& fabric = impl_->fabric;
  std::vector<Bottleneck> all;
  for (int c = 0; c < fabric.channels(); ++c)
    if (fabric.ChannelStallCycles(c) > 0 || fabric.ChannelBusyCycles(c) > 0)
      all.push_back({fabric.ChannelName(c), fabric.ChannelStallCycles(c), fabric.ChannelBusyCycles(c)});
  std::stable_sort(all.begin(), all.end(), [](const Bottleneck& a, const Bottleneck& b) {
    return a.stall_cycles != b.stall_cycles ? a.stall_cycles > b.stall_cycles : a.busy_cycles > b.busy_cycles;
  });
  if (all.size() > count) all.resize(count);
  return all;
}

std::string NocHardware::ToJson(uint64_t total_cycles) const {
  const Topology& topology = impl_->topology;
  const noc::LinkFabric& fabric = impl_->fabric;
  nlohmann::ordered_json root;
  root["topology"] = impl_->spec.topology;
  root["cycles"] = total_cycles;
  root["pe_columns_per_cluster"] = impl_->binding.pe_columns_per_cluster();
  root["pe_rows_per_cluster"] = impl_->binding.pe_rows_per_cluster();
  nlohmann::ordered_json nodes = nlohmann::ordered_json::array();
  for (const auto& node : topology.nodes())
    nodes.push_back({{"id", node.id},
                     {"name", node.name},
                     {"kind", std::string(noc::topology::ToString(node.kind))},
                     {"data_types", noc::topology::ToString(node.data_types)},
                     {"cluster", {node.cluster.x, node.cluster.y}},
                     {"local", {node.local.x, node.local.y}}});
  root["nodes"] = std::move(nodes);
  nlohmann::ordered_json links = nlohmann::ordered_json::array();
  const auto& link_counters = fabric.link_counters();
  for (const auto& link : topology.links()) {
    const auto& counters = link_counters[link.id];
    links.push_back({{"id", link.id},
                     {"from", link.from},
                     {"to", link.to},
                     {"data_types", noc::topology::ToString(link.data_types)},
                     {"width_bits", link.width_bits},
                     {"values", counters.values},
                     {"flits", counters.flits},
                     {"busy_cycles", counters.busy_cycles},
                     {"stall_cycles", counters.stall_cycles},
                     {"utilisation", total_cycles == 0 ? 0.0
                                                       : static_cast<double>(counters.busy_cycles) /
                                                             static_cast<double>(total_cycles)}});
  }
  root["links"] = std::move(links);
  return root.dump(1) + "\n";
}

}  // namespace cyclops::top
