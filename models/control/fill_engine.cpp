#include "models/control/fill_engine.h"

#include <algorithm>

#include "sim/core/bits.h"
#include "sim/core/error.h"
#include "sim/trace/trace_recorder.h"

namespace cyclops::models {

namespace {

using analysis::DataBox;
using analysis::TileDelta;

// The address in `box`'s layout of `region`'s first value, moved back so that `count` values fit.
int64_t RegionStart(const DataBox& box, const DataBox& region, int64_t count) {
  Point first{};
  for (int r = 0; r < region.ranks; ++r) first[r] = std::max(region.low[r], box.low[r]);
  return std::max<int64_t>(0, std::min(OffsetIn(box, first), box.Size() - count));
}

bool Intersects(const DataBox& a, const DataBox& b) {
  for (int r = 0; r < a.ranks; ++r)
    if (a.high[r] < b.low[r] || b.high[r] < a.low[r]) return false;
  return true;
}

DataBox Shifted(DataBox box, const std::array<int64_t, analysis::kMaxRanks>& by) {
  for (int r = 0; r < box.ranks; ++r) box.low[r] += by[r], box.high[r] += by[r];
  return box;
}

// Calls reduce(index, to) for every value of `departure`'s old tile outside its kept box: its index there
// and its offset in `target`'s layout, run by run along the last rank.
template <typename Reduce>
void ReduceStaying(const Departure& departure, const DataBox& target, Reduce&& reduce) {
  const DataBox& kept = departure.kept_box;
  ForEachRun(departure.old_box, [&](const Point& point, int64_t index, int64_t length) {
    // The run's values that stay in the moved tile, as [stay_from, stay_to).
    int64_t stay_from = length, stay_to = length;
    bool inside = true;
    for (int r = 0; r + 1 < kept.ranks; ++r)
      inside = inside && point[r] >= kept.low[r] && point[r] <= kept.high[r];
    const int last = kept.ranks - 1;
    if (kept.ranks == 0) {
      stay_from = 0;  // a box without ranks contains every point
    } else if (inside) {
      stay_from = std::clamp<int64_t>(kept.low[last] - point[last], 0, length);
      stay_to = std::clamp<int64_t>(kept.high[last] - point[last] + 1, stay_from, length);
    }
    const int64_t to_base = OffsetIn(target, point);
    for (int64_t j = 0; j < length; ++j)
      if (j < stay_from || j >= stay_to) reduce(index + j, to_base + j);
  });
}

}  // namespace

FillEngine::FillEngine(std::string name, const mapping::LayerProgram& layer,
                       const mapping::TransferProgram& program, StorageLevelIf& own, StorageLevelIf& parent,
                       FanoutIf& network, const LayerClock& clock, int prefetch_depth)
    : name_(std::move(name)),
      layer_(layer),
      program_(program),
      own_(own),
      parent_(parent),
      network_(network),
      clock_(clock),
      prefetch_depth_(prefetch_depth),
      d_(program.data_space) {
  for (const mapping::TransferGroup& group : program.groups) {
    std::array<int64_t, analysis::kMaxRanks>& offset = group_offset_.emplace_back();
    for (int r = 0; r < analysis::kMaxRanks; ++r) offset[r] = group.shift[r] - program.groups[0].shift[r];
    parent_of_.push_back(&parent.Instance(group.parent));
    children_.emplace_back();
    stores_.emplace_back();
    for (int64_t child : group.children) {
      StorageInstance& instance = own.Instance(child);
      children_.back().push_back(&instance);
      for (int64_t k = 0; k < instance.copies(d_); ++k) {  // one copy per PE cluster reading it
        TileStore* store = &instance.Copy(d_, k);
        if (std::find(stores_.back().begin(), stores_.back().end(), store) == stores_.back().end())
          stores_.back().push_back(store);
      }
    }
  }
  clip_ = layer.imperfect;
  if (clip_) {
    const size_t groups = program.groups.size();
    clip_reuse_.assign(groups, {});
    clip_box_.assign(groups, {});
    clip_previous_.assign(groups, {});
    clip_delta_.assign(groups, {});
    clip_active_.assign(groups, {});
    // The loops inside the first moving one leave the tile in place; where the bounds cut them to one
    // iteration there is no stay. Per dimension, the smallest step of theirs.
    const analysis::LoopNest& nest = *layer.nest;
    clip_stay_step_.assign(nest.workload().bounds.size(), 0);
    for (int p = nest.EndLoop(program.level); p < program.first_moving; ++p) {
      const analysis::Loop& loop = nest.loops()[p];
      int64_t& step = clip_stay_step_[loop.dimension];
      if (!loop.spatial && loop.factor > 1 && (step == 0 || loop.stride < step)) step = loop.stride;
    }
  }
}

void FillEngine::ClipGroups(const std::vector<int64_t>& origin, bool parent_moves) {
  const analysis::LoopNest& nest = *layer_.nest;
  const std::vector<int64_t>& bounds = nest.workload().bounds;
  const size_t dims = bounds.size();
  std::vector<int64_t> at(dims), extent;
  for (size_t g = 0; g < program_.groups.size(); ++g) {
    const mapping::TransferGroup& group = program_.groups[g];
    std::vector<StorageInstance*>& active = clip_active_[g];
    active.clear();
    DataBox box;
    bool stays = false;
    for (size_t m = 0; m < group.children.size(); ++m) {
      for (size_t k = 0; k < dims; ++k) at[k] = origin[k] + group.member_origins[m * dims + k];
      if (!mapping::ClippedExtent(bounds, at, program_.tile_extent, extent)) continue;
      for (size_t k = 0; k < dims; ++k)
        stays = stays || (clip_stay_step_[k] > 0 && at[k] + clip_stay_step_[k] < bounds[k]);
      const DataBox mine = nest.Project(d_, at, extent);
      if (active.empty()) {
        box = mine;
      } else {  // members of a group hold the same values; the hull covers any that clip differently
        for (int r = 0; r < box.ranks; ++r)
          box.low[r] = std::min(box.low[r], mine.low[r]), box.high[r] = std::max(box.high[r], mine.high[r]);
      }
      active.push_back(children_[g][m]);
    }
    clip_previous_[g] = clip_box_[g];
    if (active.empty()) {
      DataBox& held = clip_box_[g];
      if (program_.read_write && parent_moves && held.ranks > 0 && held.Size() > 0) {
        // The level above moves on: the psums leave for it, the group holds an empty tile, and its next
        // tile arrives whole. Otherwise they stay, as the loop iterations past the bound never run.
        held.high[0] = held.low[0] - 1;
        clip_delta_[g] = TileDelta{TileDelta::Kind::kWhole, held, 0};
        clip_reuse_[g] = {};
      } else {  // the tile stays where it is, as the reuse rule skips the iterations that do not run
        clip_delta_[g] = TileDelta{TileDelta::Kind::kNothing, {}, 0};
      }
      continue;
    }
    clip_box_[g] = box;
    clip_delta_[g] = clip_reuse_[g].Next(box);
    if (stays) clip_reuse_[g].Stay();
  }
}

int FillEngine::Cause(StallKind kind) const {
  return StallCause(program_.level, d_, static_cast<int>(layer_.data_spaces.size()), kind);
}

std::string FillEngine::WaitingFor() const {
  const std::string& own = own_.Board(d_)->name();
  const std::string& above = parent_.Board(d_)->name();
  const std::string version = std::to_string(waiting_version_);
  switch (waiting_for_) {
    case Wait::kNotStarted:
      return "not started";
    case Wait::kParentVersion:
      return "version " + version + " of " + above;
    case Wait::kConsumersTake:
      return "consumers of " + own + " to take version " + version;
    case Wait::kConsumersFinish:
      return "consumers of " + own + " to finish version " + version;
    case Wait::kParentTile:
      return "the tile of " + above;
    case Wait::kLastVersion:
      return "consumers of " + own + " to finish the last version";
    case Wait::kNone:
      break;
  }
  return "";
}

void FillEngine::AcquireParent(int64_t version) {
  TileBoard& board = *parent_.Board(d_);
  waiting_for_ = Wait::kParentVersion, waiting_version_ = version;
  board.WaitPublished(version);
  // The outermost level holds its whole tensor from the start; every other level stages each version.
  if (!program_.parent_is_top)
    for (int64_t instance : program_.parents) parent_.Instance(instance).Tile(d_).CommitThrough(version);
  board.Acquired(version);
}

DataBox FillEngine::Moved(const DataBox& box, size_t g) const {
  return Shifted(box, group_offset_[g]);
}

void FillEngine::Run() {
  const analysis::LoopNest& nest = *layer_.nest;
  TileBoard& board = *own_.Board(d_);
  const bool read_write = program_.read_write;
  mapping::Odometer odometer(nest, program_.walk);
  analysis::TileReuse reuse;  // group 0's; the other groups' tiles move alike
  DataBox temporal, box0, previous;
  TileDelta delta0;
  int64_t parent_version = 0;
  AcquireParent(0);
  int64_t version = -1;
  int position = static_cast<int>(nest.loops().size());  // the first step moves everything
  for (bool first = true;; first = false) {
    temporal = nest.Project(d_, odometer.origin(), program_.tile_extent);
    box0 = Shifted(temporal, program_.groups[0].shift);
    if (clip_) {
      ClipGroups(odometer.origin(), !first && !program_.parent_is_top && position >= program_.parent_moving);
      box0 = clip_box_[0], delta0 = clip_delta_[0];
    } else {
      delta0 = reuse.Next(box0);
      if (program_.inner_stay > 1) reuse.Stay();
    }
    if (first || position >= program_.first_moving) {
      ++version;
      waiting_for_ = Wait::kConsumersTake, waiting_version_ = version - prefetch_depth_;
      board.WaitAllAcquired(version - prefetch_depth_);
      if (read_write) WriteBackStaged();
      const bool parent_moves = !first && !program_.parent_is_top && position >= program_.parent_moving;
      // Read-write data must be written back before the level above moves on, and before a whole-tile
      // refill that overlaps the old tile reads values the consumers are still accumulating. Otherwise
      // the next version is fetched while the current one is in use.
      bool refill_overlaps = delta0.kind == TileDelta::Kind::kWhole && !first && Intersects(box0, previous);
      for (size_t g = 0; clip_ && !first && g < clip_box_.size(); ++g)
        refill_overlaps = refill_overlaps || (clip_delta_[g].kind == TileDelta::Kind::kWhole &&
                                              Intersects(clip_box_[g], clip_previous_[g]));
      const bool drain_first = read_write && !first && (parent_moves || refill_overlaps);
      if (drain_first) {
        waiting_for_ = Wait::kConsumersFinish, waiting_version_ = version - 1;
        board.WaitAllReleased(version - 1);
        CollectDepartures(box0, !clip_ && delta0.kind == TileDelta::Kind::kWhole);
        WriteBack();
        RecycleDepartures();
      }
      if (parent_moves) {
        parent_.Board(d_)->Released(parent_version);
        AcquireParent(++parent_version);
      }
      trace_version_ = version;
      Fill(box0, delta0, drain_first);
      if (trace_) TraceFlush(false, box0.Size());
      board.Publish(version, clock_.Now());
      ++progress_;
      previous = box0;
    }
    position = odometer.Advance();
    if (position < 0) break;
  }
  waiting_for_ = Wait::kLastVersion;
  board.WaitAllReleased(version);
  if (read_write) {
    WriteBackStaged();
    CollectDepartures(box0, true);
    WriteBack();
    RecycleDepartures();
  }
  parent_.Board(d_)->Released(parent_version);
  waiting_for_ = Wait::kNone;
  finished_ = true;
}

void FillEngine::Fill(const DataBox& box0, const TileDelta& delta0, bool departure_taken) {
  for (size_t g = 0; g < program_.groups.size(); ++g) {
    if (clip_) {
      FillGroup(g, clip_box_[g], clip_delta_[g], departure_taken);
      continue;
    }
    TileDelta delta = delta0;
    if (g > 0 && delta.kind == TileDelta::Kind::kPart) delta.part = Moved(delta0.part, g);
    FillGroup(g, g == 0 ? box0 : Moved(box0, g), delta, departure_taken);
  }
}

void FillEngine::FillGroup(size_t g, const DataBox& box, const TileDelta& delta, bool departure_taken) {
  // Imperfect factors: only the members with something to do in this version receive it.
  const std::vector<StorageInstance*>& children = clip_ ? clip_active_[g] : children_[g];
  TileStore& source = parent_of_[g]->Tile(d_);
  // The leader's store receives the values; the group's other stores get copies (psum members zeros).
  TileStore& first = *stores_[g].front();
  StagedVersion& staged = first.StagingSlot();
  staged.box = box;
  staged.delta = delta;
  staged.departure_taken = departure_taken;
  const DataBox& region = delta.kind == TileDelta::Kind::kPart ? delta.part : box;
  const Moving moving = StageValues(source, region, delta.kind != TileDelta::Kind::kNothing, staged);
  // Book the transfer when the values are there, so calendars are booked in time order.
  if (source.available_at() > clock_.Now()) waiting_for_ = Wait::kParentTile;
  clock_.WaitUntil(source.available_at());
  const Cycle start = clock_.Now();
  staged.ready = start;
  staged.cause = Cause(StallKind::kParentTile);
  if (moving.values > 0 && !children.empty()) BookFill(g, children, box, region, moving, start, staged);
  StageCopies(g, staged);
  first.Stage();
}

// Copies `region` of the parent's tile into `staged` (nothing when `any` is false); returns the values that
// move (psums some level already wrote; every value of read-only data) and, when compressed, the nonzeros.
FillEngine::Moving FillEngine::StageValues(TileStore& source, const DataBox& region, bool any,
                                           StagedVersion& staged) const {
  const bool read_write = program_.read_write;
  staged.values.clear();
  staged.fresh.clear();
  Moving moving;
  if (!any) return moving;
  staged.values.resize(region.Size());
  if (read_write) staged.fresh.resize(region.Size());
  if (region.ranks == 0) {  // no runs to copy: the values stay zero
    std::fill(staged.values.begin(), staged.values.end(), 0);
    std::fill(staged.fresh.begin(), staged.fresh.end(), 0);
  } else if (!ContainsBox(source.box(), region)) {
    throw SimulationError(name_ + ": a tile of '" + own_.level_name() + "' is not inside the tile of '" +
                          parent_.level_name() + "' it is filled from");
  }
  const int64_t* values = source.values().data();
  const uint8_t* fresh = source.fresh().data();
  int64_t* to_values = staged.values.data();
  uint8_t* to_fresh = staged.fresh.data();
  const bool compressed = compression_.compressed;
  ForEachGather(region, source.box(), [&](int64_t from, int64_t step, int64_t index, int64_t length) {
    for (int64_t j = 0, at = from; j < length; ++j, at += step) to_values[index + j] = values[at];
    if (read_write) {
      for (int64_t j = 0, at = from; j < length; ++j, at += step) {
        to_fresh[index + j] = fresh[at];
        moving.values += fresh[at] == 0;  // values some level already wrote
        if (compressed) moving.nonzeros += fresh[at] == 0 && values[at] != 0;
      }
    } else if (compressed) {
      for (int64_t j = 0, at = from; j < length; ++j, at += step) moving.nonzeros += values[at] != 0;
    }
  });
  if (!read_write) moving.values = region.Size();
  return moving;
}

// Books group g's transfer of `moving` values from `start` on the parent's read port, the members' write
// ports and the network, and sets when the staged version is ready and why.
void FillEngine::BookFill(size_t g, const std::vector<StorageInstance*>& children, const DataBox& box,
                          const DataBox& region, const Moving& moving, Cycle start, StagedVersion& staged) {
  StorageInstance& parent = *parent_of_[g];
  const int64_t moved = moving.values, nonzeros = moving.nonzeros;
  // Where the values sit decides which banks they hit: the delta's first value and on from there.
  const int64_t read_at = program_.parent_region_offset + RegionStart(parent.Tile(d_).box(), region, moved);
  const int64_t write_at = program_.region_offset + RegionStart(box, region, moved);
  const Cycle read_done = ScheduleCompressed(parent.core(), Access::kRead, start, read_at, moved, nonzeros,
                                             true, program_.parent);
  // The receivers' writes first: the slowest one holds the network (back-pressure). Members whose write
  // port is in the leader's state book exactly as the leader did.
  const bool child_compressed = compression_.compressed && compression_.child_compressed;
  StorageCore& leader = children.front()->core();
  const StorageCore::Calendar before = leader.calendar();
  const uint64_t leader_rows_before = leader.row_accesses();
  const Cycle leader_done = ScheduleCompressed(leader, Access::kFill, start, write_at, moved, nonzeros,
                                               child_compressed, program_.level);
  const StorageCore::Calendar after = leader.calendar();
  const auto rows = static_cast<int64_t>(leader.row_accesses() - leader_rows_before);
  Cycle written = std::max(start, leader_done);
  for (size_t k = 1; k < children.size(); ++k) {
    StorageCore& core = children[k]->core();
    if (core.bookings_copyable() && core.calendar() == before) {
      core.CopyBooking(after, Access::kFill, d_, moved, rows);
      if (child_compressed) {
        core.SparseSlot(SparseAction::kAbsent, Access::kFill, d_) += static_cast<uint64_t>(moved - nonzeros);
        core.MetadataSlot(Access::kFill, d_) += static_cast<uint64_t>(WordsMoved(moved, nonzeros) - nonzeros);
      }
      written = std::max(written, leader_done);
    } else {
      written = std::max(written, ScheduleCompressed(core, Access::kFill, start, write_at, moved, nonzeros,
                                                     child_compressed, program_.level));
    }
  }
  const Cycle network_done =
      network_.Fill(d_, static_cast<int>(g), start, WordsMoved(moved, nonzeros), written);
  Cycle ready = read_done;
  int cause = Cause(StallKind::kParentRead);
  // A network held up only by a slow receiver finishes with it: the receiver is the cause.
  if (written > ready) ready = written, cause = Cause(StallKind::kChildWrite);
  if (network_done > ready) ready = network_done, cause = Cause(StallKind::kNetwork);
  staged.ready = ready;
  staged.cause = cause;
  if (trace_) TraceTransfer(false, g, start, ready, moved);
}

// The group's other stores: the leader's version, psum members starting from zeros.
void FillEngine::StageCopies(size_t g, const StagedVersion& staged) {
  for (size_t k = 1; k < stores_[g].size(); ++k) {
    TileStore& store = *stores_[g][k];
    StagedVersion& copy = store.StagingSlot();
    copy.box = staged.box;
    copy.delta = staged.delta;
    copy.ready = staged.ready;
    copy.cause = staged.cause;
    copy.departure_taken = staged.departure_taken;
    // A spatial reduction group shares one read-back psum; only its first member starts from it, so
    // the reduced write-back adds the old value exactly once.
    if (program_.read_write)
      copy.values.assign(staged.values.size(), 0);
    else
      copy.values.assign(staged.values.begin(), staged.values.end());
    copy.fresh.assign(staged.fresh.begin(), staged.fresh.end());
    store.Stage();
  }
}

void FillEngine::CollectDepartures(const DataBox& box0, bool whole) {
  departures_.clear();
  for (size_t g = 0; g < children_.size(); ++g) {
    const DataBox box = g == 0 && !clip_ ? box0 : GroupBox(box0, g);
    const bool leaves_whole = whole || (clip_ && clip_delta_[g].kind == TileDelta::Kind::kWhole);
    for (StorageInstance* child : children_[g])
      departures_.push_back(child->Tile(d_).Depart(box, leaves_whole));
  }
  leaving_.clear();
  for (const Departure& departure : departures_) leaving_.push_back(&departure);
}

// The departures the stores kept at their last commit, written back where they are and then dropped.
// Nothing commits these stores meanwhile: every consumer has acquired the last version staged, and the
// next is staged only after this write-back.
void FillEngine::WriteBackStaged() {
  leaving_.clear();
  for (const auto& members : children_)
    for (StorageInstance* child : members) {
      const Departure* departure = child->Tile(d_).pending_departure();
      if (!departure && clip_) {  // imperfect factors: a group that has not worked yet has nothing to give
        static const Departure kNothingDeparted;
        leaving_.push_back(&kNothingDeparted);
        continue;
      }
      if (!departure) {  // nothing departed yet (first version) — all instances move together
        DropTaken();
        return;
      }
      leaving_.push_back(departure);
    }
  WriteBack();
  DropTaken();
}

// The first leaving_.size() members' pending departures are consumed.
void FillEngine::DropTaken() {
  size_t i = 0;
  for (const auto& members : children_)
    for (StorageInstance* child : members) {
      if (i++ >= leaving_.size()) break;
      child->Tile(d_).DropDeparture();
    }
  leaving_.clear();
}

void FillEngine::RecycleDepartures() {
  size_t i = 0;
  for (const auto& members : children_)
    for (StorageInstance* child : members) {
      if (i >= departures_.size()) break;
      child->Tile(d_).Recycle(std::move(departures_[i++]));
    }
  departures_.clear();
  leaving_.clear();
}

void FillEngine::WriteBack() {
  size_t base = 0;  // index of the group's leader in departures_
  for (size_t g = 0; g < children_.size(); base += children_[g].size(), ++g) {
    const std::vector<StorageInstance*>& members = children_[g];
    const Departure& first = *leaving_[base];
    StorageInstance& parent = *parent_of_[g];
    TileStore& target = parent.Tile(d_);
    int64_t written = 0, nonzero_written = 0;
    member_values_.clear(), member_fresh_.clear();
    for (size_t k = 0; k < members.size(); ++k) {
      member_values_.push_back(leaving_[base + k]->values.data());
      member_fresh_.push_back(leaving_[base + k]->fresh.data());
    }
    int64_t* to_values = target.values().data();
    uint8_t* to_fresh = target.fresh().data();
    const int psum_bits = layer_.psum_bits;
    // Value `index` of the departing tile, reduced over the group's members, into the parent's `to`.
    auto reduce = [&](int64_t index, int64_t to) {
      bool fresh = true;
      int64_t sum = 0;
      for (size_t k = 0; k < member_values_.size(); ++k) {
        sum += member_values_[k][index];
        fresh = fresh && member_fresh_[k][index];
      }
      if (fresh) return;  // never computed: nothing to write back
      to_values[to] = WrapToBits(sum, psum_bits);
      to_fresh[to] = 0;
      ++written;
      nonzero_written += to_values[to] != 0;
    };
    if (first.whole) {  // every value leaves: strided runs of the parent's layout
      ForEachGather(first.old_box, target.box(),
                    [&](int64_t from, int64_t step, int64_t index, int64_t length) {
                      for (int64_t j = 0; j < length; ++j) reduce(index + j, from + j * step);
                    });
    } else {
      ReduceStaying(first, target.box(), reduce);
    }
    if (written == 0) continue;
    // Psums written back into this level from below must have landed before they move further up.
    Cycle landed = 0;
    for (StorageInstance* child : members) landed = std::max(landed, child->Tile(d_).landed_at());
    clock_.WaitUntil(landed);
    const Cycle start = clock_.Now();
    const Cycle network_done =
        network_.WriteBack(d_, static_cast<int>(g), start, WordsMoved(written, nonzero_written));
    const int64_t update_at =
        program_.parent_region_offset + RegionStart(target.box(), first.old_box, written);
    const Cycle update_done = ScheduleCompressed(parent.core(), Access::kUpdate, start, update_at, written,
                                                 nonzero_written, true, program_.parent);
    target.SetLandedAt(std::max(network_done, update_done));
    if (trace_) TraceTransfer(true, g, start, std::max(network_done, update_done), written);
  }
  if (trace_) TraceFlush(true, 0);
}

void FillEngine::SetTrace(trace::TraceRecorder* recorder, const std::string& group_name) {
  trace_ = recorder;
  trace_span_ = {};
  if (!recorder) return;
  const int group = recorder->Group(group_name);
  const std::string& space = layer_.data_spaces[static_cast<size_t>(d_)];
  trace_fills_ = recorder->Track(group, name_);
  trace_fill_name_ = recorder->Name("fill " + space);
  if (program_.read_write) {
    trace_write_backs_ = recorder->Track(group, name_ + " write-back");
    trace_write_back_name_ = recorder->Name("write-back " + space);
  }
  trace_tile_words_ = recorder->Counter(group, "tile words", space);
  trace_fill_rate_ = recorder->Counter(group, "fill words/cycle", space);
}

void FillEngine::TraceTransfer(bool write_back, size_t g, Cycle begin, Cycle end, int64_t words) {
  if (!write_back && end > begin)
    trace_->AddToCounter(trace_fill_rate_, begin, end,
                         static_cast<double>(words) / static_cast<double>(end - begin));
  if (trace_->options().per_pe) {
    const int64_t members = static_cast<int64_t>(children_[g].size());
    trace_->Slice(write_back ? trace_write_backs_ : trace_fills_,
                  write_back ? trace_write_back_name_ : trace_fill_name_, begin, std::max(end, begin + 1),
                  {{"version", trace_version_},
                   {"group", static_cast<int64_t>(g)},
                   {"words", words},
                   {"members", members}});
    return;
  }
  TraceSpan& span = trace_span_;
  span.begin = span.groups ? std::min(span.begin, begin) : begin;
  span.end = std::max(span.end, std::max(end, begin + 1));
  span.words += words;
  ++span.groups;
}

// The version's fills (or the write-back round) as one slice, when they are not traced one by one.
void FillEngine::TraceFlush(bool write_back, int64_t tile_words) {
  TraceSpan& span = trace_span_;
  if (!write_back) trace_->SetCounter(trace_tile_words_, clock_.Now(), static_cast<double>(tile_words));
  if (span.groups > 0)
    trace_->Slice(write_back ? trace_write_backs_ : trace_fills_,
                  write_back ? trace_write_back_name_ : trace_fill_name_, span.begin, span.end,
                  {{"version", trace_version_}, {"groups", span.groups}, {"words", span.words}});
  span = {};
}

}  // namespace cyclops::models
