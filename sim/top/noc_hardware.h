// The architecture's on-chip network (the `noc:` key) in the elaborated accelerator: the topology built
// by name (noc/topology), the one link fabric over it (noc/fabric), the placement of every storage
// instance on its nodes (NocBinding), and a NocFanout channel per storage level. When a layer is loaded it
// plans one route per multicast group and write-back — remembered, so a shape seen before costs a lookup —
// and derives the router configuration the mapping needs (Eyeriss v2's HM-NoC modes), checking it against
// a mode the spec names.
//
// Where an instance sits: the outermost level is the off-chip port of its data type; a level with one
// instance per MAC sits at the PE node in the same mesh position; any other level is a GLB bank of its data
// type in the cluster at its mesh position (a cluster with several banks serves its multicast groups from
// them in turn).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "sim/mapping/layer_plan.h"
#include "sim/mapping/layer_program.h"
#include "sim/spec/specs.h"
#include "sim/stats/stats_tree.h"

namespace cyclops::noc {
class LinkFabric;
class NocFanout;
struct FabricRoute;
}  // namespace cyclops::noc

namespace cyclops::trace {
class TraceRecorder;
}

namespace cyclops::top {

class NocHardware {
 public:
  // SpecError at the `noc:` locations for an unknown builder, bad parameters, or a topology whose PE array
  // does not match the architecture's. `overrides` replace or add builder parameters (`--noc-param`).
  NocHardware(const spec::NocSpec& spec, const spec::Architecture& architecture,
              const std::map<std::string, spec::NocParamValue>& overrides);
  ~NocHardware();

  // The channel carrying every data space into `level` from its parent.
  noc::NocFanout& Channel(int level);
  // A new layer: calendars and counters cleared, the layer's routes planned (or found) and loaded into the
  // channels, router modes derived and checked (SpecError for a mode the mapping cannot use, a data space
  // the topology cannot carry).
  void LoadLayer(const spec::Workload& workload, const mapping::LayerProgram& layer);

  // The loaded layer's link busy intervals go to `recorder` (null: none), tracks named under `prefix`.
  void SetTrace(trace::TraceRecorder* recorder, const std::string& prefix);
  // After the layer: per-link and per-router stats under "<prefix>.links..." / "<prefix>.routers...".
  void FileStats(stats::StatsTree& tree, const std::string& prefix, uint64_t total_cycles) const;
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
  uint64_t value_hops() const;  // values × links crossed, over the layer

 private:
  struct Impl;
  // Records the per-router setting a fill route into the PEs needs (ModeLines).
  void NoteRouterModes(int d, const noc::FabricRoute& route);

  std::unique_ptr<Impl> impl_;
  std::vector<std::pair<int, std::string>> mode_lines_;  // (data space, line)
  std::map<int, std::map<int, int>> router_modes_;       // data space → router node → RouterMode
};

}  // namespace cyclops::top
