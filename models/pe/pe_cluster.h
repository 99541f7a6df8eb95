// A cluster of PEs: the MACs under one instance of the innermost shared storage level, each PE with its
// MAC unit and its private storage (the spads), and the shared storage blocks that sit in the cluster
// (e.g. Eyeriss v2's per-cluster GLB banks). One SystemC module per cluster; the PEs are plain C++ it runs
// together (DESIGN.md decision 5), each with its own counters, timing and stalls.
//
// How a layer runs: all PEs execute the same PeProgram, so the cluster steps through it once for all of
// them. At every step it waits (one SystemC wait, not one per PE) for the operand tiles that move to be
// published, computes each PE's acquisition, readiness and burst times from its own timeline exactly as a
// thread per PE would, computes every PE's MAC burst on the real values, and tells each tile board when its
// last PE released or acquired a version (a board only ever waits for the last consumer). So the cost is
// one wake-up per step plus plain arithmetic per PE.
//
// Several MACs under one buffer (a vector MAC, a SIMD PE, MACs reading an operand from a level above a
// fan-out) are PEs of their own. The MACs that read one value of a buffer at every step (a MAC group,
// LayerPlan::MacGroups) read it once — their leader counts it; psums they add into one value are one
// update. A buffer with a read bandwidth serves all its MACs' reads of a step through it: a MAC burst
// lasts at least ceil(reads / bandwidth) cycles, the cycles beyond its MACs a stall on that bandwidth.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <systemc>
#include <vector>

#include "models/common/cycle_time.h"
#include "models/common/stall_cause.h"
#include "models/common/watched.h"
#include "models/memory/storage_level.h"
#include "models/pe/dense_burst.h"
#include "models/pe/mac_unit.h"
#include "models/pe/pe_sparsity.h"
#include "sim/mapping/layer_program.h"

namespace cyclops::trace {
class TraceRecorder;
}

namespace cyclops::models {

// One PE: a MAC unit and the storage instances private to it.
class Pe {
 public:
  Pe(std::string name, MacConfig mac) : name_(std::move(name)), mac_(mac) {}
  const std::string& name() const { return name_; }
  MacUnit& mac() { return mac_; }
  const MacUnit& mac() const { return mac_; }
  StorageInstance& AddPrivate(int level, const std::string& level_name, StorageConfig config);
  const std::vector<std::unique_ptr<StorageInstance>>& private_storage() const { return private_; }

 private:
  std::string name_;
  MacUnit mac_;
  std::vector<std::unique_ptr<StorageInstance>> private_;
};

class PeCluster : public sc_core::sc_module, public Watched {
 public:
  // A shared storage instance that sits in the cluster (built with it: SystemC names a module after the
  // module under construction).
  struct BlockSpec {
    int level = 0;
    std::string name;
    StorageConfig config;
  };
  PeCluster(sc_core::sc_module_name name, int64_t pes, MacConfig mac, const LayerClock& clock,
            const std::vector<BlockSpec>& blocks);

  // Every storage level, bound in index order by the accelerator.
  sc_core::sc_port<StorageLevelIf, 0, sc_core::SC_ZERO_OR_MORE_BOUND> levels;

  Pe& pe(int64_t local) { return *pes_[static_cast<size_t>(local)]; }
  const Pe& pe(int64_t local) const { return *pes_[static_cast<size_t>(local)]; }
  int64_t size() const { return static_cast<int64_t>(pes_.size()); }
  const std::vector<std::unique_ptr<StorageBlock>>& blocks() const { return blocks_; }

  // The layer's PEs in this cluster: (local PE index, index into layer.pes). Resets their MAC units.
  void Load(const mapping::LayerProgram& layer, std::vector<std::pair<int64_t, size_t>> assigned);
  // After Load, for a layer with sparse optimizations or zeros to count: the PEs then run their bursts MAC
  // by MAC under `sparsity` (pe_sparsity.h). Load clears it.
  void LoadSparsity(std::shared_ptr<const PeSparsity> sparsity);
  bool loaded() const { return !slots_.empty(); }
  void Run();  // the thread body for one layer; throws what goes wrong (the caller records it)
  void Unload() { slots_.clear(); }

