// The fill engine of one storage level for one data space in the running layer (a DMA with an address
// generator), running its TransferProgram: it walks the loops above the level's tile, and for every new
// tile version fetches the part its instances do not hold yet from the level above — one read and one
// multicast per group of instances that need the same values — and, for read-write data, writes departing
// psums back up, spatially reduced per group. What moves follows the same reuse rule as the analytical
// model (sim/analysis/box_reuse.h), so the counters agree.
//
// Cost follows transfers: the reuse rule runs once per version (every group's tile is group 0's moved by a
// fixed translation), values are copied once per group (members of a read-only group share one store), and
// a member whose write port is in the leader's state copies the leader's booking.
//
// Runs as one SystemC thread per layer (LevelController spawns it); it sleeps until consumers acquire or
// release versions, or until the level above publishes the next version of its tile.
#pragma once

#include <array>
#include <cstdint>
#include <exception>
#include <string>
#include <vector>

#include "models/common/cycle_time.h"
#include "models/common/fanout_if.h"
#include "models/common/stall_cause.h"
#include "models/common/watched.h"
#include "models/control/transfer_compression.h"
#include "models/memory/storage_level.h"
#include "sim/mapping/layer_program.h"

namespace cyclops::trace {
class TraceRecorder;
}

namespace cyclops::models {

class FillEngine : public Watched {
 public:
  // `own` and `parent`: the levels the program fills and reads; `network`: the fan-out into `own`.
  FillEngine(std::string name, const mapping::LayerProgram& layer, const mapping::TransferProgram& program,
             StorageLevelIf& own, StorageLevelIf& parent, FanoutIf& network, const LayerClock& clock,
             int prefetch_depth);

  // Before Run: the transfer moves compressed data (transfer_compression.h).
  void SetCompression(const TransferCompression& compression) { compression_ = compression; }
  void Run();  // the thread body; throws what goes wrong (the caller records it)

  std::string WatchName() const override { return name_; }
  uint64_t Progress() const override { return progress_; }
  std::string WaitingFor() const override;
  bool finished() const { return finished_; }
  // Records this layer's fills and write-backs into `recorder` (null: none) under the group `group_name`:
  // a slice per tile version (per multicast group with per-PE detail), tile words, fill words per cycle.
  void SetTrace(trace::TraceRecorder* recorder, const std::string& group_name);

 private:
  using DataBox = analysis::DataBox;
  using TileDelta = analysis::TileDelta;

  void AcquireParent(int64_t version);
  void Fill(const DataBox& temporal, const TileDelta& delta, bool departure_taken);
  void FillGroup(size_t g, const DataBox& box, const TileDelta& delta, bool departure_taken);
  struct Moving {  // what a fill moves
    int64_t values = 0, nonzeros = 0;
  };
  Moving StageValues(TileStore& source, const DataBox& region, bool any, StagedVersion& staged) const;
  void BookFill(size_t g, const std::vector<StorageInstance*>& children, const DataBox& box,
                const DataBox& region, const Moving& moving, Cycle start,
                StagedVersion& staged);
  void StageCopies(size_t g, const StagedVersion& staged);
  void CollectDepartures(const DataBox& temporal, bool whole);
  void WriteBack();
  void WriteBackStaged();
  void DropTaken();
  void RecycleDepartures();
  DataBox Moved(const DataBox& box, size_t g) const;  // group 0's box moved to group g's tile
  // Imperfect factors (LayerProgram::imperfect): each group's tile is its members' clipped at the bounds, so
  // groups differ in shape and each keeps its own reuse state; a group (or member) clipped to nothing gets
  // nothing and its tile stays (psums leave whole when `parent_moves`). Sets clip_box_, clip_delta_ and
  // clip_active_ for the version at `origin`.
  void ClipGroups(const std::vector<int64_t>& origin, bool parent_moves);
  DataBox GroupBox(const DataBox& box0, size_t g) const { return clip_ ? clip_box_[g] : Moved(box0, g); }
  int Cause(StallKind kind) const;
  // Tracing: one transfer of group g (per-PE detail) or its share of the version's slice.
  void TraceTransfer(bool write_back, size_t g, Cycle begin, Cycle end, int64_t words);
  void TraceFlush(bool write_back, int64_t tile_words);
  // Compressed transfers (fill_compression.cpp): books `dense` values of which `nonzeros` are nonzero on
  // `core` as the words a compressed transfer moves, counted as `dense` accesses with the zeros absent and
  // the metadata words beside them; returns the completion cycle. `compressed_here`: the core stores the
  // data compressed (else it takes every value: decompression).
  Cycle ScheduleCompressed(StorageCore& core, Access access, Cycle at, int64_t start, int64_t dense,
                           int64_t nonzeros, bool compressed_here, int level);
  int64_t WordsMoved(int64_t dense, int64_t nonzeros) const;  // payload + metadata words on the network

  std::string name_;
  const mapping::LayerProgram& layer_;
  const mapping::TransferProgram& program_;
  StorageLevelIf& own_;
  StorageLevelIf& parent_;
  FanoutIf& network_;
  const LayerClock& clock_;
  const int prefetch_depth_;
  const int d_;
  std::vector<StorageInstance*> parent_of_;                             // per group
  std::vector<std::array<int64_t, analysis::kMaxRanks>> group_offset_;  // per group: its shift from group 0's
  std::vector<std::vector<StorageInstance*>> children_;                 // per group, leader first
  // Per group, its members' distinct stores, the leader's first: one per member for psums, one per
  // consumer for read-only data (members share a store), each staged once per version.
  std::vector<std::vector<TileStore*>> stores_;
  std::vector<Departure> departures_;          // collected before a drain: per group member, groups in order
  std::vector<const Departure*> leaving_;      // what WriteBack writes: those, or the stores' pending ones
  std::vector<const int64_t*> member_values_;  // WriteBack's scratch: one group's departing values
  std::vector<const uint8_t*> member_fresh_;
  TransferCompression compression_;
  bool clip_ = false;                                       // the layer has imperfect factors: ClipGroups
  std::vector<analysis::TileReuse> clip_reuse_;             // per group
  std::vector<DataBox> clip_box_, clip_previous_;           // per group: this version's tile, the last one
  std::vector<TileDelta> clip_delta_;                       // per group
  std::vector<std::vector<StorageInstance*>> clip_active_;  // per group: members with something to do
  std::vector<int64_t> clip_stay_step_;  // per dimension: the smallest step of the loops the tile stays in
  uint64_t progress_ = 0;
  // What the thread waits for, formatted only when the watchdog asks (waits happen per version).
  enum class Wait {
    kNotStarted,
    kParentVersion,
    kConsumersTake,
    kConsumersFinish,
    kParentTile,
    kLastVersion,
    kNone
  };
  Wait waiting_for_ = Wait::kNotStarted;
  int64_t waiting_version_ = 0;
  bool finished_ = false;
  trace::TraceRecorder* trace_ = nullptr;
  struct TraceSpan {  // a version's fills (or one write-back round) so far
    Cycle begin = 0, end = 0;
    int64_t words = 0, groups = 0;
  };
  TraceSpan trace_span_;
  int64_t trace_version_ = 0;
  int trace_fills_ = -1, trace_write_backs_ = -1, trace_fill_name_ = -1, trace_write_back_name_ = -1;
  int trace_tile_words_ = -1, trace_fill_rate_ = -1;
};

}  // namespace cyclops::models
