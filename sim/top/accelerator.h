// The accelerator, elaborated once per process from the Architecture (DESIGN.md decision 3): a SystemC
// module per physical block, wired here and only here —
//   accelerator
//     <level>[i]            a StorageBlock per instance of each level above the clusters (e.g. DRAM)
//     cluster[c]            a PeCluster per cluster: its shared blocks (e.g. Eyeriss v2's GLB banks) and its
//       pe[p]               PEs (plain C++: a MAC unit and the storage private to the PE, e.g. the spads)
//     fill_<level>          a LevelController (the fill engine block) per level below the top
//     watchdog
// with a StorageLevel channel per level (every instance and the running layer's tile boards) bound to the
// controllers' and clusters' ports, and per level the fan-out channel into it: the NoC fabric when the
// architecture names a topology (sim/top/noc_hardware.h), else width-limited buses (noc/bus).
//
// A layer is a LayerProgram (sim/mapping/layer_program.h) loaded into the blocks and run with sc_start()
// until every block is done; counters, stalls and the watchdog are per layer, the elaboration is paid once.
// The stats of a layer come out as one tree keyed by the blocks' instance names.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <systemc>
#include <vector>

#include "models/common/cycle.h"
#include "models/control/transfer_compression.h"
#include "models/dram/dram_backing.h"
#include "models/memory/storage_core.h"
#include "models/pe/pe_sparsity.h"
#include "sim/mapping/hardware_layout.h"
#include "sim/mapping/layer_program.h"
#include "sim/mapping/tensor_data.h"
#include "sim/spec/specs.h"
#include "sim/stats/stats_tree.h"

namespace cyclops::trace {
class TraceRecorder;
}

