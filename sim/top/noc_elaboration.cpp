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
#include "noc/topology/topology_builder.h"
#include "sim/core/error.h"

namespace cyclops::top {

using noc::topology::DataType;
using noc::topology::NodeId;
using noc::topology::NodeKind;
using noc::topology::Topology;

namespace {

// Which network a data space travels on: by its name where it says, else by its role in the MAC.
DataType TypeOf(const spec::Workload& workload, int d) {
  if (workload.data_spaces[d].read_write) return DataType::kPsum;
  std::string name = workload.data_spaces[d].name;
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
  if (name.find("weight") != std::string::npos || name.find("filter") != std::string::npos)
    return DataType::kWeight;
  if (name.find("input") != std::string::npos || name.find("ifmap") != std::string::npos ||
      name.find("act") != std::string::npos)
    return DataType::kIact;
  // Timeloop's problems list the weights first.
  for (int other = 0; other < d; ++other)
    if (!workload.data_spaces[other].read_write) return DataType::kIact;
  return DataType::kWeight;
}

noc::topology::TopologyParams ToParams(const spec::NocSpec& spec,
                                       const std::map<std::string, spec::NocParamValue>& overrides) {
  noc::topology::TopologyParams params;
  auto put = [&](const std::string& name, const spec::NocParamValue& value) {
    std::visit([&](const auto& v) { params.values[name] = v; }, value);
  };
  for (const auto& [name, value] : spec.params) put(name, value);
  for (const auto& [name, value] : overrides) put(name, value);
  if (spec.topology != "custom") return params;
  noc::topology::CustomTopologySpec custom;
  for (const spec::NocNodeSpec& node : spec.nodes) {
    noc::topology::CustomNodeSpec out;
    out.name = node.name;
    const auto kind = noc::topology::ParseNodeKind(node.kind);
    if (!kind)
      throw SpecError(node.where, "unknown node kind '" + node.kind + "'",
                      "router, bus, glb_bank, offchip_port, pe");
    out.kind = *kind;
    if (!node.data_types.empty()) {
      const auto types = noc::topology::ParseDataTypeSet(node.data_types);
      if (!types)
        throw SpecError(node.where, "unknown data types '" + node.data_types + "'",
                        "a comma-separated list of iact, weight, psum");
      out.data_types = *types;
    }
    out.cluster = {static_cast<int>(node.cluster_x), static_cast<int>(node.cluster_y)};
    out.local = {static_cast<int>(node.local_x), static_cast<int>(node.local_y)};
    out.in_ports = static_cast<int>(node.in_ports);
    out.out_ports = static_cast<int>(node.out_ports);
    custom.nodes.push_back(out);
  }
  for (const spec::NocLinkSpec& link : spec.links) {
    noc::topology::CustomLinkSpec out;
    out.from = link.from;
    out.to = link.to;
    if (!link.data_types.empty()) {
      const auto types = noc::topology::ParseDataTypeSet(link.data_types);
      if (!types)
        throw SpecError(link.where, "unknown data types '" + link.data_types + "'",
                        "a comma-separated list of iact, weight, psum");
      out.data_types = *types;
    }
    out.width_bits = static_cast<int>(link.width_bits);
    out.latency_cycles = static_cast<int>(link.latency_cycles);
    if (link.buffer_depth) out.buffer_depth = static_cast<int>(*link.buffer_depth);
    if (link.from_port) out.from_port = static_cast<int>(*link.from_port);
    if (link.to_port) out.to_port = static_cast<int>(*link.to_port);
    custom.links.push_back(out);
  }
  params.custom = std::move(custom);
  return params;
}

// A builder's error names the parameter but not where it was written; the spec knows.
Topology Build(const spec::NocSpec& spec, const noc::topology::TopologyParams& params) {
  try {
    return noc::topology::BuildTopology(spec.topology, params);
  } catch (const SpecError& error) {
    auto it = spec.param_where.find(error.where().key_path);
    SourceLocation where = it != spec.param_where.end() ? it->second : spec.topology_where;
    where.key_path = "architecture.noc" +
                     (error.where().key_path.empty() ? std::string() : ".params." + error.where().key_path);
    throw SpecError(where, error.problem(), error.valid());
  } catch (const std::invalid_argument& error) {  // a custom topology that does not hold together
    throw SpecError(spec.where, error.what(), "nodes with unique names and links between them");
  }
}

// A multicast group's shape in the mesh, as the HM-NoC router modes name it.
std::string ModeOf(const std::vector<mapping::ChildGroup>& groups, const mapping::LayerPlan& plan,
                   int level) {
  bool all_single = true, contiguous = true;
  for (const mapping::ChildGroup& group : groups) {
    if (group.children.size() > 1) all_single = false;
    int64_t low_x = INT64_MAX, low_y = INT64_MAX, high_x = INT64_MIN, high_y = INT64_MIN;
    for (int64_t child : group.children) {
      const auto at = plan.PositionInMesh(level, child);
      low_x = std::min(low_x, at.x), high_x = std::max(high_x, at.x);
      low_y = std::min(low_y, at.y), high_y = std::max(high_y, at.y);
    }
    if ((high_x - low_x + 1) * (high_y - low_y + 1) != static_cast<int64_t>(group.children.size()))
      contiguous = false;
  }
  if (all_single) return "unicast";
  if (groups.size() == 1) return "broadcast";
  return contiguous ? "grouped_multicast" : "interleaved_multicast";
}

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
  std::unique_ptr<noc::LinkFabric> fabric;
  int pe_columns_per_cluster = 1, pe_rows_per_cluster = 1;
  std::map<std::pair<int64_t, int64_t>, NodeId> pe_at;                // mesh position → PE node
  std::map<std::tuple<int, int, int>, std::vector<NodeId>> banks_at;  // (type, x, y) → GLB banks
  std::map<int, NodeId> offchip;                                      // type → off-chip port
  std::map<std::pair<int, int>, std::string> mode_of;                 // (d, level) → mode

