// PeCluster's sparse bursts. Every optimization of pe_sparsity.h decides a MAC's fate from which of its
// operands are zero and whether it is its psum's first touch. So the burst runs the dense arithmetic,
// counting branch-free how many MACs show each of the four zero patterns (and how many of those are first
// touches), only for the zeros the layer's rules look at, and applies the layer's fate table
// (PeSparsity::Resolve) to the four counts: the counters are those of classifying every MAC. A run over
// which a counted operand is constant and zero does no arithmetic at all, so a sparse burst costs less
// than its dense twin. Kept apart from pe_cluster.cpp.
#include <array>
#include <cstring>

#include "models/pe/pe_cluster.h"

namespace cyclops::models {

namespace {

enum Role { kFirst = 0, kSecond = 1, kResult = 2 };

// MACs of a burst by zero pattern: [first operand zero][second operand zero]; `fresh` those of them that
// were their psum's first touch (no old psum read).
struct ZeroPatterns {
  uint64_t all[2][2] = {};
  uint64_t fresh[2][2] = {};
};

// Counts of one run of MACs: zeros of each operand, MACs where both are zero, and the same among first
// touches. Branch-free: the compiler vectorizes the dense arithmetic around it.
struct RunCounts {
  int64_t a_zero = 0, b_zero = 0, both_zero = 0;
  int64_t fresh = 0, fresh_a_zero = 0, fresh_b_zero = 0, fresh_both_zero = 0;
  void AddTo(ZeroPatterns& patterns) const {
    patterns.all[1][1] += both_zero;
    patterns.all[1][0] += a_zero - both_zero;
    patterns.all[0][1] += b_zero - both_zero;
    patterns.fresh[1][1] += fresh_both_zero;
    patterns.fresh[1][0] += fresh_a_zero - fresh_both_zero;
    patterns.fresh[0][1] += fresh_b_zero - fresh_both_zero;
    patterns.fresh[0][0] += fresh - fresh_a_zero - fresh_b_zero + fresh_both_zero;
  }
};

// A run over which one operand keeps its value `c` while the other (`v_values`, step vs) varies, as where
// the innermost loop is irrelevant to one operand: a zero `c` makes the whole run's products zero, so
// only its psum first touches are walked (and the other operand's zeros, if they count).
// The psums a run touches first (their fresh flags, cleared). Kept out of the arithmetic loops: stores
// through a byte pointer may alias anything, which would keep those loops from being vectorized.
inline int64_t TakeFirstTouches(uint8_t* fresh, int64_t oi, int64_t inner, int64_t os) {
  if (os == 1) {  // contiguous flags, almost always all clear after a tile's first burst: test 8 at a time
    uint64_t any = 0;
    int64_t i = 0;
    for (; i + 8 <= inner; i += 8) {
      uint64_t word;
      std::memcpy(&word, fresh + oi + i, sizeof word);
      any |= word;
    }
    for (; i < inner; ++i) any |= fresh[oi + i];
    if (any == 0) return 0;
  }
  int64_t first_touches = 0;
  for (int64_t i = 0; i < inner; ++i) first_touches += fresh[oi + i * os], fresh[oi + i * os] = 0;
  return first_touches;
}

template <bool kVZero, bool kFresh>
void ConstantOperandRun(int64_t c, const int64_t* __restrict v_values, int64_t vs, int64_t* __restrict ov,
                        uint8_t* fresh, int64_t oi, int64_t inner, int64_t os, int64_t& v_zero,
                        int64_t& first_touches, int64_t& fresh_v_zero) {
  if constexpr (kVZero && kFresh) {  // first touches by the varying operand's zeros: one loop
    for (int64_t i = 0; i < inner; ++i) {
      const int64_t v = v_values[i * vs], o = oi + i * os;
      const int64_t first = fresh[o], vz = v == 0;
      fresh[o] = 0;
      ov[o] += c * v;
      first_touches += first, v_zero += vz, fresh_v_zero += first & vz;
    }
    return;
  }
  first_touches += TakeFirstTouches(fresh, oi, inner, os);
  if (c == 0 && !kVZero) return;
  int64_t zeros = 0;
  for (int64_t i = 0; i < inner; ++i) {
    const int64_t v = v_values[i * vs];
    ov[oi + i * os] += c * v;
    if constexpr (kVZero) zeros += v == 0;
  }
  v_zero += zeros;
}

// One run of a burst (the innermost loop): the dense arithmetic, plus the zero counts `RunCounts` keeps,
// only those the layer's optimizations need (an uncounted operand is taken as nonzero).
template <bool kAZero, bool kBZero, bool kFreshPatterns>
void CountRun(const int64_t* a_values, const int64_t* b_values, int64_t* ov, uint8_t* fresh, int64_t oi,
              int64_t inner, int64_t as, int64_t bs, int64_t os, RunCounts& run) {
  int64_t a_zero = 0, b_zero = 0, both_zero = 0;
  if (os == 0) {  // a reduction loop: one psum takes the whole run, touched first (if at all) by MAC 0
    int64_t sum = 0;
    for (int64_t i = 0; i < inner; ++i) {
      const int64_t a = a_values[i * as], b = b_values[i * bs];
      sum += a * b;
      if constexpr (kAZero) a_zero += a == 0;
      if constexpr (kBZero) b_zero += b == 0;
      if constexpr (kAZero && kBZero) both_zero += (a == 0) & (b == 0);
    }
    if (fresh[oi] != 0 && inner > 0) {
      const int64_t az = kAZero && a_values[0] == 0, bz = kBZero && b_values[0] == 0;
      ++run.fresh, run.fresh_a_zero += az, run.fresh_b_zero += bz, run.fresh_both_zero += az & bz;
      fresh[oi] = 0;
    }
    ov[oi] += sum;
  } else if (bs == 0 || as == 0) {
    // One operand constant over the run: its zero (if it counts) covers the whole run at once.
    const bool b_constant = bs == 0;
    const int64_t c = b_constant ? b_values[0] : a_values[0];
    const bool c_zero = c == 0 && (b_constant ? kBZero : kAZero);
    int64_t v_zero = 0, first_touches = 0, fresh_v_zero = 0;
    if (b_constant)
      ConstantOperandRun<kAZero, kFreshPatterns>(c, a_values, as, ov, fresh, oi, inner, os, v_zero,
                                                 first_touches, fresh_v_zero);
    else
      ConstantOperandRun<kBZero, kFreshPatterns>(c, b_values, bs, ov, fresh, oi, inner, os, v_zero,
                                                 first_touches, fresh_v_zero);
    const int64_t c_zeros = c_zero ? inner : 0, c_fresh_zeros = c_zero ? first_touches : 0;
    (b_constant ? a_zero : b_zero) += v_zero;
    (b_constant ? b_zero : a_zero) += c_zeros;
    both_zero += c_zero ? v_zero : 0;
    run.fresh += first_touches;
    if constexpr (kFreshPatterns) {
      (b_constant ? run.fresh_a_zero : run.fresh_b_zero) += fresh_v_zero;
      (b_constant ? run.fresh_b_zero : run.fresh_a_zero) += c_fresh_zeros;
      run.fresh_both_zero += c_zero ? fresh_v_zero : 0;
    }
  } else if constexpr (!kFreshPatterns) {
    run.fresh += TakeFirstTouches(fresh, oi, inner, os);
    const int64_t* __restrict a_run = a_values;
    const int64_t* __restrict b_run = b_values;
    int64_t* __restrict o_run = ov + oi;
    for (int64_t i = 0; i < inner; ++i) {
      const int64_t a = a_run[i * as], b = b_run[i * bs];
      o_run[i * os] += a * b;
      const int64_t az = kAZero && a == 0, bz = kBZero && b == 0;
      a_zero += az, b_zero += bz, both_zero += az & bz;
    }
  } else {
    int64_t first_touches = 0;
    for (int64_t i = 0; i < inner; ++i) {
      const int64_t a = a_values[i * as], b = b_values[i * bs];
      const int64_t o = oi + i * os;
      const int64_t first = fresh[o];
      fresh[o] = 0;
      ov[o] += a * b;
      first_touches += first;
      const int64_t az = kAZero && a == 0, bz = kBZero && b == 0;
      a_zero += az, b_zero += bz, both_zero += az & bz;
      if constexpr (kFreshPatterns) {
        run.fresh_a_zero += first & az, run.fresh_b_zero += first & bz;
        run.fresh_both_zero += first & az & bz;
      }
    }
    run.fresh += first_touches;
  }
  run.a_zero += a_zero, run.b_zero += b_zero, run.both_zero += both_zero;
}

// Where a burst's runs start: the three operand addresses the burst odometer moves.
struct RunStart {
  int64_t ai = 0, bi = 0, oi = 0;
};
// A whole burst, run after run; `next` steps the odometer (PeCluster::NextBurstRun).
template <bool kAZero, bool kBZero, bool kFreshPatterns, class Next>
RunCounts CountBurst(const int64_t* av, const int64_t* bv, int64_t* ov, uint8_t* fresh, RunStart start,
                     int64_t inner, int64_t as, int64_t bs, int64_t os, Next next) {
  RunCounts run;
  do {
    CountRun<kAZero, kBZero, kFreshPatterns>(av + start.ai, bv + start.bi, ov, fresh, start.oi, inner, as, bs,
                                             os, run);
  } while (next(start));
  return run;
}

// CountBurst for the zeros the layer's rules count.
template <class Next>
RunCounts CountedBurst(const PeSparsity& sparsity, const int64_t* av, const int64_t* bv, int64_t* ov,
                       uint8_t* fresh, RunStart start, int64_t inner, int64_t as, int64_t bs, int64_t os,
                       Next next) {
  RunCounts run;
  switch ((sparsity.count_first_zeros ? 4 : 0) | (sparsity.count_second_zeros ? 2 : 0) |
          (sparsity.fresh_by_pattern ? 1 : 0)) {
#define CYCLOPS_COUNT_BURST(variant, a, b, f)                                     \
  case variant:                                                                   \
    run = CountBurst<a, b, f>(av, bv, ov, fresh, start, inner, as, bs, os, next); \
    break;
    CYCLOPS_COUNT_BURST(0, false, false, false)
    CYCLOPS_COUNT_BURST(1, false, false, true)
    CYCLOPS_COUNT_BURST(2, false, true, false)
    CYCLOPS_COUNT_BURST(3, false, true, true)
    CYCLOPS_COUNT_BURST(4, true, false, false)
    CYCLOPS_COUNT_BURST(5, true, false, true)
    CYCLOPS_COUNT_BURST(6, true, true, false)
    CYCLOPS_COUNT_BURST(7, true, true, true)
#undef CYCLOPS_COUNT_BURST
  }
  return run;
}

}  // namespace

void PeCluster::LoadSparsity(std::shared_ptr<const PeSparsity> sparsity) {
  sparsity_ = std::move(sparsity);
  sparse_counters_.clear();
  if (!sparsity_) return;
  const mapping::OperandRoles& roles = layer_->roles;
  const int role_space[3] = {roles.first, roles.second, roles.result};
  for (Slot& slot : slots_) {
    // Like the dense counters, a MAC group's shared read (psum update) is its leader's to count: the
    // other members' sparse counts go nowhere.
    const bool counts[3] = {slot.first_reads != &uncounted_, slot.second_reads != &uncounted_,
                            slot.result_leader};
    SparseCounters counters;
    for (int role = 0; role < 3; ++role) {
      StorageCore& core = slot.instance[role_space[role]]->core();
      for (int a = 0; a < kSparseActions; ++a) {
        const auto action = static_cast<SparseAction>(a);
        counters.reads[role][a] =
            counts[role] ? &core.SparseSlot(action, Access::kRead, role_space[role]) : &uncounted_;
        if (role == kResult)
          counters.updates[a] =
              counts[role] ? &core.SparseSlot(action, Access::kUpdate, role_space[role]) : &uncounted_;
      }
    }
    sparse_counters_.push_back(counters);
  }
}

Cycle PeCluster::RunSparseBurst(size_t slot_index) {
  Slot& slot = slots_[slot_index];
  const mapping::PeProgram& program = layer_->pe;
  const mapping::OperandRoles& roles = layer_->roles;

  TileStore& out_store = *slot.store[roles.result];
  const int64_t* av = slot.store[roles.first]->values().data();
  const int64_t* bv = slot.store[roles.second]->values().data();
  int64_t* ov = out_store.values().data();
  uint8_t* fresh = FreshFlags(slot, out_store);
  const std::vector<int64_t>& a_step = program.burst_steps[roles.first];
  const std::vector<int64_t>& b_step = program.burst_steps[roles.second];
  const std::vector<int64_t>& o_step = program.burst_steps[roles.result];
  const std::vector<int64_t>& factor = program.burst_factors;
  const size_t loops = factor.size();
  std::vector<int64_t>& index = burst_index_;
  int64_t ai = Base(slot, roles.first), bi = Base(slot, roles.second), oi = Base(slot, roles.result);
  const int64_t inner = loops ? factor[0] : 1;
  const int64_t as = loops ? a_step[0] : 0, bs = loops ? b_step[0] : 0, os = loops ? o_step[0] : 0;

  // A zero operand makes the product zero, so accumulating every MAC keeps the outputs exact whatever
  // the hardware did with it.
  const PeSparsity& sparsity = *sparsity_;
  auto next = [&](RunStart& at) {
    return NextBurstRun(factor, a_step, b_step, o_step, index, at.ai, at.bi, at.oi);
  };
  const RunStart start{ai, bi, oi};
  RunCounts run;
  const bool first_counted = sparsity.count_first_zeros;
  if (first_counted != sparsity.count_second_zeros && dense_burst_.BlocksKeep(first_counted)) {
    // Only the zeros of the operand that stays over each block count: the dense blocks over its nonzeros.
    DenseBurst::StayingZeros zeros;
    run.fresh = dense_burst_.RunOverNonzeros(av, bv, ov, fresh, ai, bi, oi, zeros);
    (first_counted ? run.a_zero : run.b_zero) = zeros.macs;
    (first_counted ? run.fresh_a_zero : run.fresh_b_zero) = zeros.first_touches;
  } else {
    run = CountedBurst(sparsity, av, bv, ov, fresh, start, inner, as, bs, os, next);
  }
  ZeroPatterns patterns;
  patterns.all[0][0] = static_cast<uint64_t>(program.burst_macs) - static_cast<uint64_t>(run.a_zero) -
                       static_cast<uint64_t>(run.b_zero) + static_cast<uint64_t>(run.both_zero);
  run.AddTo(patterns);
  const uint64_t total = static_cast<uint64_t>(program.burst_macs);
  *slot.first_reads += total;
  *slot.second_reads += total;
  *slot.result_updates += total;
  *slot.result_reads += total - static_cast<uint64_t>(run.fresh);
  // The fate table (PeSparsity::Resolve) applied to each pattern's MACs at once.
  SparseCounters& counters = sparse_counters_[slot_index];
  SparseMacCounts macs;
  for (int az = 0; az < 2; ++az) {
    for (int bz = 0; bz < 2; ++bz) {
      const uint64_t n = patterns.all[az][bz];
      if (n == 0) continue;
      const ZeroPatternFate& fate = sparsity.fate[az][bz];
      if (fate.first_read >= 0) *counters.reads[kFirst][fate.first_read] += n;
      if (fate.second_read >= 0) *counters.reads[kSecond][fate.second_read] += n;
      if (fate.result >= 0) {
        *counters.updates[fate.result] += n;
        *counters.reads[kResult][fate.result] += n - patterns.fresh[az][bz];  // a first touch reads none
      }
      uint64_t* fates[] = {&macs.actual,        &macs.gated,           &macs.skipped,
                           &macs.removed_gated, &macs.removed_skipped, &macs.nonexistent};
      *fates[static_cast<int>(fate.mac)] += n;
    }
  }
  slot.pe->mac().CountSparse(macs);
  return static_cast<Cycle>(macs.Cycles());
}

}  // namespace cyclops::models