  std::string WatchName() const override { return name(); }
  uint64_t Progress() const override { return progress_; }
  std::string WaitingFor() const override;

  // After the layer, per loaded PE (Load order): when it issued its last MAC, MAC-busy cycles, and its
  // cycles waiting for operands by stall cause (models::StallCause).
  struct PeOutcome {
    int64_t local = 0;
    Cycle finished_at = 0;
    Cycle busy_cycles = 0;
    std::vector<Cycle> stalls;
  };
  std::vector<PeOutcome> Outcomes() const;
  bool finished() const { return finished_; }

  // The running layer's PE timelines go to `recorder` (null: none), after Load: per PE (compute bursts and
  // stall slices named by `stall_causes`, models::StallCause numbering) or as per-cluster counters of
  // computing and stalled PEs, as the recorder's options say (sim/trace).
  void SetTrace(trace::TraceRecorder* recorder, const std::vector<std::string>& stall_causes);
  // Called with the layer cycle every kProgressSteps steps while the layer runs (empty: never).
  void SetProgress(std::function<void(Cycle)> progress) { progress_hook_ = std::move(progress); }
  static constexpr uint64_t kProgressSteps = 256;

 private:
  // One PE of the running layer: where its operands are and its own timeline.
  struct Slot {
    int64_t local = 0;
    Pe* pe = nullptr;
    std::vector<StorageInstance*> instance;  // per data space: where the MACs read it
    std::vector<TileStore*> store;           // per data space: that instance's store
    // Per data space: the part of a burst's first address the PE's own place contributes
    // (spatial origin · weights), and the store version its operand was last refreshed for.
    std::vector<int64_t> spatial_base, tile_version;
    // Per data space, what every step and burst reads, refreshed when the PE acquires a version (the
    // only time its store changes, RefreshOperand): one array per PE rather than a look into each store.
    struct Operand {
      int64_t* values = nullptr;
      uint8_t* fresh = nullptr;
      int64_t base = 0;  // spatial_base − low(tile) · rank strides
      Cycle available_at = 0;
      int ready_cause = -1;
    };
    std::vector<Operand> ops;
    Cycle at = 0;  // when the PE can act next (its last burst has issued)
    Cycle finished_at = 0;
    Cycle busy = 0;
    std::vector<Cycle> stalls;  // by stall cause
    // This step: when the PE could have issued, the latest publication it waited for, and why.
    Cycle idle_from = 0, published_at = 0;
    int publish_cause = -1;
    // The operand counters the MAC bursts bump, resolved once per layer.
    uint64_t* first_reads = nullptr;
    uint64_t* second_reads = nullptr;
    uint64_t* result_updates = nullptr;
    uint64_t* result_reads = nullptr;
    bool result_leader = true;  // counts its MAC group's psum accesses (LayerPlan::MacGroups)
    std::vector<size_t> paced;  // the paced buffers it reads (indices into paced_)
    const std::vector<int64_t>* spatial_origin = nullptr;  // its problem-space origin (imperfect mappings)
  };
  // A buffer whose read bandwidth the MACs reading it share (PlanPacing).
  struct PacedBuffer {
    StorageCore* core = nullptr;
    double rate = 1;               // values per cycle
    int64_t reads_per_mac = 0;     // read-only operands: MAC groups reading it, one value each per MAC step
    std::vector<int> data_spaces;  // read here by this cluster's MACs
    std::vector<int> counted;      // psums among them: reads counted as they happen
    std::vector<uint64_t> before;  // their counters at the step's start
    Cycle length = 0;              // the step's bursts take at least this long
    int cause = 0;                 // the stall cause the extra cycles are booked on
  };
  void PlanPacing(const mapping::LayerProgram& layer, const mapping::PeAssignment& assignment, Slot& slot);
  void StartPacedStep();
  void FinishPacedStep(Cycle burst);
  Cycle BurstLength(const Slot& slot, Cycle burst, int& cause) const;
  void RunBurst(Slot& slot);
  // The burst odometer shared by the dense and sparse bursts: steps the loops above the innermost (tight)
  // one, moving the three operand addresses; false once every loop has wrapped (the burst is done).
  static bool NextBurstRun(const std::vector<int64_t>& factor, const std::vector<int64_t>& a_step,
                           const std::vector<int64_t>& b_step, const std::vector<int64_t>& o_step,
                           std::vector<int64_t>& index, int64_t& ai, int64_t& bi, int64_t& oi) {
    for (size_t l = 1; l < factor.size(); ++l) {
      ai += a_step[l], bi += b_step[l], oi += o_step[l];
      if (++index[l] < factor[l]) return true;
      ai -= a_step[l] * index[l], bi -= b_step[l] * index[l], oi -= o_step[l] * index[l];
      index[l] = 0;
    }
    return false;
  }
  void TraceBurst(size_t slot, Cycle idle_from, Cycle ready, int cause, Cycle start, Cycle burst);
  void TraceStall(size_t slot, Cycle from, Cycle to, int cause);
  // The sparse counterpart of RunBurst (pe_sparse_burst.cpp): the same values and dense counters, plus the
  // split of the MACs and operand accesses; returns the cycles the burst takes (its MACs that cost one).
  Cycle RunSparseBurst(size_t slot_index);
  // Per loaded PE: where its sparse counters are, resolved once per layer.
  struct SparseCounters {
    // [role: first, second, result][models::SparseAction]
    uint64_t* reads[3][kSparseActions] = {};
    uint64_t* updates[kSparseActions] = {};
  };
  // Imperfect mappings (pe_clipped_burst.cpp): the burst's MACs clipped at the workload's bounds, on the
  // values wherever the stores' (clipped) tiles lay them out; returns the MACs run (the burst's cycles).
  // Bursts that are whole, on tiles of the full shape, run as RunBurst.
  Cycle RunClippedBurst(Slot& slot);
  int64_t Base(Slot& slot, int d) const { return temporal_base_[d] + slot.ops[d].base; }
  void RefreshOperand(Slot& slot, int d);
  uint8_t* FreshFlags(const Slot& slot, TileStore& out_store);

