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

LevelController::LevelController(sc_core::sc_module_name name, LayerContext& context, int data_space, int level)
    : sc_core::sc_module(name),
      context_(context),
      d_(data_space),
      level_(level),
      parent_(context.plan->Parent(data_space, level)),
      read_write_(context.ReadWrite(data_space)),
      groups_(context.plan->Groups(data_space, level)) {
  SC_THREAD(Run);
}

void LevelController::AcquireParent(int64_t version) {
  LevelState& parent = context_.levels[parent_];
  waiting_for_ = "version " + std::to_string(version) + " of " + parent.boards[d_]->name();
  parent.boards[d_]->WaitPublished(version);
  // The outermost level holds its whole tensor from the start; every other level stages each version.
  if (parent_ != static_cast<int>(context_.levels.size()) - 1)
    for (TileBuffer& buffer : parent.buffers[d_]) buffer.Commit();
  parent.boards[d_]->Acquired(version);
}

void LevelController::ReleaseParent(int64_t version) { context_.levels[parent_].boards[d_]->Released(version); }

void LevelController::Run() {
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
    if (p >= first_moving) walked.push_back(p);
    else inner_stay *= nest.loops()[p].factor;
  }
  mapping::Odometer odometer(nest, walked);
  std::vector<std::vector<int64_t>> spatial_origin;
  for (int64_t i = 0; i < instances; ++i) spatial_origin.push_back(plan.SpatialOrigin(level_, i));
  std::vector<analysis::TileReuse> reuse(instances);
  std::vector<DataBox> boxes(instances), previous(instances);
  std::vector<TileDelta> deltas(instances);
  std::vector<int64_t> origin(nest.workload().dimensions.size());

  int64_t parent_version = 0;
  AcquireParent(0);
  int64_t version = -1;
  int position = static_cast<int>(nest.loops().size());  // the first step moves everything
  for (bool first = true;; first = false) {
    for (int64_t i = 0; i < instances; ++i) {
      for (size_t k = 0; k < origin.size(); ++k) origin[k] = odometer.origin()[k] + spatial_origin[i][k];
      boxes[i] = nest.Project(d_, origin, nest.TileExtent(level_));
      deltas[i] = reuse[i].Next(boxes[i]);
      if (inner_stay > 1) reuse[i].Stay();
    }
    const bool moved = first || position >= first_moving;
    if (moved) {
      ++version;
      const int64_t must_be_taken = version - context_.prefetch_depth;
      waiting_for_ = "consumers of " + board.name() + " to take version " + std::to_string(must_be_taken);
      board.WaitAllAcquired(must_be_taken);
      if (read_write_) WriteBackStaged();
      const bool parent_moves = !first && !parent_is_top && position >= parent_moving;
      // Read-write data must be written back before the level above moves on, and before a whole-tile
      // refill that overlaps the old tile reads values the consumers are still accumulating. Otherwise
      // the next version is fetched while the current one is in use.
      const bool refill_overlaps = deltas[0].kind == TileDelta::Kind::kWhole && !first &&
                                   Intersects(boxes[0], previous[0]);
      const bool drain_first = read_write_ && !first && (parent_moves || refill_overlaps);
      if (drain_first) {
        waiting_for_ = "consumers of " + board.name() + " to finish version " + std::to_string(version - 1);
        board.WaitAllReleased(version - 1);
        if (read_write_) {
          std::vector<Departure> departures;
          for (int64_t i = 0; i < instances; ++i)
            departures.push_back(self.buffers[d_][i].Depart(boxes[i], deltas[i].kind == TileDelta::Kind::kWhole));
          WriteBack(departures);
        }
      }
      if (parent_moves) {
        ReleaseParent(parent_version);
        AcquireParent(++parent_version);
      }
      Fill(version, boxes, deltas, drain_first);
      board.Publish(version);
      ++progress_;
      previous = boxes;
    }
    position = odometer.Advance();
    if (position < 0) break;
  }
  waiting_for_ = "consumers of " + board.name() + " to finish the last version";
  board.WaitAllReleased(version);
  if (read_write_) {
    WriteBackStaged();
    std::vector<Departure> departures;
    for (int64_t i = 0; i < instances; ++i) departures.push_back(self.buffers[d_][i].Depart(boxes[i], true));
    WriteBack(departures);
  }
  ReleaseParent(parent_version);
  waiting_for_ = "";
  finished_ = true;
}

