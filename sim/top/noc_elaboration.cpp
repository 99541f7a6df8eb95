#include "sim/top/noc_elaboration.h"

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

struct NocElaboration::Impl {
  const spec::NocSpec& spec;
  const mapping::LayerPlan& plan;
  Topology topology;
  NocBinding binding;
  std::unique_ptr<noc::LinkFabric> fabric;

  Impl(const spec::NocSpec& s, const mapping::LayerPlan& p,
       const std::map<std::string, spec::NocParamValue>& overrides)
      : spec(s),
        plan(p),
        topology(BuildNocTopology(s, overrides)),
        binding(topology, s, p),
        fabric(std::make_unique<noc::LinkFabric>(topology, binding.ValueBits())) {}
};

namespace {

// A network between one level and its parent, over the topology's links.
class TopologyFanout : public FanoutNetwork {
 public:
  // `missing_fill[g]`: why group g's fill has no route (psums that would have to come back down a
  // network that only carries them up); an error only if such a fill ever moves a value.
  TopologyFanout(noc::LinkFabric& fabric, std::vector<noc::FabricRoute> fills,
                 std::vector<noc::FabricRoute> write_backs, std::vector<std::string> missing_fill)
      : fabric_(fabric),
        fills_(std::move(fills)),
        write_backs_(std::move(write_backs)),
        missing_fill_(std::move(missing_fill)) {}

  models::Cycle Fill(models::Cycle at, int64_t values, int group, models::Cycle accepted_by) override {
    if (values > 0 && !missing_fill_.at(group).empty()) throw SimulationError(missing_fill_[group]);
    return Arrival(
        fabric_.Send(fills_.at(group), static_cast<double>(at), values, static_cast<double>(accepted_by)),
        at);
  }
  models::Cycle WriteBack(models::Cycle at, int64_t values, int group) override {
    return Arrival(fabric_.Send(write_backs_.at(group), static_cast<double>(at), values), at);
  }
  std::string Kind() const override { return "network"; }

 private:
  static models::Cycle Arrival(const noc::FabricDelivery& delivery, models::Cycle at) {
    return std::max(at, static_cast<models::Cycle>(std::ceil(delivery.arrival)));
  }
  noc::LinkFabric& fabric_;
  std::vector<noc::FabricRoute> fills_;
  std::vector<noc::FabricRoute> write_backs_;
  std::vector<std::string> missing_fill_;
};

}  // namespace

NocElaboration::NocElaboration(const spec::NocSpec& spec, const mapping::LayerPlan& plan,
                               const std::map<std::string, spec::NocParamValue>& overrides)
    : impl_(std::make_unique<Impl>(spec, plan, overrides)), mode_lines_(impl_->binding.CheckModes()) {}

NocElaboration::~NocElaboration() = default;

const std::string& NocElaboration::topology_name() const {
  return impl_->spec.topology;
}

uint64_t NocElaboration::value_hops() const {
  return impl_->fabric->value_hops();
}

std::unique_ptr<FanoutNetwork> NocElaboration::MakeFanout(int d, int level) {
  const mapping::LayerPlan& plan = impl_->plan;
  const int parent = plan.Parent(d, level);
  const DataType type = NocDataType(plan.workload(), d);
  const std::string& space = plan.workload().data_spaces[d].name;
  std::vector<noc::FabricRoute> fills, write_backs;
  std::vector<std::string> missing_fill;
  const bool read_write = plan.workload().data_spaces[d].read_write;
  const std::vector<mapping::ChildGroup> groups = plan.Groups(d, level);
  for (size_t g = 0; g < groups.size(); ++g) {
    const mapping::ChildGroup& group = groups[g];
    const std::vector<NodeId> sources =
        impl_->binding.Endpoints(parent, group.parent, type, static_cast<int>(g), space);
    std::vector<NodeId> children;
    for (int64_t child : group.children)
      children.push_back(impl_->binding.Endpoints(level, child, type, static_cast<int>(g), space).front());
    std::string first_error;
    bool planned = false;
    for (NodeId source : sources) {
      try {
        std::string missing;
        noc::FabricRoute fill;
        try {
          fill = impl_->fabric->Plan(source, children, type);
        } catch (const std::invalid_argument& error) {
          // Psums only come back down when a mapping reads partial sums back; most never do.
          if (!read_write) throw;
          missing = std::string(error.what()) + ": this mapping reads partial " + space + " back into " +
                    plan.architecture().storage[level].name + "; keep the reduction below it";
        }
        noc::FabricRoute write_back;
        if (read_write) write_back = impl_->fabric->PlanReduction(children, source, type);
        if (impl_->binding.AtPe(level)) NoteRouterModes(d, fill);
        fills.push_back(std::move(fill));
        write_backs.push_back(std::move(write_back));
        missing_fill.push_back(std::move(missing));
        planned = true;
        break;
      } catch (const std::invalid_argument& error) {
        if (first_error.empty()) first_error = error.what();
      }
    }
    if (!planned)
      throw SpecError(impl_->spec.where,
                      first_error + " (" + space + " between " + plan.architecture().storage[parent].name +
                          " and " + plan.architecture().storage[level].name + ")",
                      "a topology with links carrying " + std::string(noc::topology::ToString(type)) +
                          " between those nodes, or a mapping that keeps " + space + " elsewhere");
  }
  return std::make_unique<TopologyFanout>(*impl_->fabric, std::move(fills), std::move(write_backs),
                                          std::move(missing_fill));
}

void NocElaboration::NoteRouterModes(int d, const noc::FabricRoute& route) {
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

std::vector<std::string> NocElaboration::ModeLines() const {
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

void NocElaboration::RegisterStats(stats::StatsTree& tree, const std::string& prefix, uint64_t total_cycles) {
  impl_->fabric->RegisterStats(tree, prefix, total_cycles);
}

std::vector<NocElaboration::Bottleneck> NocElaboration::Bottlenecks(size_t count) const {
  const noc::LinkFabric& fabric = *impl_->fabric;
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

std::string NocElaboration::ToJson(uint64_t total_cycles) const {
  const Topology& topology = impl_->topology;
  const noc::LinkFabric& fabric = *impl_->fabric;
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
  for (const auto& link : topology.links()) {
    const auto& counters = fabric.link_counters()[link.id];
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
