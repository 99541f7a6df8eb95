#include "sim/top/noc_bound_model.h"

#include <algorithm>
#include <limits>
#include <mutex>
#include <optional>
#include <set>
#include <tuple>

#include "noc/topology/topology.h"
#include "sim/core/error.h"
#include "sim/mapping/layer_plan.h"
#include "sim/mapping/layer_program.h"
#include "sim/top/noc_binding.h"

namespace cyclops::top {

using noc::topology::DataType;
using noc::topology::LinkId;
using noc::topology::NodeId;

namespace {

// As the link fabric times them (noc/fabric/link_fabric.h): ⌊w / bits⌋ values per cycle; a link narrower
// than a value moves one value per ⌈bits / w⌉ cycles.
double ValuesPerCycle(int width_bits, int value_bits) {
  if (width_bits >= value_bits) return static_cast<double>(width_bits / value_bits);
  return 1.0 / static_cast<double>((value_bits + width_bits - 1) / width_bits);
}

// What decides a mapping's groups: per level what it keeps and its spatial loops with their axes.
std::string ShapeKey(const spec::Mapping& mapping) {
  std::string key;
  for (const spec::LevelMapping& level : mapping.levels) {
    for (bool keep : level.keep) key += keep ? 'k' : '-';
    for (size_t position = 0; position < level.spatial_permutation.size(); ++position) {
      const int d = level.spatial_permutation[position];
      if (level.spatial_factors[d] <= 1) continue;
      key += std::to_string(d) + (static_cast<int>(position) < level.spatial_split ? 'x' : 'y') +
             std::to_string(level.spatial_factors[d]) + ',';
    }
    key += '|';
  }
  return key;
}

// Groups through each out port of one direction of one transfer, and the slowest link each drives.
class PortLoads {
 public:
  void AddTree(const noc::topology::Topology& topology, const std::vector<LinkId>& links, int value_bits) {
    std::set<std::pair<NodeId, int>> ports;  // a group drives each port once, whatever its fan-out
    for (LinkId id : links) {
      const noc::topology::Link& link = topology.link(id);
      Port& port = ports_[{link.from, link.from_port}];
      port.values_per_cycle = std::min(port.values_per_cycle, ValuesPerCycle(link.width_bits, value_bits));
      if (port.width_bits == 0) port.width_bits = link.width_bits, port.first_to = link.to;
      if (ports.insert({link.from, link.from_port}).second) ++port.groups;
    }
  }
  bool empty() const { return ports_.empty(); }
  // max over ports of groups ÷ values per cycle, and that port's name.
  std::pair<double, std::string> Worst(const noc::topology::Topology& topology) const {
    double worst = 0;
    std::string name;
    for (const auto& [at, port] : ports_) {
      const double load = static_cast<double>(port.groups) / port.values_per_cycle;
      if (load <= worst) continue;
      worst = load;
      name = topology.node(at.first).name + ":out" + std::to_string(at.second) + " -> " +
             topology.node(port.first_to).name + " (" + std::to_string(port.width_bits) + " b)";
    }
    return {worst, name};
  }

 private:
  struct Port {
    int64_t groups = 0;
    double values_per_cycle = std::numeric_limits<double>::infinity();
    int width_bits = 0;
    NodeId first_to = 0;
  };
  std::map<std::pair<NodeId, int>, Port> ports_;
};

}  // namespace

NocBoundModel::NocBoundModel(const spec::Architecture& architecture, const spec::Workload& workload,
                             std::map<std::string, spec::NocParamValue> noc_params)
    : architecture_(architecture), workload_(workload) {
  if (!architecture.noc)
    throw SpecError(architecture.where, "the NoC bound needs an architecture with a noc:");
  topology_ = std::make_unique<noc::topology::Topology>(BuildNocTopology(*architecture.noc, noc_params));
  binding_ = std::make_unique<NocBinding>(*topology_, *architecture.noc, architecture);
  searches_ = std::make_unique<RouteSearches>(*topology_);
}

NocBoundModel::~NocBoundModel() = default;

analysis::NocLinks NocBoundModel::Links(const spec::Mapping& mapping) {
  const std::string key = ShapeKey(mapping);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = memo_.find(key);
    if (it != memo_.end()) return it->second;
  }
  analysis::NocLinks links = Compute(mapping);  // outside the lock; the same key gives the same links
  std::lock_guard<std::mutex> lock(mutex_);
  return memo_.emplace(key, std::move(links)).first->second;
}

