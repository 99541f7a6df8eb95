#include "models/pe/pe_sparsity.h"

#include "models/memory/storage_core.h"

namespace cyclops::models {

namespace {

// -1 where the access of data space `d` is not optimized at a MAC with these zeros, else its SparseAction.
int OptimizedAt(const std::optional<PeSparsity::Optimized>& optimized, int first, int second, bool first_zero,
                bool second_zero) {
  if (!optimized) return -1;
  bool met = false;
  for (int d : optimized->condition_on) met |= (d == first && first_zero) || (d == second && second_zero);
  if (!met) return -1;
  return static_cast<int>(optimized->skipping ? SparseAction::kSkipped : SparseAction::kGated);
}

}  // namespace

void PeSparsity::Resolve(int first, int second, int result) {
  const int absent = static_cast<int>(SparseAction::kAbsent);
  const int skipped = static_cast<int>(SparseAction::kSkipped);
  for (int az = 0; az < 2; ++az) {
    for (int bz = 0; bz < 2; ++bz) {
      ZeroPatternFate& f = fate[az][bz];
      // Step 1: operand reads, and the computes behind gated or skipped ones.
      const int first_action = OptimizedAt(reads[first], first, second, az, bz);
      const int second_action = OptimizedAt(reads[second], first, second, az, bz);
      f.first_read = compressed[first] && az ? absent : first_action;
      f.second_read = compressed[second] && bz ? absent : second_action;
      // Step 3: the psum.
      f.result = OptimizedAt(reads[result], first, second, az, bz);
      if (first_action >= 0 || second_action >= 0) {
        const bool skip = first_action == skipped || second_action == skipped;
        f.mac = skip ? MacFate::kRemovedSkipped : MacFate::kRemovedGated;
        continue;
      }
      // Step 2: the compute unit.
      const bool a_missing = az && has_metadata[first], b_missing = bz && has_metadata[second];
      if (a_missing && b_missing)
        f.mac = MacFate::kNonexistent;
      else if ((a_missing || b_missing) && skip_compute)
        f.mac = MacFate::kSkipped;
      else if ((az || bz) && gate_compute)
        f.mac = MacFate::kGated;
      else
        f.mac = MacFate::kActual;
    }
  }
  // The zeros any rule looks at.
  count_first_zeros = count_second_zeros = false;
  for (int az = 0; az < 2; ++az)
    for (int bz = 0; bz < 2; ++bz) {
      const ZeroPatternFate& f = fate[az][bz];
      const ZeroPatternFate& flip_a = fate[1 - az][bz];
      const ZeroPatternFate& flip_b = fate[az][1 - bz];
      auto same = [](const ZeroPatternFate& x, const ZeroPatternFate& y) {
        return x.first_read == y.first_read && x.second_read == y.second_read && x.result == y.result &&
               x.mac == y.mac;
      };
      count_first_zeros |= !same(f, flip_a);
      count_second_zeros |= !same(f, flip_b);
    }
  fresh_by_pattern = reads[result].has_value();
}

}  // namespace cyclops::models
