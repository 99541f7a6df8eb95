// Puts the architecture's on-chip network (the `noc:` key) under the layer engine: builds the topology by
// name (noc/topology), the link fabric over it (noc/fabric), finds the topology node every storage-level
// instance sits at, plans one route per multicast group and write-back once, and derives the router
// configuration the mapping needs (Eyeriss v2's HM-NoC modes), checking it against a mode the spec names.
//
// Where an instance sits: the outermost level is the off-chip port of its data type; a level with one
// instance per MAC sits at the PE node in the same mesh position (x, y from the mapping's spatial X/Y
// split); any other level is a GLB bank of its data type in the cluster at its mesh position (a cluster with
// several banks serves its multicast groups from them in turn).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "sim/mapping/layer_plan.h"
#include "sim/spec/specs.h"
#include "sim/stats/stats_tree.h"
#include "sim/top/fanout_network.h"

namespace cyclops::noc {
class LinkFabric;
struct FabricRoute;
}  // namespace cyclops::noc

namespace cyclops::top {

class NocElaboration {
 public:
  // SpecError at the `noc:` locations for an unknown builder, bad parameters, a topology whose PE array
  // does not match the architecture's, a data space it cannot carry, or a router mode the mapping cannot use.
  // `overrides` replace or add builder parameters (`cyclops run --noc-param`).
  NocElaboration(const spec::NocSpec& spec, const mapping::LayerPlan& plan,
                 const std::map<std::string, spec::NocParamValue>& overrides);
  ~NocElaboration();

  // The network carrying data space d into `level` from its parent in d's chain.
  std::unique_ptr<FanoutNetwork> MakeFanout(int d, int level);

  // After the run: per-link and per-router stats under "<prefix>.links..." / "<prefix>.routers...".
  void RegisterStats(stats::StatsTree& tree, const std::string& prefix, uint64_t total_cycles);
  // The router configuration per data space entering the PEs, one line each (for the run report): the NoC
  // mode, and how many routers the planned routes set to each per-router mode (unicast, horizontal or
  // vertical multicast, broadcast).
  std::vector<std::string> ModeLines() const;
  // The channels (out ports) that held transfers up longest, most first: (name, stall cycles, busy cycles).
  struct Bottleneck {
    std::string channel;
    uint64_t stall_cycles = 0;
    uint64_t busy_cycles = 0;
  };
  std::vector<Bottleneck> Bottlenecks(size_t count) const;
  // The topology and every link's counters, as JSON text (noc.json: what scripts/plot_noc.py draws).
  std::string ToJson(uint64_t total_cycles) const;
  const std::string& topology_name() const;
  uint64_t value_hops() const;  // values × links crossed, over the run

 private:
  struct Impl;
  // Records the per-router setting a fill route into the PEs needs (ModeLines).
  void NoteRouterModes(int d, const noc::FabricRoute& route);

  std::unique_ptr<Impl> impl_;
  std::vector<std::pair<int, std::string>> mode_lines_;  // (data space, line)
  std::map<int, std::map<int, int>> router_modes_;       // data space → router node → RouterMode
};

}  // namespace cyclops::top
