#include "models/pe/pe_cluster.h"

#include <algorithm>
#include <cmath>

#include "sim/trace/trace_recorder.h"

namespace cyclops::models {

StorageInstance& Pe::AddPrivate(int level, const std::string& level_name, StorageConfig config) {
  private_.push_back(std::make_unique<StorageInstance>(name_ + "." + level_name, level, std::move(config)));
  return *private_.back();
}

PeCluster::PeCluster(sc_core::sc_module_name name, int64_t pes, MacConfig mac, const LayerClock& clock,
                     const std::vector<BlockSpec>& blocks)
    : sc_core::sc_module(name), levels("levels"), clock_(clock) {
  for (const BlockSpec& block : blocks)
    blocks_.push_back(std::make_unique<StorageBlock>(block.name.c_str(), block.level, block.config));
  for (int64_t i = 0; i < pes; ++i)
    pes_.push_back(std::make_unique<Pe>(std::string(this->name()) + ".pe[" + std::to_string(i) + "]", mac));
}

void PeCluster::Load(const mapping::LayerProgram& layer, std::vector<std::pair<int64_t, size_t>> assigned) {
  layer_ = &layer;
  slots_.clear();
  paced_.clear();
  sparsity_.reset();
  sparse_counters_.clear();
  const int data_spaces = static_cast<int>(layer.data_spaces.size());
  const int causes = StallCauses(layer.levels(), data_spaces);
  const mapping::OperandRoles& roles = layer.roles;
  for (const auto& [local, index] : assigned) {
    const mapping::PeAssignment& assignment = layer.pes[index];
    Slot slot;
    slot.local = local;
    slot.pe = pes_[static_cast<size_t>(local)].get();
    slot.pe->mac().Reset();
    for (int d = 0; d < data_spaces; ++d) {
      StorageInstance& instance = levels[layer.pe.operand_level[d]]->Instance(assignment.operand_instance[d]);
      slot.instance.push_back(&instance);
      slot.store.push_back(&instance.Copy(d, assignment.operand_copy[d]));
      int64_t base = 0;
      for (size_t k = 0; k < assignment.spatial_origin.size(); ++k)
        base += assignment.spatial_origin[k] * layer.pe.weights[d][k];
      slot.spatial_base.push_back(base);
    }
    slot.tile_version.assign(static_cast<size_t>(data_spaces), -2);
    slot.ops.assign(static_cast<size_t>(data_spaces), {});
    slot.stalls.assign(static_cast<size_t>(causes), 0);
    // The operands' reads and the psum updates are counted by the storage instances they hit, once per
    // MAC group sharing a value (its leader counts; the others' counts go nowhere).
    auto counter = [&](int d, Access access) {
      return assignment.counts_accesses[d] ? &slot.instance[d]->core().Slot(access, d) : &uncounted_;
    };
    slot.result_leader = assignment.counts_accesses[roles.result] != 0;
    slot.spatial_origin = &assignment.spatial_origin;
    PlanPacing(layer, assignment, slot);
    slot.first_reads = counter(roles.first, Access::kRead);
    slot.second_reads = counter(roles.second, Access::kRead);
    slot.result_updates = counter(roles.result, Access::kUpdate);
    slot.result_reads = counter(roles.result, Access::kRead);
    slots_.push_back(std::move(slot));
  }
  burst_index_.assign(layer.pe.burst_factors.size(), 0);
  dense_burst_ = DenseBurst(layer.pe.burst_factors, layer.pe.burst_steps[roles.first],
                            layer.pe.burst_steps[roles.second], layer.pe.burst_steps[roles.result]);
  full_shape_.clear();
  for (int d = 0; layer.imperfect && d < data_spaces; ++d) {
    const analysis::DataBox box = layer.nest->Project(d, layer.nest->TileExtent(layer.pe.operand_level[d]));
    full_shape_.emplace_back();
    for (int r = 0; r < box.ranks; ++r) full_shape_.back().push_back(box.high[r] - box.low[r] + 1);
  }
  temporal_base_.assign(static_cast<size_t>(data_spaces), 0);
  progress_ = 0;
  waiting_for_ = -2;
  finished_ = false;
}

std::string PeCluster::WaitingFor() const {
  if (finished_ || slots_.empty()) return "";
  if (waiting_for_ == -2) return "not started";
  if (waiting_for_ < 0) return "";
  const int level = layer_->pe.operand_level[waiting_for_];
  const TileBoard* board = const_cast<PeCluster*>(this)->levels[level]->Board(waiting_for_);
  return "version " + std::to_string(waiting_version_) + " of " + board->name();
}

void PeCluster::Run() {
  const mapping::LayerProgram& layer = *layer_;
  const mapping::PeProgram& program = layer.pe;
  const int data_spaces = static_cast<int>(layer.data_spaces.size());
  const int top = layer.levels() - 1;
  const int fill_cause = FillStallCause(layer.levels(), data_spaces);
  const int64_t count = static_cast<int64_t>(slots_.size());
  const Cycle burst = program.burst_macs;
  mapping::Odometer odometer(*layer.nest, program.outer);
  std::vector<int64_t> version(data_spaces, -1);
  int position = static_cast<int>(layer.nest->loops().size());
  // `last` is the latest of the PEs' own times: a board hears from the cluster when its last PE got there.
  Cycle last = 0;
  for (Slot& slot : slots_) slot.idle_from = slot.published_at = 0, slot.publish_cause = -1;
  for (bool first = true;; first = false) {
    for (int d = 0; d < data_spaces; ++d) {
      if (!first && position < program.acquire_at[d]) continue;
      const int level = program.operand_level[d];
      TileBoard& board = *levels[level]->Board(d);
      if (version[d] >= 0) {  // each PE lets go of the old version when it gets here
        clock_.WaitUntil(last);
        board.Released(version[d], count);
      }
      ++version[d];
      waiting_for_ = d, waiting_version_ = version[d];
      board.WaitPublished(version[d]);
      const Cycle published = board.published_at(version[d]);
      const int cause = StallCause(level, d, data_spaces, StallKind::kParentTile);
      for (Slot& slot : slots_) {
        if (published > slot.published_at) slot.published_at = published, slot.publish_cause = cause;
        // The outermost level holds its whole tensor from the start: nothing is ever staged there.
        if (level != top) slot.store[d]->CommitThrough(version[d]);
        RefreshOperand(slot, d);
      }
      last = std::max(last, published);
      clock_.WaitUntil(last);
      board.Acquired(version[d], count);
    }
    waiting_for_ = -1;
    const std::vector<int64_t>& origin = odometer.origin();
    for (int d = 0; d < data_spaces; ++d) {
      int64_t base = 0;
      for (size_t k = 0; k < origin.size(); ++k) base += origin[k] * program.weights[d][k];
      temporal_base_[d] = base;
    }
    // Every PE's burst on the values first (a shared buffer's read port paces them all together), then
    // their timing; a sparse burst takes only the cycles of its MACs that cost one.
    StartPacedStep();
    burst_cycles_.resize(slots_.size());
    step_origin_ = &origin;
    for (size_t s = 0; s < slots_.size(); ++s) {
      if (layer.imperfect) {
        burst_cycles_[s] = RunClippedBurst(slots_[s]);
      } else if (sparsity_) {
        burst_cycles_[s] = RunSparseBurst(s);
      } else {
        RunBurst(slots_[s]);
        burst_cycles_[s] = burst;
      }
    }
    FinishPacedStep(burst);
    for (size_t s = 0; s < slots_.size(); ++s) {
      Slot& slot = slots_[s];
      Cycle ready = slot.published_at;
      int cause = slot.publish_cause;
      for (const Slot::Operand& op : slot.ops)
        if (op.available_at > ready) ready = op.available_at, cause = op.ready_cause;
      if (ready > slot.idle_from) slot.stalls[first ? fill_cause : cause] += ready - slot.idle_from;
      MacUnit& mac = slot.pe->mac();
      const Cycle start = std::max(ready, mac.next_issue());
      const Cycle cycles = burst_cycles_[s];
      int paced_cause = -1;
      const Cycle length = BurstLength(slot, cycles, paced_cause);
      if (trace_) {
        TraceBurst(s, slot.idle_from, ready, first ? fill_cause : cause, start, cycles);
        if (length > cycles) TraceStall(s, start + cycles, start + length, paced_cause);
      }
      mac.ScheduleBurst(start, static_cast<uint64_t>(cycles), length);
      mac.CountMacs(static_cast<uint64_t>(layer.imperfect ? cycles : burst));
      slot.busy += cycles;
      if (length > cycles) slot.stalls[paced_cause] += length - cycles;
      // From here the PE could issue again; whatever delays its next burst is a stall.
      slot.at = slot.idle_from = slot.published_at = start + length;
      slot.publish_cause = -1;
      last = std::max(last, slot.at);
    }
    if (++progress_ % kProgressSteps == 0 && progress_hook_) progress_hook_(last);
    position = odometer.Advance();
    if (position < 0) break;
  }
  clock_.WaitUntil(last);
  for (int d = 0; d < data_spaces; ++d)
    levels[program.operand_level[d]]->Board(d)->Released(version[d], count);
  for (Slot& slot : slots_) slot.finished_at = slot.at + slot.pe->mac().config().pipeline_latency - 1;
  waiting_for_ = -1;
  finished_ = true;
}

// Operand d's store after the PE acquired a version: where its values are, when they arrived, and the
// part of a burst's first address the tile contributes (−low(tile) · rank strides, recomputed only when
// the store moved to a new version).
void PeCluster::RefreshOperand(Slot& slot, int d) {
  TileStore& store = *slot.store[d];
  Slot::Operand& op = slot.ops[d];
  if (slot.tile_version[d] != store.version()) {
    const analysis::DataBox& box = store.box();
    int64_t low = 0;
    for (int r = 0; r < box.ranks; ++r) low += box.low[r] * layer_->pe.rank_stride[d][r];
    op.base = slot.spatial_base[d] - low;
    slot.tile_version[d] = store.version();
  }
  op.values = store.values().data();
  op.fresh = store.fresh().data();
  op.available_at = store.available_at();
  op.ready_cause = store.ready_cause();
}

void PeCluster::RunBurst(Slot& slot) {
  const mapping::LayerProgram& layer = *layer_;
  const mapping::OperandRoles& roles = layer.roles;
  const Slot::Operand& out = slot.ops[roles.result];
  uint8_t* fresh = slot.result_leader ? out.fresh : FreshFlags(slot, *slot.store[roles.result]);
  const int64_t first_touches =
      dense_burst_.Run(slot.ops[roles.first].values, slot.ops[roles.second].values, out.values, fresh,
                       Base(slot, roles.first), Base(slot, roles.second), Base(slot, roles.result));
  const uint64_t macs = static_cast<uint64_t>(layer.pe.burst_macs);
  *slot.first_reads += macs;
  *slot.second_reads += macs;
  *slot.result_updates += macs;
  *slot.result_reads += macs - static_cast<uint64_t>(first_touches);
}

void PeCluster::SetTrace(trace::TraceRecorder* recorder, const std::vector<std::string>& stall_causes) {
  trace_ = recorder;
  trace_tracks_.clear(), trace_stall_names_.clear(), trace_stall_counters_.clear();
  if (!recorder) return;
  const int group = recorder->Group(name());
  if (recorder->options().per_pe) {
    for (const Slot& slot : slots_) trace_tracks_.push_back(recorder->Track(group, slot.pe->name()));
    trace_compute_name_ = recorder->Name("compute");
    for (const std::string& cause : stall_causes)
      trace_stall_names_.push_back(recorder->Name("stall: " + cause));
  } else {
    trace_computing_ = recorder->Counter(group, "PEs computing", "PEs");
    for (const std::string& cause : stall_causes)
      trace_stall_counters_.push_back(recorder->Counter(group, "PEs stalled", cause));
  }
}

// A PE's wait for its operands [idle_from, ready) by `cause`, then its burst [start, start + burst).
void PeCluster::TraceBurst(size_t slot, Cycle idle_from, Cycle ready, int cause, Cycle start, Cycle burst) {
  if (trace_->options().per_pe) {
    const int track = trace_tracks_[slot];
    if (ready > idle_from)
      trace_->Slice(track, trace_stall_names_[static_cast<size_t>(cause)], idle_from, ready);
    trace_->Slice(track, trace_compute_name_, start, start + burst, {{"macs", static_cast<int64_t>(burst)}});
  } else {
    if (ready > idle_from)
      trace_->AddToCounter(trace_stall_counters_[static_cast<size_t>(cause)], idle_from, ready, 1);
    trace_->AddToCounter(trace_computing_, start, start + burst, 1);
  }
}

// A PE's wait [from, to) by `cause` (a burst held up by a shared buffer's read port).
void PeCluster::TraceStall(size_t slot, Cycle from, Cycle to, int cause) {
  if (trace_->options().per_pe)
    trace_->Slice(trace_tracks_[slot], trace_stall_names_[static_cast<size_t>(cause)], from, to);
  else
    trace_->AddToCounter(trace_stall_counters_[static_cast<size_t>(cause)], from, to, 1);
}

// A buffer with a read bandwidth paces the MACs that read it: at every step all of them together read one
// value per MAC group of each operand it holds (psums: as many as were counted, a psum's first touch reads
// nothing), and no burst reading it ends before those reads have passed its read port.
void PeCluster::PlanPacing(const mapping::LayerProgram& layer, const mapping::PeAssignment& assignment,
                           Slot& slot) {
  const int data_spaces = static_cast<int>(layer.data_spaces.size());
  for (int d = 0; d < data_spaces; ++d) {
    StorageCore& core = slot.instance[d]->core();
    if (!core.config().read_bandwidth) continue;
    // At most one read per MAC group and MAC step of every operand it holds: a bandwidth at least that
    // never holds a burst up (the usual one-MAC spad), and costs nothing per step.
    int64_t most_per_mac = 0;
    for (int e = 0; e < data_spaces; ++e)
      if (&slot.instance[e]->core() == &core)
        most_per_mac += layer.mac_groups_at[e][static_cast<size_t>(assignment.operand_instance[e])];
    if (static_cast<double>(most_per_mac) <= *core.config().read_bandwidth) continue;
    auto it =
        std::find_if(paced_.begin(), paced_.end(), [&](const PacedBuffer& b) { return b.core == &core; });
    if (it == paced_.end()) {
      PacedBuffer buffer;
      buffer.core = &core;
      buffer.rate = *core.config().read_bandwidth;
      buffer.cause = StallCause(layer.pe.operand_level[d], d, static_cast<int>(layer.data_spaces.size()),
                                StallKind::kMacRead);
      paced_.push_back(buffer);
      it = paced_.end() - 1;
    }
    if (std::find(slot.paced.begin(), slot.paced.end(), it - paced_.begin()) == slot.paced.end())
      slot.paced.push_back(it - paced_.begin());
    if (std::find(it->data_spaces.begin(), it->data_spaces.end(), d) != it->data_spaces.end()) continue;
    it->data_spaces.push_back(d);
    if (layer.read_write[d])
      it->counted.push_back(d);
    else
      it->reads_per_mac += layer.mac_groups_at[d][static_cast<size_t>(assignment.operand_instance[d])];
  }
}

void PeCluster::StartPacedStep() {
  for (PacedBuffer& buffer : paced_) {
    buffer.before.clear();
    for (int d : buffer.counted) buffer.before.push_back(buffer.core->Count(Access::kRead, d));
  }
}

void PeCluster::FinishPacedStep(Cycle burst) {
  for (PacedBuffer& buffer : paced_) {
    uint64_t reads = static_cast<uint64_t>(buffer.reads_per_mac) * burst;
    for (size_t k = 0; k < buffer.counted.size(); ++k)
      reads += buffer.core->Count(Access::kRead, buffer.counted[k]) - buffer.before[k];
    buffer.length = static_cast<Cycle>(std::ceil(static_cast<double>(reads) / buffer.rate));
  }
}

Cycle PeCluster::BurstLength(const Slot& slot, Cycle burst, int& cause) const {
  Cycle length = burst;
  for (size_t b : slot.paced)
    if (paced_[b].length > length) length = paced_[b].length, cause = paced_[b].cause;
  return length;
}

// A psum's first touch is counted by its MAC group's leader: the group's other MACs add into the same
// values but see flags that are all clear (a scratch row nothing sets), so the leader's flags stay right
// whichever MAC of the group runs first.
uint8_t* PeCluster::FreshFlags(const Slot& slot, TileStore& out_store) {
  if (slot.result_leader) return out_store.fresh().data();
  if (member_fresh_.size() < out_store.fresh().size()) member_fresh_.resize(out_store.fresh().size(), 0);
  return member_fresh_.data();
}

std::vector<PeCluster::PeOutcome> PeCluster::Outcomes() const {
  std::vector<PeOutcome> outcomes;
  for (const Slot& slot : slots_) outcomes.push_back({slot.local, slot.finished_at, slot.busy, slot.stalls});
  return outcomes;
}

}  // namespace cyclops::models
