// The accelerator's insides, shared by its elaboration (accelerator.cpp) and the collection of a layer's
// results (accelerator_results.cpp). Not for use outside sim/top.
#pragma once

#include <memory>
#include <string>
#include <systemc>
#include <vector>

#include "models/common/cycle_time.h"
#include "models/common/layer_processes.h"
#include "models/common/watchdog.h"
#include "models/control/level_controller.h"
#include "models/memory/storage_level.h"
#include "models/pe/pe_cluster.h"
#include "noc/bus/fanout_buses.h"
#include "sim/top/accelerator.h"
#include "sim/top/noc_hardware.h"

namespace cyclops::top {

// The hardware: every block a child of this module, bound here.
struct AcceleratorModule : sc_core::sc_module {
  const spec::Architecture& architecture;
  const HardwareOptions& options;
  const mapping::HardwareLayout& layout;
  models::LayerClock clock;
  std::vector<std::unique_ptr<models::StorageBlock>> top_blocks;  // levels above the clusters
  std::vector<std::unique_ptr<models::PeCluster>> clusters;
  std::vector<std::unique_ptr<models::StorageLevel>> levels;          // per storage level
  std::vector<std::unique_ptr<models::LevelController>> controllers;  // per level below the top
  std::unique_ptr<NocHardware> noc;                                   // with a NoC topology
  std::vector<std::unique_ptr<noc::FanoutBuses>> buses;               // without: per level below the top
  std::unique_ptr<models::Watchdog> watchdog;

  AcceleratorModule(sc_core::sc_module_name name, const spec::Architecture& a, const HardwareOptions& o,
                    const mapping::HardwareLayout& l);

 private:
  void BuildClusters();
  void BuildTopBlocks();
  void AttachInstances();
  void Bind();
};

// What each stall cause of a layer is called in reports (models::StallCause numbering); `network` is what
// the fan-outs are ("bus", "network (eyeriss_v2_hm)"), `dram_preset` the DRAM timing model behind the
// outermost level ("" for none).
std::vector<std::string> StallCauseNames(const spec::Architecture& architecture,
                                         const spec::Workload& workload, const mapping::LayerProgram& layer,
                                         const std::string& network, const std::string& dram_preset);

struct Accelerator::Impl {
  spec::Architecture architecture;
  HardwareOptions options;
  mapping::HardwareLayout layout;
  AcceleratorModule module;
  models::LayerProcesses processes;
  std::optional<models::DramTimingParams> dram_params;  // `cyclops: dram:`, resolved
  std::unique_ptr<models::DramBacking> dram;            // the running layer's, behind the outermost level
  std::vector<models::Cycle> last_stalls;               // the last PE's waits by stall cause (Collect)

  Impl(const spec::Architecture& a, HardwareOptions o);

  void LoadStores(const spec::Workload& workload, const mapping::LayerProgram& layer,
                  std::vector<mapping::Tensor>& tensors);
  void LoadBoards(const mapping::LayerProgram& layer);
  void LoadNetworks(const spec::Workload& workload, const mapping::LayerProgram& layer);
  std::vector<const models::Watched*> LoadBlocks(const mapping::LayerProgram& layer,
                                                 const RunSettings& settings);
  void CheckFinished();
  // The running layer's blocks record into settings.trace and report progress (both may be empty).
  void AttachObservers(const spec::Workload& workload, const mapping::LayerProgram& layer,
                       const RunSettings& settings);
  std::string NetworkKind() const;
  std::string DramPresetName() const;  // the DRAM timing preset in use, "" for none
  LayerRun Collect(const spec::Workload& workload, const mapping::LayerProgram& layer,
                   std::vector<mapping::Tensor>& tensors);
  void CollectStalls(const spec::Workload& workload, const mapping::LayerProgram& layer, LayerRun& run);
  void CollectAccesses(const spec::Workload& workload, const mapping::LayerProgram& layer, LayerRun& run);
  uint64_t DramReadStalls(const mapping::LayerProgram& layer) const;  // the last PE's, from last_stalls
  void Unload();
};

}  // namespace cyclops::top
