// Where a layer's storage levels sit on the architecture's NoC topology, shared by the simulation
// (NocElaboration, which plans and times routes) and by the mapper's check (SimulatableCheck, which only
// asks whether routes exist):
//   - the outermost level is the off-chip port of each data type;
//   - a level with one instance per MAC sits on the PE node at its mesh position (the instance's physical
//     place in the accelerator, mapping/hardware_layout.h; clusters tiled by the PEs per cluster);
//   - any other level is a GLB bank of its data type in the cluster at its mesh position (a topology with
//     one central GLB, like Eyeriss v1's, serves every instance), the cluster's banks taking multicast
//     groups in turn.
// Also: building the topology from the spec, which network a data space travels on, the HM-NoC mode each
// data space needs where it enters the PEs (checked against a mode the spec names), and route feasibility.
#pragma once

#include <array>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "noc/topology/topology.h"
#include "sim/mapping/hardware_layout.h"
#include "sim/mapping/layer_plan.h"
#include "sim/mapping/layer_program.h"
#include "sim/spec/specs.h"

namespace cyclops::top {

// The topology the spec names, with `overrides` replacing or adding builder parameters. SpecError at the
// parameter's (or the topology key's) location for an unknown builder or a bad parameter.
noc::topology::Topology BuildNocTopology(const spec::NocSpec& spec,
                                         const std::map<std::string, spec::NocParamValue>& overrides);

// The network a data space travels on: by its name where it says (weights/filters, inputs/ifmaps/
// activations), the read-write one as psums, else by its order (Timeloop lists the weights first).
noc::topology::DataType NocDataType(const spec::Workload& workload, int d);

// Bits of one value per data type (iact, weight, psum) in a layer: the innermost keeping level's word.
std::array<int, 3> NocValueBits(const spec::Architecture& architecture, const spec::Workload& workload,
                                const std::vector<std::vector<int>>& chains);

class NocBinding {
 public:
  // SpecError when the topology's PE array is not the MACs' meshX × meshY.
  NocBinding(const noc::topology::Topology& topology, const spec::NocSpec& spec,
             const spec::Architecture& architecture);

  bool AtPe(int level) const;  // one instance per MAC
  // The nodes an instance (physical index) may use, preferred first: the off-chip port, the PE, or its
  // cluster's GLB banks starting with bank `group` mod banks. SpecError when the topology has no such node.
  std::vector<noc::topology::NodeId> Endpoints(int level, int64_t instance, noc::topology::DataType type,
                                               int group, const std::string& space) const;
  int pe_columns_per_cluster() const { return pe_columns_per_cluster_; }
  int pe_rows_per_cluster() const { return pe_rows_per_cluster_; }
  const mapping::HardwareLayout& layout() const { return layout_; }

  // Per data space entering the PEs in `layer`, the NoC mode its multicast groups need (unicast,
  // broadcast, grouped_multicast, interleaved_multicast) as (data space, report line); SpecError when the
  // spec names another mode for it, or a data space the workload does not have.
  std::vector<std::pair<int, std::string>> CheckModes(const spec::Workload& workload,
                                                      const mapping::LayerProgram& layer) const;
  // The same from the plan alone (the mapper's check: compiling a program would cost more than the check).
  std::vector<std::pair<int, std::string>> CheckModes(const spec::Workload& workload,
                                                      const mapping::LayerPlan& plan) const;

 private:
  // One data space's multicast groups where it enters the PEs (physical instances of `level`).
  struct EnteringPes {
    int data_space = 0;
    int level = 0;
    std::vector<mapping::TransferGroup> groups;
  };
  std::vector<std::pair<int, std::string>> CheckModes(const spec::Workload& workload,
                                                      const std::vector<EnteringPes>& entering) const;

  const noc::topology::Topology& topology_;
  const spec::NocSpec& spec_;
  const spec::Architecture& architecture_;
  mapping::HardwareLayout layout_;
  int pe_columns_per_cluster_ = 1, pe_rows_per_cluster_ = 1;
  std::map<std::pair<int64_t, int64_t>, noc::topology::NodeId> pe_at_;                // mesh position → PE
  std::map<std::tuple<int, int, int>, std::vector<noc::topology::NodeId>> banks_at_;  // (type, x, y) → banks
  std::map<int, noc::topology::NodeId> offchip_;  // type → off-chip port
};

// Which nodes reach which, per data type, remembered across layers and mappings (thread-safe): what the
// mapper's check asks thousands of times on one topology.
class NocReachability {
 public:
  explicit NocReachability(const noc::topology::Topology& topology) : topology_(topology) {}
  // Per node: can `type` go from `node` to it (into = false) or from it to `node` (into = true)?
  const std::vector<char>& Of(noc::topology::NodeId node, noc::topology::DataType type, bool into);

 private:
  const noc::topology::Topology& topology_;
  std::mutex mutex_;
  std::map<std::tuple<int, int, bool>, std::unique_ptr<std::vector<char>>> reached_;
};

// SpecError when some transfer of the layer (`plan`, numbered logically) has no route: a fill from a level to
// a multicast group, or a write-back of psums reduced into the level above. Psum fills (partial sums read
// back) count only where `fills_of_result(level)` > 0 (the analytical model's fills): a network that carries
// psums only upwards is fine for mappings that never read them back.
void CheckNocRoutes(const NocBinding& binding, const mapping::LayerPlan& plan, const spec::NocSpec& spec,
                    NocReachability& reachability, const std::function<int64_t(int level)>& fills_of_result);

}  // namespace cyclops::top