  Impl(const spec::NocSpec& s, const mapping::LayerPlan& p,
       const std::map<std::string, spec::NocParamValue>& overrides)
      : spec(s), plan(p), topology(Build(s, ToParams(s, overrides))) {
    for (const auto& node : topology.nodes())
      if (node.kind == NodeKind::kPe) {
        pe_columns_per_cluster = std::max(pe_columns_per_cluster, node.local.x + 1);
        pe_rows_per_cluster = std::max(pe_rows_per_cluster, node.local.y + 1);
      }
    int64_t pes = 0, max_x = 0, max_y = 0;
    for (const auto& node : topology.nodes()) {
      if (node.kind == NodeKind::kPe) {
        const int64_t x = int64_t{node.cluster.x} * pe_columns_per_cluster + node.local.x;
        const int64_t y = int64_t{node.cluster.y} * pe_rows_per_cluster + node.local.y;
        pe_at[{x, y}] = node.id;
        ++pes, max_x = std::max(max_x, x + 1), max_y = std::max(max_y, y + 1);
      } else if (node.kind == NodeKind::kGlbBank) {
        for (DataType type : noc::topology::kAllDataTypes)
          if (node.data_types.Has(type))
            banks_at[{static_cast<int>(type), node.cluster.x, node.cluster.y}].push_back(node.id);
      } else if (node.kind == NodeKind::kOffchipPort) {
        for (DataType type : noc::topology::kAllDataTypes)
          if (node.data_types.Has(type)) offchip.emplace(static_cast<int>(type), node.id);
      }
    }
    const spec::ArithmeticSpec& macs = plan.architecture().arithmetic;
    if (max_x != macs.mesh_x || max_y != macs.mesh_y || pes != macs.instances)
      throw SpecError(spec.where,
                      "the '" + spec.topology + "' network has " + std::to_string(pes) + " PEs in " +
                          std::to_string(max_x) + " columns × " + std::to_string(max_y) +
                          " rows, but the architecture has " + std::to_string(macs.instances) + " MACs in " +
                          std::to_string(macs.mesh_x) + " × " + std::to_string(macs.mesh_y),
                      "topology params giving the architecture's PE array (meshX × meshY of the MACs)");
    std::array<int, 3> bits{16, 16, 16};
    for (int d = 0; d < plan.num_data_spaces(); ++d) {
      const int innermost = plan.Chain(d).front();
      bits[static_cast<int>(TypeOf(plan.workload(), d))] =
          static_cast<int>(std::max<int64_t>(plan.architecture().storage[innermost].word_bits, 1));
    }
    fabric = std::make_unique<noc::LinkFabric>(topology, bits);
  }

  bool AtPe(int level) const {
    return level < 0 ||
           plan.architecture().storage[level].instances == plan.architecture().arithmetic.instances;
  }

