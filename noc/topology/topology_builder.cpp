#include "noc/topology/topology_builder.h"

#include "sim/core/error.h"

namespace cyclops::noc::topology {

Topology BuildTopology(const std::string& builder, const TopologyParams& params) {
  std::unique_ptr<TopologyBuilder> maker = TopologyRegistry::Make(builder);
  if (maker == nullptr) {
    std::string known;
    for (const std::string& name : TopologyRegistry::Names()) known += (known.empty() ? "" : ", ") + name;
    throw SpecError({"", 0, 0, "topology"}, "unknown topology builder '" + builder + "'", known);
  }
  return maker->Build(params);
}

}  // namespace cyclops::noc::topology