namespace cyclops::top {

// What the hardware is, beyond the architecture: changing any of these needs a new elaboration.
struct HardwareOptions {
  std::optional<double> bus_width;  // values per cycle on every fan-out bus; empty = unlimited
  models::Cycle bus_latency = 1;
  // The architecture's `noc:` topology carries the transfers; false (`--noc none`) uses the buses above.
  bool use_noc = true;
  std::map<std::string, spec::NocParamValue> noc_params;  // replace or add topology builder parameters
  models::Cycle mac_latency = 1;
  bool bank_conflicts = false;  // model storage bank conflicts (Timeloop does not)
  // `cyclops: dram:` (UseCyclopsSettings): the DRAM timing model behind the outermost level (empty = its
  // bandwidth only), and the accelerator clock DRAM clocks convert with (empty = 1 / global_cycle_seconds).
  std::optional<spec::DramTimingSpec> dram;
  std::optional<double> clock_hz;
};

// Checks what of `settings` (the `cyclops:` key) only the hardware reads, the DRAM preset and its
// parameters, so a wrong name is a located error when the files are loaded, not when (or whether) a layer
// first elaborates the accelerator. Throws SpecError.
void CheckCyclopsSettings(const spec::CyclopsSettings& settings);

// Takes the hardware `settings` hold (the `cyclops:` key of the architecture files) into `options`, checked
// (CheckCyclopsSettings).
void UseCyclopsSettings(const spec::CyclopsSettings& settings, HardwareOptions& options);

// How one layer is run on the hardware.
struct RunSettings {
  // Tile versions a level may hold ahead of the one in use: 1 overlaps every fill with compute (Timeloop's
  // assumption). 0 is a staging buffer too small to ever hand over a tile: the run deadlocks and the
  // watchdog names the stuck modules.
  int prefetch_depth = 1;
  models::Cycle watchdog_cycles = 1000000;  // no progress for this long = stuck
  // Where the blocks record the layer's timeline (sim/trace); null: no trace, and no cost beyond a check.
  trace::TraceRecorder* trace = nullptr;
  // Called now and then while the layer runs, with a layer cycle the PEs have reached (a progress line).
  std::function<void(models::Cycle)> progress;
  // With sparse optimizations: what the PEs do with zeros (sim/top/sparse_plan.h); null runs them dense.
  std::shared_ptr<const models::PeSparsity> pe_sparsity;
  // ... and which transfers move compressed data (models/control/transfer_compression.h); null: none.
  std::shared_ptr<const models::FillSparsity> fill_sparsity;
  // When > 0: the layer stops (CycleLimitReached) as soon as its cycles are sure to exceed this — a PE
  // cluster at cycle c with n bursts of b cycles left finishes after c + n·b - 1 (dense bursts; a sparse
  // or clipped (imperfect) burst may be shorter, so there only c counts). `cyclops map --sim-rerank` bounds
  // its candidates so.
  models::Cycle cycle_limit = 0;
};

// RunLayer's stop when RunSettings::cycle_limit is sure to be exceeded.
class CycleLimitReached : public std::runtime_error {
 public:
  CycleLimitReached(models::Cycle at, models::Cycle bound, models::Cycle limit);
  models::Cycle at;     // the cycle a PE cluster had reached
  models::Cycle bound;  // the layer's cycles are at least this
};

// Simulated totals of one storage level and data space, over all instances.
struct SimulatedAccesses {
  bool kept = false;
  int64_t instances = 0;
  uint64_t reads = 0, fills = 0, updates = 0;                              // totals
  std::vector<uint64_t> instance_reads, instance_fills, instance_updates;  // per instance used
  // The sparse split of the totals above, indexed by models::SparseAction (gated, skipped, absent): the
  // actual accesses are the totals minus these. And the metadata words compressed data moved.
  std::array<uint64_t, models::kSparseActions> sparse_reads{}, sparse_fills{}, sparse_updates{};
  uint64_t metadata_reads = 0, metadata_fills = 0, metadata_updates = 0;
  // Per instance used: the accesses that moved data and cost energy (the counts minus the sparse split).
  std::vector<uint64_t> instance_actual_reads, instance_actual_fills, instance_actual_updates;
};

struct StallEntry {
  std::string cause;
  models::Cycle cycles = 0;
};

// What one layer run measured.
struct LayerRun {
  models::Cycle cycles = 0;          // when the last write-back landed
  models::Cycle compute_cycles = 0;  // MAC-busy cycles of the PE that finished last
  models::Cycle pe_finished_at = 0;  // when that PE issued its last MAC
  uint64_t macs = 0;
  std::optional<models::SparseMacCounts> sparse_macs;    // with sparse optimizations: how the MACs split
  std::vector<StallEntry> stalls;                        // that PE's waits by cause, largest first
  std::vector<std::vector<SimulatedAccesses>> accesses;  // [level][data space]
  std::vector<std::pair<std::string, uint64_t>> bank_conflicts;  // per level, when modelled
  stats::StatsTree stats;                                        // every block's counters, by instance name
  // The on-chip network, when the architecture has one: its name, the router configuration per data
  // space, the out ports that held transfers up longest, and noc.json.
  struct NocBottleneck {
    std::string channel;
    uint64_t stall_cycles = 0;
    uint64_t busy_cycles = 0;
  };
  std::string noc_topology;
  std::vector<std::string> noc_modes;
  std::vector<NocBottleneck> noc_bottlenecks;
  uint64_t noc_value_hops = 0;  // values × links crossed (NoC energy is priced per value per hop)
  std::string noc_json;
  std::optional<models::DramReport> dram;  // with `cyclops: dram:`: the outermost level's DRAM traffic
};

class Accelerator {
 public:
  // SpecError for a NoC the architecture cannot sit on (see NocHardware). One per process.
  Accelerator(const spec::Architecture& architecture, HardwareOptions options);
  ~Accelerator();
  Accelerator(const Accelerator&) = delete;
  Accelerator& operator=(const Accelerator&) = delete;

  const spec::Architecture& architecture() const;
  const mapping::HardwareLayout& layout() const;
  const HardwareOptions& options() const;

  // Runs `layer` (compiled for this accelerator's layout) of `workload`: the outermost level starts with
  // `tensors` (every data space, the result's initial values included) and the result data space's final
  // values are written back into tensors[result], wrapped to the layer's psum bits. Throws SimulationError
  // when the watchdog finds the run stuck or a block fails, SpecError for a transfer the NoC cannot carry;
  // the accelerator stays usable for the next layer either way.
  LayerRun RunLayer(const spec::Workload& workload, const mapping::LayerProgram& layer,
                    std::vector<mapping::Tensor>& tensors, const RunSettings& settings);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cyclops::top