void LevelController::Fill(int64_t version, const std::vector<DataBox>& boxes,
                           const std::vector<TileDelta>& deltas, bool departure_taken) {
  LevelState& self = context_.levels[level_];
  LevelState& parent = context_.levels[parent_];
  FanoutBus& bus = *self.buses[d_];
  for (const mapping::ChildGroup& group : groups_) {
    const int64_t leader = group.children.front();
    const TileDelta& delta = deltas[leader];
    TileBuffer& source = parent.buffers[d_][group.parent];
    StagedVersion staged;
    staged.box = boxes[leader];
    staged.delta = delta;
    staged.departure_taken = departure_taken;
    int64_t moved = 0;
    if (delta.kind != TileDelta::Kind::kNothing) {
      const DataBox& region = delta.kind == TileDelta::Kind::kPart ? delta.part : boxes[leader];
      staged.values.resize(region.Size());
      if (read_write_) staged.fresh.resize(region.Size());
      ForEachPoint(region, [&](const Point& point, int64_t index) {
        if (!Contains(source.box(), point))
          throw SimulationError(std::string(name()) + ": a tile of '" +
                                context_.plan->architecture().storage[level_].name + "' is not inside the tile of '" +
                                context_.plan->architecture().storage[parent_].name + "' it is filled from");
        const int64_t from = OffsetIn(source.box(), point);
        staged.values[index] = source.values()[from];
        if (read_write_) {
          staged.fresh[index] = source.fresh()[from];
          moved += source.fresh()[from] ? 0 : 1;
        }
      });
      if (!read_write_) moved = region.Size();
    }
    // Book the transfer when the values are there, so calendars are booked in time order.
    if (source.available_at() > models::Now()) waiting_for_ = "the tile of " + parent.boards[d_]->name();
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
      const Cycle bus_done = bus.Transfer(start, moved, static_cast<int64_t>(group.children.size()));
      ready = read_done;
      cause = context_.Cause(level_, d_, StallKind::kParentRead);
      if (bus_done > ready) ready = bus_done, cause = context_.Cause(level_, d_, StallKind::kBus);
      for (int64_t child : group.children) {
        const Cycle write_done = self.cores[child]->Schedule(Access::kFill, d_, start, write_at, moved);
        if (write_done > ready) ready = write_done, cause = context_.Cause(level_, d_, StallKind::kChildWrite);
      }
    }
    staged.ready = ready;
    staged.cause = cause;

    for (int64_t child : group.children) {
      StagedVersion copy = staged;
      // A spatial reduction group shares one read-back psum; only its first member starts from it, so
      // the reduced write-back adds the old value exactly once.
      if (read_write_ && child != leader) std::fill(copy.values.begin(), copy.values.end(), 0);
      self.buffers[d_][child].Stage(std::move(copy));
    }
  }
  (void)version;
}

void LevelController::WriteBackStaged() {
  LevelState& self = context_.levels[level_];
  std::vector<Departure> departures;
  for (TileBuffer& buffer : self.buffers[d_]) {
    std::optional<Departure> departure = buffer.TakeDeparture();
    if (!departure) return;  // nothing departed yet (first version) — all instances move together
    departures.push_back(std::move(*departure));
  }
  WriteBack(departures);
}

void LevelController::WriteBack(const std::vector<Departure>& departures) {
  LevelState& self = context_.levels[level_];
  LevelState& parent = context_.levels[parent_];
  FanoutBus& bus = *self.buses[d_];
  for (const mapping::ChildGroup& group : groups_) {
    const Departure& first = departures[group.children.front()];
    TileBuffer& target = parent.buffers[d_][group.parent];
    int64_t written = 0;
    ForEachPoint(first.old_box, [&](const Point& point, int64_t index) {
      if (!first.whole && Contains(first.kept_box, point)) return;
      bool fresh = true;
      int64_t sum = 0;
      for (int64_t child : group.children) {
        sum += departures[child].values[index];
        fresh = fresh && departures[child].fresh[index];
      }
      if (fresh) return;  // never computed: nothing to write back
      const int64_t to = OffsetIn(target.box(), point);
      target.values()[to] = mapping::WrapToBits(sum, context_.psum_bits);
      target.fresh()[to] = 0;
      ++written;
    });
    if (written == 0) continue;
    // Psums written back into this level from below must have landed before they move further up.
    Cycle landed = 0;
    for (int64_t child : group.children) landed = std::max(landed, self.buffers[d_][child].landed_at());
    models::WaitUntil(landed);
    const Cycle start = models::Now();
    const Cycle bus_done = bus.Transfer(start, written, 1);
    const int64_t update_at = parent.offset[d_] + RegionStart(target.box(), first.old_box, written);
    const Cycle update_done = parent.cores[group.parent]->Schedule(Access::kUpdate, d_, start, update_at, written);
    target.SetLandedAt(std::max(bus_done, update_done));
  }
}

}  // namespace cyclops::top