  // The nodes an instance may use, preferred first: the off-chip port, the PE, or its cluster's GLB banks
  // starting with bank `group` mod banks (groups take the banks in turn; a bank that cannot reach the
  // group — a psum bank serves one PE column — is passed over by the caller).
  std::vector<NodeId> Endpoints(int level, int64_t instance, DataType type, int group,
                                const std::string& space) const {
    const spec::Architecture& arch = plan.architecture();
    const std::string& level_name = arch.storage[level].name;
    const std::string type_name(noc::topology::ToString(type));
    if (level == static_cast<int>(arch.storage.size()) - 1) {
      auto it = offchip.find(static_cast<int>(type));
      if (it == offchip.end())
        throw SpecError(spec.where,
                        "the '" + spec.topology + "' network has no off-chip port for " + type_name + " (" +
                            space + " from " + level_name + ")",
                        "a topology with an offchip_port node carrying " + type_name);
      return {it->second};
    }
    const auto at = plan.PositionInMesh(level, instance);
    if (AtPe(level)) return {pe_at.at({at.x, at.y})};  // the mesh sizes were checked to match
    auto it = banks_at.find({static_cast<int>(type), static_cast<int>(at.x), static_cast<int>(at.y)});
    // A topology with its GLB in one place (Eyeriss v1's) serves every instance from there.
    if (it == banks_at.end()) {
      auto central = banks_at.end();
      int clusters = 0;
      for (auto b = banks_at.begin(); b != banks_at.end(); ++b)
        if (std::get<0>(b->first) == static_cast<int>(type)) central = b, ++clusters;
      if (clusters == 1) it = central;
    }
    if (it == banks_at.end())
      throw SpecError(
          spec.where,
          "the '" + spec.topology + "' network has no GLB bank for " + type_name + " in cluster (" +
              std::to_string(at.x) + ", " + std::to_string(at.y) + ") where " + level_name + " instance " +
              std::to_string(instance) + " sits (" + space + ")",
          "a topology with one glb_bank cluster per instance of " + level_name + ", or one central GLB");
    std::vector<NodeId> banks = it->second;
    std::rotate(banks.begin(), banks.begin() + static_cast<size_t>(group) % banks.size(), banks.end());
    return banks;
  }
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
    : impl_(std::make_unique<Impl>(spec, plan, overrides)) {
  const spec::Workload& workload = plan.workload();
  for (const auto& [space, mode] : spec.modes)
    if (workload.DataSpaceIndex(space) < 0) {
      std::vector<std::string> names;
      for (const auto& data_space : workload.data_spaces) names.push_back(data_space.name);
      std::string valid;
      for (const auto& name : names) valid += (valid.empty() ? "" : ", ") + name;
      throw SpecError(mode.second, "unknown data space '" + space + "' in noc.modes", valid);
    }
  // The router configuration each data space needs where it enters the PEs.
  for (int d = 0; d < plan.num_data_spaces(); ++d) {
    const int level = plan.Chain(d).front();
    if (plan.Parent(d, level) < 0 || !impl_->AtPe(level)) continue;
    const std::string needed = ModeOf(plan.Groups(d, level), plan, level);
    const std::string& name = workload.data_spaces[d].name;
    auto written = spec.modes.find(name);
    if (written != spec.modes.end() && written->second.first != needed)
      throw SpecError(written->second.second,
                      "the mapping sends " + name + " to the PEs as " + needed +
                          ", but the network is set to " + written->second.first,
                      "mode " + needed + " for " + name + " (or no mode: it is derived from the mapping)");
    mode_lines_.emplace_back(d, name + " (" + std::string(noc::topology::ToString(TypeOf(workload, d))) +
                                    "): " + needed +
                                    (written != spec.modes.end() ? " (as configured)" : " (derived)"));
  }
}

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
  const DataType type = TypeOf(plan.workload(), d);
  const std::string& space = plan.workload().data_spaces[d].name;
  std::vector<noc::FabricRoute> fills, write_backs;
  std::vector<std::string> missing_fill;
  const bool read_write = plan.workload().data_spaces[d].read_write;
  const std::vector<mapping::ChildGroup> groups = plan.Groups(d, level);
  for (size_t g = 0; g < groups.size(); ++g) {
    const mapping::ChildGroup& group = groups[g];
    const std::vector<NodeId> sources =
        impl_->Endpoints(parent, group.parent, type, static_cast<int>(g), space);
    std::vector<NodeId> children;
    for (int64_t child : group.children)
      children.push_back(impl_->Endpoints(level, child, type, static_cast<int>(g), space).front());
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
        if (impl_->AtPe(level)) NoteRouterModes(d, fill);
        if (!missing.empty()) missing_fills_.emplace_back(level, missing);
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

void NocElaboration::CheckRoutes(const std::function<int64_t(int level)>& fills_of_result) {
  const mapping::LayerPlan& plan = impl_->plan;
  const int top = static_cast<int>(plan.architecture().storage.size()) - 1;
  for (int d = 0; d < plan.num_data_spaces(); ++d)
    for (int level : plan.Chain(d))
      if (level != top) MakeFanout(d, level);
  for (const auto& [level, why] : missing_fills_)
    if (fills_of_result(level) > 0) throw SpecError(impl_->spec.where, why);
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
  root["pe_columns_per_cluster"] = impl_->pe_columns_per_cluster;
  root["pe_rows_per_cluster"] = impl_->pe_rows_per_cluster;
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
