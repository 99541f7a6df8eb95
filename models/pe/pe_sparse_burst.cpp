// PeCluster's sparse bursts: the MACs of a burst one by one on the real values, each classified as
// pe_sparsity.h says. Kept apart from pe_cluster.cpp, whose dense burst is the fast path.
#include <array>

#include "models/pe/pe_cluster.h"

namespace cyclops::models {

namespace {

enum Role { kFirst = 0, kSecond = 1, kResult = 2 };

// One role's optimized access: gated or skipped when a condition is met at a MAC.
struct Condition {
  bool on_first = false, on_second = false;  // conditioned on a zero of the first / second operand
  bool optimized = false, skipping = false;
  // -1: the access is not optimized at this MAC; else the SparseAction (gated or skipped).
  int At(bool first_zero, bool second_zero) const {
    if (!optimized || !((on_first && first_zero) || (on_second && second_zero))) return -1;
    return static_cast<int>(skipping ? SparseAction::kSkipped : SparseAction::kGated);
  }
};

}  // namespace

void PeCluster::LoadSparsity(std::shared_ptr<const PeSparsity> sparsity) {
  sparsity_ = std::move(sparsity);
  sparse_counters_.clear();
  if (!sparsity_) return;
  const mapping::OperandRoles& roles = layer_->roles;
  const int role_space[3] = {roles.first, roles.second, roles.result};
  for (Slot& slot : slots_) {
    SparseCounters counters;
    for (int role = 0; role < 3; ++role) {
      StorageCore& core = slot.instance[role_space[role]]->core();
      for (int a = 0; a < kSparseActions; ++a) {
        counters.reads[role][a] =
            &core.SparseSlot(static_cast<SparseAction>(a), Access::kRead, role_space[role]);
        if (role == kResult)
          counters.updates[a] =
              &core.SparseSlot(static_cast<SparseAction>(a), Access::kUpdate, role_space[role]);
      }
    }
    sparse_counters_.push_back(counters);
  }
}

Cycle PeCluster::RunSparseBurst(size_t slot_index) {
  Slot& slot = slots_[slot_index];
  SparseCounters& counters = sparse_counters_[slot_index];
  const PeSparsity& sparsity = *sparsity_;
  const mapping::PeProgram& program = layer_->pe;
  const mapping::OperandRoles& roles = layer_->roles;
  const int role_space[3] = {roles.first, roles.second, roles.result};
  std::array<Condition, 3> condition;
  for (int role = 0; role < 3; ++role) {
    const auto& optimized = sparsity.reads[role_space[role]];
    if (!optimized) continue;
    condition[role].optimized = true;
    condition[role].skipping = optimized->skipping;
    for (int d : optimized->condition_on) {
      condition[role].on_first |= d == roles.first;
      condition[role].on_second |= d == roles.second;
    }
  }
  const bool first_compressed = sparsity.compressed[roles.first];
  const bool second_compressed = sparsity.compressed[roles.second];
  const bool first_metadata = sparsity.has_metadata[roles.first];
  const bool second_metadata = sparsity.has_metadata[roles.second];

  TileStore& out_store = *slot.store[roles.result];
  const int64_t* av = slot.store[roles.first]->values().data();
  const int64_t* bv = slot.store[roles.second]->values().data();
  int64_t* ov = out_store.values().data();
  uint8_t* fresh = out_store.fresh().data();
  const std::vector<int64_t>& a_step = program.burst_steps[roles.first];
  const std::vector<int64_t>& b_step = program.burst_steps[roles.second];
  const std::vector<int64_t>& o_step = program.burst_steps[roles.result];
  const std::vector<int64_t>& factor = program.burst_factors;
  const size_t loops = factor.size();
  std::vector<int64_t>& index = burst_index_;
  int64_t ai = Base(slot, roles.first), bi = Base(slot, roles.second), oi = Base(slot, roles.result);
  const int64_t inner = loops ? factor[0] : 1;
  const int64_t as = loops ? a_step[0] : 0, bs = loops ? b_step[0] : 0, os = loops ? o_step[0] : 0;

  SparseMacCounts macs;
  uint64_t reads[3][kSparseActions] = {}, updates[kSparseActions] = {};
  int64_t first_touches = 0;
  const int kAbsent = static_cast<int>(SparseAction::kAbsent);
  const int kSkipped = static_cast<int>(SparseAction::kSkipped);
  while (true) {
    for (int64_t i = 0; i < inner; ++i) {
      const int64_t a = av[ai + i * as], b = bv[bi + i * bs];
      const int64_t o = oi + i * os;
      const bool first_touch = fresh[o] != 0;
      first_touches += fresh[o];
      fresh[o] = 0;
      // A zero operand makes the product zero, so accumulating every MAC keeps the outputs exact whatever
      // the hardware did with it.
      ov[o] += a * b;
      const bool az = a == 0, bz = b == 0;
      // Step 1: operand reads, and the computes behind gated or skipped ones.
      const int first_action = condition[kFirst].At(az, bz);
      const int second_action = condition[kSecond].At(az, bz);
      if (first_compressed && az) {
        ++reads[kFirst][kAbsent];
      } else if (first_action >= 0) {
        ++reads[kFirst][first_action];
      }
      if (second_compressed && bz) {
        ++reads[kSecond][kAbsent];
      } else if (second_action >= 0) {
        ++reads[kSecond][second_action];
      }
      // Step 3: the psum.
      const int result_action = condition[kResult].At(az, bz);
      if (result_action >= 0) {
        ++updates[result_action];
        if (!first_touch) ++reads[kResult][result_action];
      }
      if (first_action >= 0 || second_action >= 0) {
        const bool skipped = first_action == kSkipped || second_action == kSkipped;
        ++(skipped ? macs.removed_skipped : macs.removed_gated);
        continue;
      }
      // Step 2: the compute unit.
      const bool a_missing = az && first_metadata, b_missing = bz && second_metadata;
      if (a_missing && b_missing) {
        ++macs.nonexistent;
      } else if ((a_missing || b_missing) && sparsity.skip_compute) {
        ++macs.skipped;
      } else if ((az || bz) && sparsity.gate_compute) {
        ++macs.gated;
      } else {
        ++macs.actual;
      }
    }
    if (!NextBurstRun(factor, a_step, b_step, o_step, index, ai, bi, oi)) break;
  }
  const uint64_t total = static_cast<uint64_t>(program.burst_macs);
  *slot.first_reads += total;
  *slot.second_reads += total;
  *slot.result_updates += total;
  *slot.result_reads += total - static_cast<uint64_t>(first_touches);
  for (int role = 0; role < 3; ++role)
    for (int k = 0; k < kSparseActions; ++k) *counters.reads[role][k] += reads[role][k];
  for (int k = 0; k < kSparseActions; ++k) *counters.updates[k] += updates[k];
  slot.pe->mac().CountSparse(macs);
  return static_cast<Cycle>(macs.Cycles());
}

}  // namespace cyclops::models
