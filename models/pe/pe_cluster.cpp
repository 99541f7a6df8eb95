#include "models/pe/pe_cluster.h"

#include <algorithm>

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
      slot.store.push_back(&instance.Tile(d));
      int64_t base = 0;
      for (size_t k = 0; k < assignment.spatial_origin.size(); ++k)
        base += assignment.spatial_origin[k] * layer.pe.weights[d][k];
      slot.spatial_base.push_back(base);
    }
    slot.tile_base.assign(static_cast<size_t>(data_spaces), 0);
    slot.tile_version.assign(static_cast<size_t>(data_spaces), -2);
    slot.stalls.assign(static_cast<size_t>(causes), 0);
    // The operands' reads and the psum updates are counted by the storage instances they hit.
    auto counter = [&](int d, Access access) { return &slot.instance[d]->core().Slot(access, d); };
    slot.first_reads = counter(roles.first, Access::kRead);
    slot.second_reads = counter(roles.second, Access::kRead);
    slot.result_updates = counter(roles.result, Access::kUpdate);
    slot.result_reads = counter(roles.result, Access::kRead);
    slots_.push_back(std::move(slot));
  }
  burst_index_.assign(layer.pe.burst_factors.size(), 0);
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
    for (size_t s = 0; s < slots_.size(); ++s) {
      Slot& slot = slots_[s];
      Cycle ready = slot.published_at;
      int cause = slot.publish_cause;
      for (int d = 0; d < data_spaces; ++d) {
        const TileStore& store = *slot.store[d];
        if (store.available_at() > ready) ready = store.available_at(), cause = store.ready_cause();
      }
      if (ready > slot.idle_from) slot.stalls[first ? fill_cause : cause] += ready - slot.idle_from;
      Cycle cycles = burst;
      if (sparsity_) {
        cycles = RunSparseBurst(s);
      } else {
        RunBurst(slot);
      }
      MacUnit& mac = slot.pe->mac();
      const Cycle start = std::max(ready, mac.next_issue());
      mac.ScheduleBurst(start, static_cast<uint64_t>(cycles));
      mac.CountMacs(static_cast<uint64_t>(burst));
      slot.busy += cycles;
      // From here the PE could issue again; whatever delays its next burst is a stall.
      slot.at = slot.idle_from = slot.published_at = start + cycles;
      slot.publish_cause = -1;
      last = std::max(last, slot.at);
    }
    ++progress_;
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

// The address of the burst's first MAC in operand d's tile: origin · weights − low(tile) · rank strides,
// with the tile's part recomputed only when the store has moved to a new version.
int64_t PeCluster::Base(Slot& slot, int d) {
  const TileStore& store = *slot.store[d];
  if (slot.tile_version[d] != store.version()) {
    const analysis::DataBox& box = store.box();
    int64_t low = 0;
    for (int r = 0; r < box.ranks; ++r) low += box.low[r] * layer_->pe.rank_stride[d][r];
    slot.tile_base[d] = low;
    slot.tile_version[d] = store.version();
  }
  return temporal_base_[d] + slot.spatial_base[d] - slot.tile_base[d];
}

void PeCluster::RunBurst(Slot& slot) {
  const mapping::LayerProgram& layer = *layer_;
  const mapping::PeProgram& program = layer.pe;
  const mapping::OperandRoles& roles = layer.roles;
  TileStore& out_store = *slot.store[roles.result];
  const int64_t* av = slot.store[roles.first]->values().data();
  const int64_t* bv = slot.store[roles.second]->values().data();
  int64_t* ov = out_store.values().data();
  uint8_t* fresh = out_store.fresh().data();
  const std::vector<int64_t>& a_step = program.burst_steps[roles.first];
  const std::vector<int64_t>& b_step = program.burst_steps[roles.second];
  const std::vector<int64_t>& o_step = program.burst_steps[roles.result];
  const std::vector<int64_t>& factor = program.burst_factors;
  int64_t first_touches = 0;
  // Odometer over the burst loops, innermost as the tight loop.
  const size_t loops = factor.size();
  std::vector<int64_t>& index = burst_index_;
  int64_t ai = Base(slot, roles.first), bi = Base(slot, roles.second), oi = Base(slot, roles.result);
  const int64_t inner = loops ? factor[0] : 1;
  const int64_t as = loops ? a_step[0] : 0, bs = loops ? b_step[0] : 0, os = loops ? o_step[0] : 0;
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
      ai += a_step[l], bi += b_step[l], oi += o_step[l];
      if (++index[l] < factor[l]) break;
      ai -= a_step[l] * index[l], bi -= b_step[l] * index[l], oi -= o_step[l] * index[l];
      index[l] = 0;
    }
    if (l >= loops) break;
  }
  const uint64_t macs = static_cast<uint64_t>(program.burst_macs);
  *slot.first_reads += macs;
  *slot.second_reads += macs;
  *slot.result_updates += macs;
  *slot.result_reads += macs - static_cast<uint64_t>(first_touches);
}

std::vector<PeCluster::PeOutcome> PeCluster::Outcomes() const {
  std::vector<PeOutcome> outcomes;
  for (const Slot& slot : slots_) outcomes.push_back({slot.local, slot.finished_at, slot.busy, slot.stalls});
  return outcomes;
}

}  // namespace cyclops::models
