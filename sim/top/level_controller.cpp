#include "sim/top/level_controller.h"

#include <algorithm>

#include "models/common/cycle_time.h"
#include "sim/core/error.h"

namespace cyclops::top {

namespace {
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
}  // namespace

using analysis::TileDelta;
using models::Access;
using models::Cycle;

LevelController::LevelController(sc_core::sc_module_name name, LayerContext& context, int data_space,
                                 int level)
    : sc_core::sc_module(name),
      context_(context),
      d_(data_space),
      level_(level),
      parent_(context.plan->Parent(data_space, level)),
      read_write_(context.ReadWrite(data_space)),
      groups_(context.plan->Groups(data_space, level)) {
  SC_THREAD(Run);
}

std::string LevelController::WaitingFor() const {
  const std::string& own = context_.levels[level_].boards[d_]->name();
  const std::string& above = context_.levels[parent_].boards[d_]->name();
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

void LevelController::AcquireParent(int64_t version) {
  LevelState& parent = context_.levels[parent_];
  waiting_for_ = Wait::kParentVersion, waiting_version_ = version;
  parent.boards[d_]->WaitPublished(version);
  // The outermost level holds its whole tensor from the start; every other level stages each version.
  if (parent_ != static_cast<int>(context_.levels.size()) - 1)
    for (TileBuffer& buffer : parent.buffers[d_]) buffer.Commit();
  parent.boards[d_]->Acquired(version);
}

void LevelController::ReleaseParent(int64_t version) {
  context_.levels[parent_].boards[d_]->Released(version);
}

void LevelController::Run() {
  try {
    Walk();
  } catch (...) {
    if (!context_.failure) context_.failure = std::current_exception();
    sc_core::sc_stop();
  }
}

void LevelController::Walk() {
  const mapping::LayerPlan& plan = *context_.plan;
  const analysis::LoopNest& nest = plan.nest();
  LevelState& self = context_.levels[level_];
  VersionBoard& board = *self.boards[d_];
  const int64_t instances = plan.Instances(level_);
  const int first_moving = plan.FirstMovingLoop(d_, level_);
  const int parent_moving = plan.FirstMovingLoop(d_, parent_);
  const bool parent_is_top = parent_ == static_cast<int>(context_.levels.size()) - 1;

  // Loops inside the first moving one leave the tile in place: they only add a "stay" to the reuse
  // state after every step, which is what makes Timeloop refill a halo after such a loop.
  std::vector<int> walked;
  int64_t inner_stay = 1;
  for (int p : plan.TemporalLoopsAbove(level_)) {
    if (p >= first_moving)
      walked.push_back(p);
    else
      inner_stay *= nest.loops()[p].factor;
  }
  mapping::Odometer odometer(nest, walked);
  // Projection is linear: an instance's tile is the temporal origin's tile moved by its spatial offset.
  const std::vector<int64_t> unit(nest.workload().dimensions.size(), 1);
  std::vector<DataBox> spatial_shift;
  for (int64_t i = 0; i < instances; ++i)
    spatial_shift.push_back(nest.Project(d_, plan.SpatialOrigin(level_, i), unit));
  std::vector<analysis::TileReuse> reuse(instances);
  std::vector<DataBox> boxes(instances);
  DataBox previous;  // instance 0's tile of the previous version (all instances move together)
  std::vector<TileDelta> deltas(instances);

  int64_t parent_version = 0;
  AcquireParent(0);
  int64_t version = -1;
  int position = static_cast<int>(nest.loops().size());  // the first step moves everything
  for (bool first = true;; first = false) {
    const DataBox temporal = nest.Project(d_, odometer.origin(), nest.TileExtent(level_));
    for (int64_t i = 0; i < instances; ++i) {
      boxes[i] = temporal;
      for (int r = 0; r < temporal.ranks; ++r) {
        boxes[i].low[r] += spatial_shift[i].low[r];
        boxes[i].high[r] += spatial_shift[i].low[r];
      }
      deltas[i] = reuse[i].Next(boxes[i]);
      if (inner_stay > 1) reuse[i].Stay();
    }
    const bool moved = first || position >= first_moving;
    if (moved) {
      ++version;
      const int64_t must_be_taken = version - context_.prefetch_depth;
      waiting_for_ = Wait::kConsumersTake, waiting_version_ = must_be_taken;
      board.WaitAllAcquired(must_be_taken);
      if (read_write_) WriteBackStaged();
      const bool parent_moves = !first && !parent_is_top && position >= parent_moving;
      // Read-write data must be written back before the level above moves on, and before a whole-tile
      // refill that overlaps the old tile reads values the consumers are still accumulating. Otherwise
      // the next version is fetched while the current one is in use.
      const bool refill_overlaps =
          deltas[0].kind == TileDelta::Kind::kWhole && !first && Intersects(boxes[0], previous);
      const bool drain_first = read_write_ && !first && (parent_moves || refill_overlaps);
      if (drain_first) {
        waiting_for_ = Wait::kConsumersFinish, waiting_version_ = version - 1;
        board.WaitAllReleased(version - 1);
        if (read_write_) {
          departures_.clear();
          for (int64_t i = 0; i < instances; ++i)
            departures_.push_back(
                self.buffers[d_][i].Depart(boxes[i], deltas[i].kind == TileDelta::Kind::kWhole));
          WriteBack(departures_);
          RecycleDepartures();
        }
      }
      if (parent_moves) {
        ReleaseParent(parent_version);
        AcquireParent(++parent_version);
      }
      Fill(boxes, deltas, drain_first);
      board.Publish(version);
      ++progress_;
      previous = boxes[0];
    }
    position = odometer.Advance();
    if (position < 0) break;
  }
  waiting_for_ = Wait::kLastVersion;
  board.WaitAllReleased(version);
  if (read_write_) {
    WriteBackStaged();
    departures_.clear();
    for (int64_t i = 0; i < instances; ++i) departures_.push_back(self.buffers[d_][i].Depart(boxes[i], true));
    WriteBack(departures_);
    RecycleDepartures();
  }
  ReleaseParent(parent_version);
  waiting_for_ = Wait::kNone;
  finished_ = true;
}

void LevelController::Fill(const std::vector<DataBox>& boxes, const std::vector<TileDelta>& deltas,
                           bool departure_taken) {
  LevelState& self = context_.levels[level_];
  LevelState& parent = context_.levels[parent_];
  FanoutNetwork& network = *self.networks[d_];
  for (size_t g = 0; g < groups_.size(); ++g) {
    const mapping::ChildGroup& group = groups_[g];
    const int64_t leader = group.children.front();
    const TileDelta& delta = deltas[leader];
    TileBuffer& source = parent.buffers[d_][group.parent];
    // The leader's staged storage receives the values; the other members get copies (storage reused
    // from their earlier versions, so nothing is allocated per version).
    TileBuffer& first = self.buffers[d_][leader];
    StagedVersion& staged = first.StagingSlot();
    staged.box = boxes[leader];
    staged.delta = delta;
    staged.departure_taken = departure_taken;
    staged.values.clear();
    staged.fresh.clear();
    int64_t moved = 0;
    if (delta.kind != TileDelta::Kind::kNothing) {
      const DataBox& region = delta.kind == TileDelta::Kind::kPart ? delta.part : boxes[leader];
      staged.values.resize(region.Size());
      if (read_write_) staged.fresh.resize(region.Size());
      if (region.ranks == 0) {  // no runs to copy: the values stay zero
        std::fill(staged.values.begin(), staged.values.end(), 0);
        std::fill(staged.fresh.begin(), staged.fresh.end(), 0);
      }
      ForEachRun(region, [&](const Point& point, int64_t index, int64_t length) {
        Point end = point;
        end[region.ranks - 1] += length - 1;
        if (!Contains(source.box(), point) || !Contains(source.box(), end))
          throw SimulationError(std::string(name()) + ": a tile of '" +
                                context_.plan->architecture().storage[level_].name +
                                "' is not inside the tile of '" +
                                context_.plan->architecture().storage[parent_].name + "' it is filled from");
        const int64_t from = OffsetIn(source.box(), point);
        std::copy_n(source.values().begin() + from, length, staged.values.begin() + index);
        if (read_write_) {
          const auto fresh = source.fresh().begin() + from;
          std::copy_n(fresh, length, staged.fresh.begin() + index);
          moved += std::count(fresh, fresh + length, uint8_t{0});  // values some level already wrote
        }
      });
      if (!read_write_) moved = region.Size();
    }
    // Book the transfer when the values are there, so calendars are booked in time order.
    if (source.available_at() > models::Now()) waiting_for_ = Wait::kParentTile;
    models::WaitUntil(source.available_at());
    const Cycle start = models::Now();
    Cycle ready = start;
    int cause = context_.Cause(level_, d_, StallKind::kParentTile);
    if (moved > 0) {
      // Where the values sit decides which banks they hit: the delta's first value and on from there.
      const DataBox& region = delta.kind == TileDelta::Kind::kPart ? delta.part : boxes[leader];
      const int64_t read_at = parent.offset[d_] + RegionStart(source.box(), region, moved);
      const int64_t write_at = self.offset[d_] + RegionStart(boxes[leader], region, moved);
      const Cycle read_done = parent.cores[group.parent]->Schedule(Access::kRead, d_, start, read_at, moved);
      // The receivers' writes first: the slowest one holds the network (back-pressure).
      Cycle written = start;
      for (int64_t child : group.children)
        written = std::max(written, self.cores[child]->Schedule(Access::kFill, d_, start, write_at, moved));
      const Cycle network_done = network.Fill(start, moved, static_cast<int>(g), written);
      ready = read_done;
      cause = context_.Cause(level_, d_, StallKind::kParentRead);
      // A network held up only by a slow receiver finishes with it: the receiver is the cause.
      if (written > ready) ready = written, cause = context_.Cause(level_, d_, StallKind::kChildWrite);
      if (network_done > ready) ready = network_done, cause = context_.Cause(level_, d_, StallKind::kNetwork);
    }
    staged.ready = ready;
    staged.cause = cause;

    for (size_t k = 1; k < group.children.size(); ++k) {
      TileBuffer& buffer = self.buffers[d_][group.children[k]];
      StagedVersion& copy = buffer.StagingSlot();
      copy.box = staged.box;
      copy.delta = staged.delta;
      copy.ready = staged.ready;
      copy.cause = staged.cause;
      copy.departure_taken = staged.departure_taken;
      // A spatial reduction group shares one read-back psum; only its first member starts from it, so
      // the reduced write-back adds the old value exactly once.
      if (read_write_)
        copy.values.assign(staged.values.size(), 0);
      else
        copy.values.assign(staged.values.begin(), staged.values.end());
      copy.fresh.assign(staged.fresh.begin(), staged.fresh.end());
      buffer.Stage();
    }
    first.Stage();
  }
}

void LevelController::WriteBackStaged() {
  LevelState& self = context_.levels[level_];
  departures_.clear();
  for (TileBuffer& buffer : self.buffers[d_]) {
    std::optional<Departure> departure = buffer.TakeDeparture();
    if (!departure) {  // nothing departed yet (first version) — all instances move together
      RecycleDepartures();
      return;
    }
    departures_.push_back(std::move(*departure));
  }
  WriteBack(departures_);
  RecycleDepartures();
}

void LevelController::RecycleDepartures() {
  std::vector<TileBuffer>& buffers = context_.levels[level_].buffers[d_];
  for (size_t i = 0; i < departures_.size(); ++i) buffers[i].Recycle(std::move(departures_[i]));
  departures_.clear();
}

void LevelController::WriteBack(const std::vector<Departure>& departures) {
  LevelState& self = context_.levels[level_];
  LevelState& parent = context_.levels[parent_];
  FanoutNetwork& network = *self.networks[d_];
  for (size_t g = 0; g < groups_.size(); ++g) {
    const mapping::ChildGroup& group = groups_[g];
    const Departure& first = departures[group.children.front()];
    TileBuffer& target = parent.buffers[d_][group.parent];
    int64_t written = 0;
    const DataBox& kept = first.kept_box;
    ForEachRun(first.old_box, [&](const Point& point, int64_t index, int64_t length) {
      // The run's values that stay in the moved tile, as [stay_from, stay_to) (none when it leaves whole).
      int64_t stay_from = length, stay_to = length;
      if (!first.whole) {
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
      }
      const int64_t to_base = OffsetIn(target.box(), point);
      for (int64_t j = 0; j < length; ++j) {
        if (j >= stay_from && j < stay_to) continue;
        bool fresh = true;
        int64_t sum = 0;
        for (int64_t child : group.children) {
          sum += departures[child].values[index + j];
          fresh = fresh && departures[child].fresh[index + j];
        }
        if (fresh) continue;  // never computed: nothing to write back
        target.values()[to_base + j] = mapping::WrapToBits(sum, context_.psum_bits);
        target.fresh()[to_base + j] = 0;
        ++written;
      }
    });
    if (written == 0) continue;
    // Psums written back into this level from below must have landed before they move further up.
    Cycle landed = 0;
    for (int64_t child : group.children) landed = std::max(landed, self.buffers[d_][child].landed_at());
    models::WaitUntil(landed);
    const Cycle start = models::Now();
    const Cycle network_done = network.WriteBack(start, written, static_cast<int>(g));
    const int64_t update_at = parent.offset[d_] + RegionStart(target.box(), first.old_box, written);
    const Cycle update_done =
        parent.cores[group.parent]->Schedule(Access::kUpdate, d_, start, update_at, written);
    target.SetLandedAt(std::max(network_done, update_done));
  }
}

}  // namespace cyclops::top
