#include "sim/top/tiled_pe.h"

#include <algorithm>

#include "models/common/cycle_time.h"

namespace cyclops::top {

using models::Cycle;

TiledPe::TiledPe(sc_core::sc_module_name name, LayerContext& context, const mapping::PeProgram& program,
                 int64_t instance, models::MacConfig mac)
    : sc_core::sc_module(name),
      context_(context),
      program_(program),
      instance_(instance),
      mac_(mac),
      spatial_origin_(context.plan->SpatialOrigin(-1, instance)) {
  for (int d = 0; d < context.plan->num_data_spaces(); ++d)
    level_instance_.push_back(context.plan->Ancestor(-1, instance, program.operand_level[d]));
  // One slot per (level, data space, stall kind), and a last one for the pipeline fill.
  stall_cycles_.assign(context.levels.size() * context.plan->num_data_spaces() *
                               static_cast<size_t>(StallKind::kCount) + 1,
                       0);
  SC_THREAD(Run);
}

void TiledPe::PrepareSteps() {
  const mapping::LayerPlan& plan = *context_.plan;
  const analysis::LoopNest& nest = plan.nest();
  unit_extent_.assign(plan.workload().dimensions.size(), 1);
  steps_.resize(plan.num_data_spaces());
  for (int d = 0; d < plan.num_data_spaces(); ++d) {
    const DataBox& box = context_.levels[program_.operand_level[d]].buffers[d][level_instance_[d]].box();
    std::vector<int64_t> rank_stride(box.ranks, 1);
    for (int r = box.ranks - 1; r > 0; --r) rank_stride[r - 1] = rank_stride[r] * (box.high[r] - box.low[r] + 1);
    const auto& projection = plan.workload().data_spaces[d].projection;
    for (int p : program_.burst) {
      const analysis::Loop& loop = nest.loops()[p];
      int64_t step = 0;
      for (size_t r = 0; r < projection.size(); ++r)
        for (const spec::ProjectionTerm& term : projection[r])
          if (term.dimension == loop.dimension) step += plan.workload().Coefficient(term) * loop.stride * rank_stride[r];
      steps_[d].push_back(step);
    }
  }
}

void TiledPe::Run() {
  const mapping::LayerPlan& plan = *context_.plan;
  const int data_spaces = plan.num_data_spaces();
  mapping::Odometer odometer(plan.nest(), program_.outer);
  std::vector<int64_t> version(data_spaces, -1);
  std::vector<int64_t> origin(spatial_origin_.size());
  std::vector<int64_t> index(program_.burst.size());
  int position = static_cast<int>(plan.nest().loops().size());
  for (bool first = true;; first = false) {
    // From here the PE could issue; whatever delays it is a stall, charged to what arrived last.
    const Cycle idle_from = std::max(models::Now(), mac_.next_issue());
    Cycle published_at = idle_from;
    int publish_cause = -1;
    for (int d = 0; d < data_spaces; ++d) {
      if (!first && position < program_.acquire_at[d]) continue;
      const int level_index = program_.operand_level[d];
      LevelState& level = context_.levels[level_index];
      VersionBoard& board = *level.boards[d];
      if (version[d] >= 0) board.Released(version[d]);
      ++version[d];
      waiting_for_ = "version " + std::to_string(version[d]) + " of " + board.name();
      board.WaitPublished(version[d]);
      if (models::Now() > published_at)
        published_at = models::Now(), publish_cause = context_.Cause(level_index, d, StallKind::kParentTile);
      // The outermost level holds its whole tensor from the start: nothing is ever staged there.
      if (level_index != static_cast<int>(context_.levels.size()) - 1) level.buffers[d][level_instance_[d]].Commit();
      board.Acquired(version[d]);
    }
    Cycle ready = published_at;
    int cause = publish_cause;
    for (int d = 0; d < data_spaces; ++d) {
      const TileBuffer& buffer = context_.levels[program_.operand_level[d]].buffers[d][level_instance_[d]];
      if (buffer.available_at() > ready) ready = buffer.available_at(), cause = buffer.ready_cause();
    }
    if (ready > idle_from) stall_cycles_[first ? FillCause() : cause] += ready - idle_from;
    for (size_t k = 0; k < origin.size(); ++k) origin[k] = odometer.origin()[k] + spatial_origin_[k];
    waiting_for_ = "";
    RunBurst(origin);
    const Cycle start = std::max(ready, mac_.next_issue());
    mac_.ScheduleBurst(start, program_.burst_macs);
    mac_.CountMacs(program_.burst_macs);
    busy_cycles_ += program_.burst_macs;
    ++progress_;
    models::WaitUntil(start + program_.burst_macs);
    position = odometer.Advance();
    if (position < 0) break;
  }
  for (int d = 0; d < data_spaces; ++d)
    context_.levels[program_.operand_level[d]].boards[d]->Released(version[d]);
  finished_at_ = models::Now() + mac_.config().pipeline_latency - 1;
  waiting_for_ = "";
  finished_ = true;
}

void TiledPe::RunBurst(const std::vector<int64_t>& origin) {
  const mapping::LayerPlan& plan = *context_.plan;
  const analysis::LoopNest& nest = plan.nest();
  const mapping::OperandRoles& roles = context_.roles;
  if (steps_.empty()) PrepareSteps();
  // Per operand: the tile it is read from, the address of the burst's first MAC, and how each burst loop
  // moves it (precomputed: every version of a level's tile has the same shape).
  struct Operand {
    TileBuffer* buffer;
    int64_t base;
    const std::vector<int64_t>& step;
  };
  auto operand = [&](int d) {
    TileBuffer& buffer = context_.levels[program_.operand_level[d]].buffers[d][level_instance_[d]];
    const DataBox at = nest.Project(d, origin, unit_extent_);
    Point point{};
    for (int r = 0; r < at.ranks; ++r) point[r] = at.low[r];
    return Operand{&buffer, OffsetIn(buffer.box(), point), steps_[d]};
  };
  Operand a = operand(roles.first), b = operand(roles.second), out = operand(roles.result);
  const int64_t* av = a.buffer->values().data();
  const int64_t* bv = b.buffer->values().data();
  int64_t* ov = out.buffer->values().data();
  uint8_t* fresh = out.buffer->fresh().data();
  int64_t first_touches = 0;
  // Odometer over the burst loops, innermost as the tight loop.
  const size_t loops = program_.burst.size();
  std::vector<int64_t> index(loops, 0);
  int64_t ai = a.base, bi = b.base, oi = out.base;
  const int64_t inner = loops ? nest.loops()[program_.burst[0]].factor : 1;
  const int64_t as = loops ? a.step[0] : 0, bs = loops ? b.step[0] : 0, os = loops ? out.step[0] : 0;
  while (true) {
    for (int64_t i = 0; i < inner; ++i) {
      const int64_t o = oi + i * os;
      first_touches += fresh[o];
      fresh[o] = 0;
      ov[o] += av[ai + i * as] * bv[bi + i * bs];
    }
    size_t l = 1;
    for (; l < loops; ++l) {
      ai += a.step[l], bi += b.step[l], oi += out.step[l];
      if (++index[l] < nest.loops()[program_.burst[l]].factor) break;
      ai -= a.step[l] * index[l], bi -= b.step[l] * index[l], oi -= out.step[l] * index[l];
      index[l] = 0;
    }
    if (l >= loops) break;
  }
  const uint64_t macs = static_cast<uint64_t>(program_.burst_macs);
  auto core = [&](int d) { return context_.levels[program_.operand_level[d]].cores[level_instance_[d]].get(); };
  core(roles.first)->CountWithoutTiming(models::Access::kRead, roles.first, macs);
  core(roles.second)->CountWithoutTiming(models::Access::kRead, roles.second, macs);
  core(roles.result)->CountWithoutTiming(models::Access::kUpdate, roles.result, macs);
  core(roles.result)->CountWithoutTiming(models::Access::kRead, roles.result, macs - first_touches);
}

}  // namespace cyclops::top