  const LayerClock& clock_;
  std::vector<std::unique_ptr<Pe>> pes_;
  std::vector<std::unique_ptr<StorageBlock>> blocks_;
  const mapping::LayerProgram* layer_ = nullptr;
  std::vector<Slot> slots_;
  std::vector<int64_t> burst_index_;    // the burst loops' odometer, reused by every burst
  DenseBurst dense_burst_;              // the dense burst's loops as the host runs them
  std::vector<int64_t> temporal_base_;  // per data space: the step's temporal origin · weights
  const std::vector<int64_t>* step_origin_ = nullptr;  // the step's temporal origin (problem space)
  std::vector<std::vector<int64_t>>
      full_shape_;  // imperfect mappings: per data space its tile's rank extents
  // Several MACs under one buffer: what a MAC group's other members count (nothing reads it), and the
  // first-touch flags they clear instead of their leader's (always zero).
  uint64_t uncounted_ = 0;
  std::vector<uint8_t> member_fresh_;
  std::vector<PacedBuffer> paced_;
  std::shared_ptr<const PeSparsity> sparsity_;
  std::vector<SparseCounters> sparse_counters_;  // parallel to slots_
  std::vector<Cycle> burst_cycles_;              // parallel to slots_: this step's burst lengths
  uint64_t progress_ = 0;
  // What the thread waits for, formatted only when the watchdog asks: -2 not started, -1 nothing, else
  // version waiting_version_ of data space waiting_for_'s board.
  int waiting_for_ = -2;
  int64_t waiting_version_ = 0;
  bool finished_ = false;
  // Tracing (SetTrace): per slot its track (per PE) or the cluster's counters; slice names per cause.
  trace::TraceRecorder* trace_ = nullptr;
  std::vector<int> trace_tracks_, trace_stall_names_, trace_stall_counters_;
  int trace_compute_name_ = -1, trace_computing_ = -1;
  std::function<void(Cycle)> progress_hook_;
};

}  // namespace cyclops::models