void NocBoundModel::Apply(const spec::Mapping& mapping, analysis::AnalysisResult& result) {
  analysis::ApplyNocBound(Links(mapping), architecture_, workload_, result);
}

namespace {

// The trees a source serves, from one search: the union of shortest paths from one source (or into one
// destination) is a tree, so each node's link towards or from the source is unique, and a group's tree is
// the paths of its members. Kept compact (only the paths to the nodes searched for), so a 16,384-PE
// array's thousands of roots each hold a small tree, not a link per node.
class SourceTrees {
 public:
  SourceTrees(const noc::topology::Topology& topology, NodeId source, const std::vector<NodeId>& members,
              DataType type, bool reduction)
      : topology_(topology), source_(source), reduction_(reduction) {
    const noc::topology::MulticastTree tree =
        reduction ? topology.Reduction(members, source, type) : topology.Multicast(source, members, type);
    unreachable_.insert(tree.unreachable.begin(), tree.unreachable.end());
    for (LinkId id : tree.links) step_[reduction ? topology.link(id).from : topology.link(id).to] = id;
  }
  // For members among the nodes it was built for.
  bool Reaches(const std::vector<NodeId>& members) const {
    for (NodeId member : members)
      if (unreachable_.count(member)) return false;
    return true;
  }
  // The links of the group's tree (each once).
  std::vector<LinkId> Links(const std::vector<NodeId>& members) const {
    std::set<LinkId> links;
    for (NodeId at : members) {
      while (at != source_) {
        auto it = step_.find(at);
        if (it == step_.end() || !links.insert(it->second).second) break;  // joined the tree already
        at = reduction_ ? topology_.link(it->second).to : topology_.link(it->second).from;
      }
    }
    return {links.begin(), links.end()};
  }

 private:
  const noc::topology::Topology& topology_;
  NodeId source_;
  bool reduction_;
  std::set<NodeId> unreachable_;
  std::map<NodeId, LinkId> step_;  // per node: the link towards it (fill) or away from it (reduction)
};

}  // namespace

// Each root's trees, shared by every candidate of a search: built for the nodes asked for so far and
// rebuilt, over their union, when a candidate asks for a node not yet among them. A search that settled a
// node gives it the route a search of its own would (topology.h), so the trees are the ones a search per
// group builds. Thread-safe; a tree handed out stays valid while a rebuilt one replaces it.
class NocBoundModel::RouteSearches {
 public:
  explicit RouteSearches(const noc::topology::Topology& topology) : topology_(topology) {}
  std::shared_ptr<const SourceTrees> For(NodeId root, DataType type, bool into,
                                         const std::vector<NodeId>& members) {
    std::lock_guard<std::mutex> lock(mutex_);
    Entry& entry = entries_[{root, static_cast<int>(type), into}];
    const bool covered = std::all_of(members.begin(), members.end(), [&](NodeId node) {
      return std::binary_search(entry.reach.begin(), entry.reach.end(), node);
    });
    if (entry.trees && covered) return entry.trees;
    std::vector<NodeId> reach = entry.reach;
    reach.insert(reach.end(), members.begin(), members.end());
    std::sort(reach.begin(), reach.end());
    reach.erase(std::unique(reach.begin(), reach.end()), reach.end());
    entry.trees = std::make_shared<const SourceTrees>(topology_, root, reach, type, into);
    entry.reach = std::move(reach);
    return entry.trees;
  }

 private:
  struct Entry {
    std::vector<NodeId> reach;  // sorted: the nodes the trees were built for
    std::shared_ptr<const SourceTrees> trees;
  };
  const noc::topology::Topology& topology_;
  std::mutex mutex_;
  std::map<std::tuple<NodeId, int, bool>, Entry> entries_;
};

