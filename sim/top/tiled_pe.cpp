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
  stall_cycles_.assign(
      context.levels.size() * context.plan->num_data_spaces() * static_cast<size_t>(StallKind::kCount) + 1,
      0);
  SC_THREAD(Run);
}

std::string TiledPe::WaitingFor() const {
  if (waiting_for_ == -2) return "not started";
  if (waiting_for_ < 0) return "";
  const VersionBoard& board = *context_.levels[program_.operand_level[waiting_for_]].boards[waiting_for_];
  return "version " + std::to_string(waiting_version_) + " of " + board.name();
}

void TiledPe::PrepareSteps() {
  const mapping::LayerPlan& plan = *context_.plan;
  const analysis::LoopNest& nest = plan.nest();
  steps_.resize(plan.num_data_spaces());
  weights_.assign(plan.num_data_spaces(), std::vector<int64_t>(plan.workload().dimensions.size(), 0));
  rank_stride_.resize(plan.num_data_spaces());
  for (int d = 0; d < plan.num_data_spaces(); ++d) {
    const DataBox& box = context_.levels[program_.operand_level[d]].buffers[d][level_instance_[d]].box();
    std::vector<int64_t> rank_stride(box.ranks, 1);
    for (int r = box.ranks - 1; r > 0; --r)
      rank_stride[r - 1] = rank_stride[r] * (box.high[r] - box.low[r] + 1);
    const auto& projection = plan.workload().data_spaces[d].projection;
    for (size_t r = 0; r < projection.size(); ++r)
      for (const spec::ProjectionTerm& term : projection[r])
        weights_[d][term.dimension] += plan.workload().Coefficient(term) * rank_stride[r];
    rank_stride_[d] = rank_stride;
    for (int p : program_.burst) {
      const analysis::Loop& loop = nest.loops()[p];
      int64_t step = 0;
      for (size_t r = 0; r < projection.size(); ++r)
        for (const spec::ProjectionTerm& term : projection[r])
          if (term.dimension == loop.dimension)
            step += plan.workload().Coefficient(term) * loop.stride * rank_stride[r];
      steps_[d].push_back(step);
    }
  }
  // The MACs of a burst are one event and integer psums sum exactly in any order, so the burst loops run
  // in the order that suits the tight loop: innermost the longest loop, preferring one that leaves the
  // psum in place (it then accumulates in a register).
  const int result = context_.roles.result;
  std::vector<size_t> order(program_.burst.size());
  for (size_t l = 0; l < order.size(); ++l) order[l] = l;
  auto score = [&](size_t l) {
    return nest.loops()[program_.burst[l]].factor * (steps_[result][l] == 0 ? 2 : 1);
  };
  if (!order.empty()) {
    const auto best =
        std::max_element(order.begin(), order.end(), [&](size_t x, size_t y) { return score(x) < score(y); });
    std::rotate(order.begin(), best, best + 1);
  }
  for (std::vector<int64_t>& steps : steps_) {
    std::vector<int64_t> reordered;
    for (size_t l : order) reordered.push_back(steps[l]);
    steps = reordered;
  }
  for (size_t l : order) burst_factor_.push_back(nest.loops()[program_.burst[l]].factor);
  // The operands' reads and the psum updates are counted by the storage instances they hit.
  auto counter = [&](int d, models::Access access) {
    return &context_.levels[program_.operand_level[d]].cores[level_instance_[d]]->counter(access, d);
  };
  const mapping::OperandRoles& roles = context_.roles;
  counters_ = {counter(roles.first, models::Access::kRead), counter(roles.second, models::Access::kRead),
               counter(roles.result, models::Access::kUpdate), counter(roles.result, models::Access::kRead)};
}

void TiledPe::Run() {
  const mapping::LayerPlan& plan = *context_.plan;
  const int data_spaces = plan.num_data_spaces();
  mapping::Odometer odometer(plan.nest(), program_.outer);
  std::vector<int64_t> version(data_spaces, -1);
  origin_.assign(spatial_origin_.size(), 0);
  burst_index_.assign(program_.burst.size(), 0);
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
      waiting_for_ = d, waiting_version_ = version[d];
      board.WaitPublished(version[d]);
      if (models::Now() > published_at)
        published_at = models::Now(), publish_cause = context_.Cause(level_index, d, StallKind::kParentTile);
      // The outermost level holds its whole tensor from the start: nothing is ever staged there.
      if (level_index != static_cast<int>(context_.levels.size()) - 1)
        level.buffers[d][level_instance_[d]].Commit();
      board.Acquired(version[d]);
    }
    Cycle ready = published_at;
    int cause = publish_cause;
    for (int d = 0; d < data_spaces; ++d) {
      const TileBuffer& buffer = context_.levels[program_.operand_level[d]].buffers[d][level_instance_[d]];
      if (buffer.available_at() > ready) ready = buffer.available_at(), cause = buffer.ready_cause();
    }
    if (ready > idle_from) stall_cycles_[first ? FillCause() : cause] += ready - idle_from;
    for (size_t k = 0; k < origin_.size(); ++k) origin_[k] = odometer.origin()[k] + spatial_origin_[k];
    waiting_for_ = -1;
    RunBurst();
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
  waiting_for_ = -1;
  finished_ = true;
}

void TiledPe::RunBurst() {
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
    const DataBox& box = buffer.box();
    int64_t base = 0;
    for (size_t k = 0; k < origin_.size(); ++k) base += origin_[k] * weights_[d][k];
    for (int r = 0; r < box.ranks; ++r) base -= box.low[r] * rank_stride_[d][r];
    return Operand{&buffer, base, steps_[d]};
  };
  Operand a = operand(roles.first), b = operand(roles.second), out = operand(roles.result);
  const int64_t* av = a.buffer->values().data();
  const int64_t* bv = b.buffer->values().data();
  int64_t* ov = out.buffer->values().data();
  uint8_t* fresh = out.buffer->fresh().data();
  int64_t first_touches = 0;
  // Odometer over the burst loops, innermost as the tight loop.
  const size_t loops = program_.burst.size();
  std::vector<int64_t>& index = burst_index_;
  int64_t ai = a.base, bi = b.base, oi = out.base;
  const int64_t inner = loops ? burst_factor_[0] : 1;
  const int64_t as = loops ? a.step[0] : 0, bs = loops ? b.step[0] : 0, os = loops ? out.step[0] : 0;
  while (true) {
    if (os == 0) {  // a reduction loop: one psum takes the whole run (integer sums: the order is exact)
      int64_t sum = 0;
      for (int64_t i = 0; i < inner; ++i) sum += av[ai + i * as] * bv[bi + i * bs];
      first_touches += fresh[oi];
      fresh[oi] = 0;
      ov[oi] += sum;
    } else {
      for (int64_t i = 0; i < inner; ++i) {
        const int64_t o = oi + i * os;
        first_touches += fresh[o];
        fresh[o] = 0;
        ov[o] += av[ai + i * as] * bv[bi + i * bs];
      }
    }
    size_t l = 1;
    for (; l < loops; ++l) {
      ai += a.step[l], bi += b.step[l], oi += out.step[l];
      if (++index[l] < burst_factor_[l]) break;
      ai -= a.step[l] * index[l], bi -= b.step[l] * index[l], oi -= out.step[l] * index[l];
      index[l] = 0;
    }
    if (l >= loops) break;
  }
  const uint64_t macs = static_cast<uint64_t>(program_.burst_macs);
  counters_.first_reads->Add(macs);
  counters_.second_reads->Add(macs);
  counters_.result_updates->Add(macs);
  counters_.result_reads->Add(macs - first_touches);
}

}  // namespace cyclops::top
