// What the PEs do with zeros: Sparseloop's optimizations at the levels the MACs read their operands from,
// resolved for one layer (sim/top/sparse_plan.h builds it from the spec). Plain data; PeCluster applies it
// to the real values of a burst (pe_sparse_burst.cpp). Every rule below decides a MAC's fate from which of
// its operands are zero (and, for the psum read, whether it is the psum's first touch), so Resolve turns
// the rules into a table over the four zero patterns once per layer and the bursts only count patterns.
//
// Per MAC, in Sparseloop's order:
//   1. A read of data space t is gated (skipping: skipped) when any data space it is conditioned on holds a
//      zero at that MAC; an operand whose format is compressed at its level does not store its zeros, so
//      reading one is absent. The compute behind a gated or skipped operand read is removed (Sparseloop
//      removes it before the compute unit sees it): gated ones still take their cycle, skipped ones not.
//   2. Of the computes that remain, one with both operands nonzero is actual; one with an operand missing
//      from a format with metadata is skipped under compute skipping (both missing: it does not exist);
//      one with a zero (or a missing operand, without skipping) is gated under compute gating, else
//      actual.
//   3. The psum read and update of a MAC follow the result's own optimization (step 1), else are actual.
// Gated MACs and accesses cost their cycle, not their energy; skipped and absent ones cost neither.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace cyclops::models {

// The fate of a MAC, after the steps above.
enum class MacFate { kActual, kGated, kSkipped, kRemovedGated, kRemovedSkipped, kNonexistent };

// What happens at a MAC showing one zero pattern: each access as a models::SparseAction index (gated,
// skipped, absent), -1 where it is actual; the psum's read and update share one.
struct ZeroPatternFate {
  int first_read = -1, second_read = -1, result = -1;
  MacFate mac = MacFate::kActual;
};

struct PeSparsity {
  struct Optimized {
    std::vector<int> condition_on;  // operands (read-only data spaces)
    bool skipping = false;          // false: gating
  };
  std::vector<std::optional<Optimized>> reads;  // per data space, at its PE operand level
  std::vector<bool> compressed;                 // per data space: its PE operand level stores no zeros
  std::vector<bool> has_metadata;               // per data space: a format with metadata there
  bool gate_compute = false;                    // compute_optimization gating (on a zero operand)
  bool skip_compute = false;                    // compute_optimization skipping (operands not aligned)

  // Derived by Resolve for the layer's operand roles: the fate per [first zero][second zero], and which
  // zeros the bursts must count at all (an operand no rule looks at is taken as nonzero; first touches
  // by pattern matter only where the psum's accesses are optimized).
  ZeroPatternFate fate[2][2];
  bool count_first_zeros = false, count_second_zeros = false, fresh_by_pattern = false;
  void Resolve(int first, int second, int result);
};

// The MACs of a run split as above; their sum is the MACs the dense program issues.
struct SparseMacCounts {
  uint64_t actual = 0, gated = 0, skipped = 0;
  uint64_t removed_gated = 0, removed_skipped = 0;  // removed by a gated / skipped operand read (step 1)
  uint64_t nonexistent = 0;                         // both operands missing (step 2)
  uint64_t Cycles() const { return actual + gated + removed_gated; }  // the MACs that take a cycle
};

}  // namespace cyclops::models
