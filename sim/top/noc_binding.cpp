#include "sim/top/noc_binding.h"

#include <algorithm>
#include <cctype>
#include <climits>
#include <stdexcept>
#include <variant>

#include "noc/topology/topology_builder.h"
#include "sim/core/error.h"

namespace cyclops::top {

using noc::topology::DataType;
using noc::topology::NodeId;
using noc::topology::NodeKind;
using noc::topology::Topology;

// Which network a data space travels on: by its name where it says, else by its role in the MAC.
DataType NocDataType(const spec::Workload& workload, int d) {
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

namespace {

// "iact,psum" as written on a custom node or link.
noc::topology::DataTypeSet DataTypesOf(const std::string& text, const SourceLocation& where) {
  const auto types = noc::topology::ParseDataTypeSet(text);
  if (!types)
    throw SpecError(where, "unknown data types '" + text + "'",
                    "a comma-separated list of iact, weight, psum");
  return *types;
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
    if (!node.data_types.empty()) out.data_types = DataTypesOf(node.data_types, node.where);
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
    if (!link.data_types.empty()) out.data_types = DataTypesOf(link.data_types, link.where);
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

// A builder's error names the parameter but not where it was written: the spec (or the command line, for
// an override) knows.
Topology BuildFromParams(const spec::NocSpec& spec, const noc::topology::TopologyParams& params,
                         const std::map<std::string, spec::NocParamValue>& overrides) {
  try {
    return noc::topology::BuildTopology(spec.topology, params);
  } catch (const SpecError& error) {
    const std::string& name = error.where().key_path;
    if (overrides.count(name))
      throw SpecError({"", 0, 0, "--noc-param " + name}, error.problem(), error.valid());
    auto it = spec.param_where.find(name);
    SourceLocation where = it != spec.param_where.end() ? it->second : spec.topology_where;
    where.key_path = "architecture.noc" + (name.empty() ? std::string() : ".params." + name);
    throw SpecError(where, error.problem(), error.valid());
  } catch (const std::invalid_argument& error) {  // a custom topology that does not hold together
    throw SpecError(spec.where, error.what(), "nodes with unique names and links between them");
  }
}

// A multicast group's shape in the mesh, as the HM-NoC router modes name it.
std::string ModeOf(const std::vector<mapping::TransferGroup>& groups, const mapping::HardwareLayout& layout,
                   int level) {
  bool all_single = true, contiguous = true;
  for (const mapping::TransferGroup& group : groups) {
    if (group.children.size() > 1) all_single = false;
    int64_t low_x = INT64_MAX, low_y = INT64_MAX, high_x = INT64_MIN, high_y = INT64_MIN;
    for (int64_t child : group.children) {
      const auto at = layout.Point(level, child);
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

}  // namespace

Topology BuildNocTopology(const spec::NocSpec& spec,
                          const std::map<std::string, spec::NocParamValue>& overrides) {
  return BuildFromParams(spec, ToParams(spec, overrides), overrides);
}

NocBinding::NocBinding(const Topology& topology, const spec::NocSpec& spec,
                       const spec::Architecture& architecture)
    : topology_(topology), spec_(spec), architecture_(architecture), layout_(architecture) {
  for (const auto& node : topology_.nodes())
    if (node.kind == NodeKind::kPe) {
      pe_columns_per_cluster_ = std::max(pe_columns_per_cluster_, node.local.x + 1);
      pe_rows_per_cluster_ = std::max(pe_rows_per_cluster_, node.local.y + 1);
    }
  int64_t pes = 0, max_x = 0, max_y = 0;
  for (const auto& node : topology_.nodes()) {
    if (node.kind == NodeKind::kPe) {
      const int64_t x = int64_t{node.cluster.x} * pe_columns_per_cluster_ + node.local.x;
      const int64_t y = int64_t{node.cluster.y} * pe_rows_per_cluster_ + node.local.y;
      pe_at_[{x, y}] = node.id;
      ++pes, max_x = std::max(max_x, x + 1), max_y = std::max(max_y, y + 1);
    } else if (node.kind == NodeKind::kGlbBank) {
      for (DataType type : noc::topology::kAllDataTypes)
        if (node.data_types.Has(type))
          banks_at_[{static_cast<int>(type), node.cluster.x, node.cluster.y}].push_back(node.id);
    } else if (node.kind == NodeKind::kOffchipPort) {
      for (DataType type : noc::topology::kAllDataTypes)
        if (node.data_types.Has(type)) offchip_.emplace(static_cast<int>(type), node.id);
    }
  }
  const spec::ArithmeticSpec& macs = architecture_.arithmetic;
  if (max_x != macs.mesh_x || max_y != macs.mesh_y || pes != macs.instances)
    throw SpecError(spec_.where,
                    "the '" + spec_.topology + "' network has " + std::to_string(pes) + " PEs in " +
                        std::to_string(max_x) + " columns × " + std::to_string(max_y) +
                        " rows, but the architecture has " + std::to_string(macs.instances) + " MACs in " +
                        std::to_string(macs.mesh_x) + " × " + std::to_string(macs.mesh_y),
                    "topology params giving the architecture's PE array (meshX × meshY of the MACs)");
}

std::array<int, 3> NocValueBits(const spec::Architecture& architecture, const spec::Workload& workload,
                                const std::vector<std::vector<int>>& chains) {
  std::array<int, 3> bits{16, 16, 16};
  for (size_t d = 0; d < chains.size(); ++d) {
    const int innermost = chains[d].front();
    bits[static_cast<int>(NocDataType(workload, static_cast<int>(d)))] =
        static_cast<int>(std::max<int64_t>(architecture.storage[innermost].word_bits, 1));
  }
  return bits;
}

bool NocBinding::AtPe(int level) const {
  return level < 0 || architecture_.storage[level].instances == architecture_.arithmetic.instances;
}

// The nodes an instance may use, preferred first: the off-chip port, the PE, or its cluster's GLB banks
// starting with bank `group` mod banks (groups take the banks in turn; a bank that cannot reach the
// group — a psum bank serves one PE column — is passed over by the caller).
std::vector<NodeId> NocBinding::Endpoints(int level, int64_t instance, DataType type, int group,
                                          const std::string& space) const {
  const spec::Architecture& arch = architecture_;
  const std::string& level_name = arch.storage[level].name;
  const std::string type_name(noc::topology::ToString(type));
  if (level == static_cast<int>(arch.storage.size()) - 1) {
    auto it = offchip_.find(static_cast<int>(type));
    if (it == offchip_.end())
      throw SpecError(spec_.where,
                      "the '" + spec_.topology + "' network has no off-chip port for " + type_name + " (" +
                          space + " from " + level_name + ")",
                      "a topology with an offchip_port node carrying " + type_name);
    return {it->second};
  }
  const mapping::MeshPoint at = layout_.Point(level, instance);
  if (AtPe(level)) return {pe_at_.at({at.x, at.y})};  // the mesh sizes were checked to match
  auto it = banks_at_.find({static_cast<int>(type), static_cast<int>(at.x), static_cast<int>(at.y)});
  // A topology with its GLB in one place (Eyeriss v1's) serves every instance from there.
  if (it == banks_at_.end()) {
    auto central = banks_at_.end();
    int clusters = 0;
    for (auto b = banks_at_.begin(); b != banks_at_.end(); ++b)
      if (std::get<0>(b->first) == static_cast<int>(type)) central = b, ++clusters;
    if (clusters == 1) it = central;
  }
  if (it == banks_at_.end())
    throw SpecError(
        spec_.where,
        "the '" + spec_.topology + "' network has no GLB bank for " + type_name + " in cluster (" +
            std::to_string(at.x) + ", " + std::to_string(at.y) + ") where " + level_name + " instance " +
            std::to_string(instance) + " sits (" + space + ")",
        "a topology with one glb_bank cluster per instance of " + level_name + ", or one central GLB");
  std::vector<NodeId> banks = it->second;
  std::rotate(banks.begin(), banks.begin() + static_cast<size_t>(group) % banks.size(), banks.end());
  return banks;
}

std::vector<std::pair<int, std::string>> NocBinding::CheckModes(const spec::Workload& workload,
                                                                const mapping::LayerProgram& layer) const {
  std::vector<EnteringPes> entering;
  for (const mapping::TransferProgram& transfer : layer.transfers)
    if (transfer.innermost && AtPe(transfer.level))
      entering.push_back({transfer.data_space, transfer.level, transfer.groups});
  return CheckModes(workload, entering);
}

std::vector<std::pair<int, std::string>> NocBinding::CheckModes(const spec::Workload& workload,
                                                                const mapping::LayerPlan& plan) const {
  std::vector<EnteringPes> entering;
  for (int d = 0; d < plan.num_data_spaces(); ++d) {
    const int level = plan.Chain(d).front();
    if (plan.Parent(d, level) < 0 || !AtPe(level)) continue;
    EnteringPes groups{d, level, {}};
    for (const mapping::ChildGroup& group : plan.Groups(d, level)) {
      mapping::TransferGroup physical;
      for (int64_t child : group.children) {
        const auto at = plan.PositionInMesh(level, child);
        physical.children.push_back(layout_.Physical(level, {at.x, at.y}));
      }
      groups.groups.push_back(std::move(physical));
    }
    entering.push_back(std::move(groups));
  }
  return CheckModes(workload, entering);
}

std::vector<std::pair<int, std::string>> NocBinding::CheckModes(const spec::Workload& workload,
                                                                const std::vector<EnteringPes>& entering) const {
  for (const auto& [space, mode] : spec_.modes)
    if (workload.DataSpaceIndex(space) < 0) {
      std::string valid;
      for (const auto& data_space : workload.data_spaces)
        valid += (valid.empty() ? "" : ", ") + data_space.name;
      throw SpecError(mode.second, "unknown data space '" + space + "' in noc.modes", valid);
    }
  std::vector<std::pair<int, std::string>> lines;
  for (const EnteringPes& into : entering) {
    const int d = into.data_space;
    const std::string needed = ModeOf(into.groups, layout_, into.level);
    const std::string& name = workload.data_spaces[d].name;
    auto written = spec_.modes.find(name);
    if (written != spec_.modes.end() && written->second.first != needed)
      throw SpecError(written->second.second,
                      "the mapping sends " + name + " to the PEs as " + needed +
                          ", but the network is set to " + written->second.first,
                      "mode " + needed + " for " + name + " (or no mode: it is derived from the mapping)");
    lines.emplace_back(d, name + " (" + std::string(noc::topology::ToString(NocDataType(workload, d))) +
                              "): " + needed +
                              (written != spec_.modes.end() ? " (as configured)" : " (derived)"));
  }
  return lines;
}

const std::vector<char>& NocReachability::Of(NodeId node, DataType type, bool into) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto& slot = reached_[{node, static_cast<int>(type), into}];
  if (!slot) slot = std::make_unique<std::vector<char>>(topology_.Reachable(node, type, into));
  return *slot;
}

void CheckNocRoutes(const NocBinding& binding, const mapping::LayerPlan& plan, const spec::NocSpec& spec,
                    NocReachability& reachability, const std::function<int64_t(int level)>& fills_of_result) {
  const int top = static_cast<int>(plan.architecture().storage.size()) - 1;
  const mapping::HardwareLayout& layout = binding.layout();
  auto physical = [&](int level, int64_t logical) {
    const auto p = plan.PositionInMesh(level, logical);
    return layout.Physical(level, {p.x, p.y});
  };
  for (int d = 0; d < plan.num_data_spaces(); ++d) {
    const DataType type = NocDataType(plan.workload(), d);
    const std::string& space = plan.workload().data_spaces[d].name;
    const bool read_write = plan.workload().data_spaces[d].read_write;
    for (int level : plan.Chain(d)) {
      if (level == top) continue;
      const int parent = plan.Parent(d, level);
      const bool reads_back = read_write && fills_of_result(level) > 0;
      const std::vector<mapping::ChildGroup> groups = plan.Groups(d, level);
      for (size_t g = 0; g < groups.size(); ++g) {
        std::vector<NodeId> children;
        for (int64_t child : groups[g].children)
          children.push_back(
              binding.Endpoints(level, physical(level, child), type, static_cast<int>(g), space).front());
        bool carried = false;
        for (NodeId source : binding.Endpoints(parent, physical(parent, groups[g].parent), type,
                                               static_cast<int>(g), space)) {
          const bool fill = !read_write || reads_back;  // a fill route is needed
          const std::vector<char>* down = fill ? &reachability.Of(source, type, false) : nullptr;
          const std::vector<char>* up = read_write ? &reachability.Of(source, type, true) : nullptr;
          carried = std::all_of(children.begin(), children.end(), [&](NodeId child) {
            return (!down || (*down)[child]) && (!up || (*up)[child]);
          });
          if (carried) break;
        }
        if (!carried)
          throw SpecError(
              spec.where,
              "the '" + spec.topology + "' network cannot carry " +
                  std::string(noc::topology::ToString(type)) + " between " +
                  plan.architecture().storage[parent].name + " and the " + std::to_string(children.size()) +
                  " instance(s) of " + plan.architecture().storage[level].name + " in multicast group " +
                  std::to_string(g) + " (" + space + (read_write ? ", reduced on the way up" : "") + ")",
              "a mapping whose groups the topology connects (e.g. Eyeriss v2 reduces psums only "
              "down a PE column)");
      }
    }
  }
}

}  // namespace cyclops::top