analysis::NocLinks NocBoundModel::Compute(const spec::Mapping& mapping) const {
  analysis::NocLinks links;
  links.topology = architecture_.noc->topology;
  const noc::topology::Topology& topology = *topology_;
  try {
    const mapping::LayerPlan plan(architecture_, workload_, mapping);
    const mapping::LayerProgram layer = mapping::CompileTransfers(plan, binding_->layout());
    const std::array<int, 3> bits = NocValueBits(architecture_, workload_, layer.chains);
    for (const mapping::TransferProgram& transfer : layer.transfers) {
      const int d = transfer.data_space;
      const DataType type = NocDataType(workload_, *architecture_.noc, d);
      const std::string& space = workload_.data_spaces[d].name;
      const int value_bits = bits[static_cast<int>(type)];
      // Per group: its source candidates (preferred first) and its members away from the preferred one.
      struct Group {
        std::vector<NodeId> sources, members;
      };
      std::vector<Group> groups(transfer.groups.size());
      std::map<NodeId, std::vector<NodeId>> by_source;  // preferred source → all its groups' members
      for (size_t g = 0; g < groups.size(); ++g) {
        const mapping::TransferGroup& group = transfer.groups[g];
        groups[g].sources =
            binding_->Endpoints(transfer.parent, group.parent, type, static_cast<int>(g), space);
        for (int64_t child : group.children) {
          const NodeId node =
              binding_->Endpoints(transfer.level, child, type, static_cast<int>(g), space).front();
          groups[g].members.push_back(node);
          if (node != groups[g].sources.front()) by_source[groups[g].sources.front()].push_back(node);
        }
      }
      std::map<NodeId, std::shared_ptr<const SourceTrees>> fills, backs;
      for (const auto& [source, members] : by_source) {
        fills.emplace(source, searches_->For(source, type, false, members));
        if (transfer.read_write) backs.emplace(source, searches_->For(source, type, true, members));
      }
      PortLoads down, up;
      for (const Group& group : groups) {
        // The first source whose trees reach every member, as the engine chooses (noc_hardware.cpp).
        for (NodeId source : group.sources) {
          std::vector<NodeId> away;
          for (NodeId member : group.members)
            if (member != source) away.push_back(member);
          if (away.empty()) break;  // within one node: no network
          // The preferred source's trees serve all its groups; another source's are asked for this group.
          const bool preferred = source == group.sources.front();
          const std::shared_ptr<const SourceTrees> fill =
              preferred ? fills.at(source) : searches_->For(source, type, false, away);
          const bool fill_ok = fill->Reaches(away);
          std::shared_ptr<const SourceTrees> back;
          if (transfer.read_write) {
            back = preferred ? backs.at(source) : searches_->For(source, type, true, away);
            if (!back->Reaches(away)) continue;
          } else if (!fill_ok) {
            continue;
          }
          if (fill_ok) down.AddTree(topology, fill->Links(away), value_bits);
          if (back) up.AddTree(topology, back->Links(away), value_bits);
          break;
        }
      }
      const std::string network(noc::topology::ToString(type));
      const int64_t group_count = static_cast<int64_t>(groups.size());
      for (const auto& [loads, upward] : {std::pair{&down, false}, std::pair{&up, true}}) {
        if (loads->empty()) continue;
        const auto [worst, name] = loads->Worst(topology);
        links.transfers.push_back({transfer.level, d, upward, network, name, group_count, worst});
      }
    }
  } catch (const SpecError&) {
    return analysis::NocLinks{links.topology, {}};
  }
  return links;
}

void AddNocBound(const spec::Architecture& architecture, const spec::Workload& workload,
                 const spec::Mapping& mapping, analysis::AnalysisResult& result, bool use_noc,
                 const std::map<std::string, spec::NocParamValue>& noc_params) {
  if (!use_noc || !architecture.noc) return;
  NocBoundModel model(architecture, workload, noc_params);
  model.Apply(mapping, result);
}

}  // namespace cyclops::top
