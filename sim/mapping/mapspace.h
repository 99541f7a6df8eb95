// The constrained mapspace the mapper searches: for every dimension, how its bound splits into per-level
// temporal and spatial factors; per level, the loop orders; per level and data space, keep or bypass.
// The architecture's Timeloop constraints (Architecture::constraints) pin parts of it: fixed factors
// (absent or 0 = free), permutation prefixes (innermost first), spatial X/Y splits, keep/bypass lists.
//
// Spatial factors exist only where a level fans out: the fan-out of level i to the level below it is
// mesh(below)/mesh(i) per axis (the arithmetic level is "below" storage[0]), as the mapping loader checks.
#pragma once

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "sim/spec/specs.h"

namespace cyclops::mapping {

// Prime factors of n (n >= 1) with multiplicity, ascending; {} for 1.
std::vector<int64_t> PrimeFactors(int64_t n);

// Ordered ways to write n as a product of `slots` positive factors: the size of one dimension's
// factor space when every slot is free (e.g. 4 over 2 slots: 1×4, 2×2, 4×1 → 3).
int64_t CountFactorSplits(int64_t n, int slots);

class MapSpace {
 public:
  // Throws SpecError when the constraints cannot be met (fixed factors that do not divide a bound, a
  // fixed spatial factor larger than the fan-out, ...), so that the mapper fails before it searches.
  // `imperfect`: the mapspace also holds imperfect factors (Timeloop's Ruby mapspace, spec/specs.h): a
  // factor need not divide what its dimension has left, the residuals follow Timeloop's rule (innermost
  // first: residual = what is left mod the factor, then what is left = its ceiling over the factor) and the
  // dimension's outermost free temporal loop takes the rest (mapspace_imperfect.cpp).
  MapSpace(const spec::Architecture& architecture, const spec::Workload& workload, bool imperfect = false);

  int64_t FanOutX(int level) const { return rules_[level].fan_out[0]; }
  int64_t FanOutY(int level) const { return rules_[level].fan_out[1]; }
  // Free factor slots of a dimension (temporal at every level, spatial where a level fans out and the
  // constraints leave the factor open): CountFactorSplits(residual, FreeSlots(d)) is its factor space.
  int FreeSlots(int dimension) const;
  // The bound of a dimension divided by its fixed factors: what the free slots share.
  int64_t Residual(int dimension) const { return residual_[dimension]; }

  // A random mapping meeting the constraints, the factor products and the fan-outs; tile capacity is
  // left to the analytical model. Empty when `attempts` draws in a row all overflowed a fan-out.
  std::optional<spec::Mapping> Sample(std::mt19937_64& rng, int attempts = 1000) const;

  // A neighbour of a mapping that keeps everything Sample guarantees (mapspace_moves.cpp): one prime
  // factor moved between two free slots of a dimension, two unconstrained loops of a level swapped, or
  // one unconstrained keep/bypass choice flipped. Empty when the drawn move was not possible.
  std::optional<spec::Mapping> Mutate(const spec::Mapping& mapping, std::mt19937_64& rng) const;

  // Sample into a mapping the caller keeps, reusing its storage, and Mutate in place, so that the
  // mapper's loop allocates and copies nothing per candidate: the same draws and the same mappings as
  // the forms above (which call these). SampleInto returns false where Sample returns nothing (the
  // mapping is then unspecified); MutateInPlace returns false where Mutate does, leaving the mapping
  // as it was.
  bool SampleInto(std::mt19937_64& rng, spec::Mapping& mapping, int attempts = 1000) const;
  bool MutateInPlace(spec::Mapping& mapping, std::mt19937_64& rng) const;

  // What Sample guarantees, checked: "" when the mapping satisfies it, else the first violation.
  std::string Violation(const spec::Mapping& mapping) const;

 private:
  enum Axis { kX = 0, kY = 1 };
  struct LevelRules {
    std::vector<int64_t> temporal_fixed;  // per dimension; 0 = free
    std::vector<int64_t> spatial_fixed;   // per dimension; 0 = free
    std::vector<int> temporal_prefix;     // innermost first
    std::vector<int> spatial_prefix;
    std::optional<int> spatial_split;
    std::vector<int> keep_rule;  // per data space: -1 free, 0 bypass, 1 keep
    int64_t fan_out[2] = {1, 1};
  };

  // Which mesh axis a dimension's spatial factor uses at a level: fixed by the constraint's split when
  // the dimension is listed in its permutation, else drawn among the axes that fan out.
  Axis ChooseAxis(int level, int dimension, std::mt19937_64& rng) const;
  bool MoveFactor(spec::Mapping& mapping, std::mt19937_64& rng) const;
  bool SwapLoops(spec::Mapping& mapping, std::mt19937_64& rng) const;
  bool FlipKeep(spec::Mapping& mapping, std::mt19937_64& rng) const;
  bool MovePerfect(spec::Mapping& mapping, std::mt19937_64& rng) const;  // one of the three above
  // Imperfect factors (mapspace_imperfect.cpp): a new factor for one free loop, the dimension's residuals
  // recomputed; Reassign recomputes them from the factors (false when they cannot fit the fan-outs).
  bool Retile(spec::Mapping& mapping, std::mt19937_64& rng) const;
  bool Reassign(spec::Mapping& mapping, int dimension) const;
  bool ReassignImperfect(
      spec::Mapping& mapping) const;  // every dimension whose factors do not make its bound

  // A factor the constraints leave free: level's temporal, or spatial where the level fans out.
  struct FreeSlot {
    int level = 0;
    bool spatial = false;
  };
  struct PrimePower {
    int64_t prime = 2;
    int count = 1;
  };

  const spec::Architecture& architecture_;
  const spec::Workload& workload_;
  std::vector<LevelRules> rules_;
  std::vector<int64_t> residual_;
  // Fixed by the constraints, so worked out once: per dimension its free slots (innermost level first,
  // temporal before spatial) and its residual's prime powers (ascending); every (level, data space)
  // whose keep/bypass is free.
  std::vector<std::vector<FreeSlot>> free_slots_;
  std::vector<std::vector<PrimePower>> residual_primes_;
  std::vector<std::pair<int, int>> free_keeps_;
  // Per level and dimension (level × dimensions + dimension): the axis of its spatial factor, or kDraw
  // when Sample draws it.
  static constexpr int kDraw = 2;
  std::vector<int> axis_rule_;
  // Random numbers Sample's factor draws take for dimensions d and above ([d]; [dimensions] = 0): fixed
  // by the slots and primes, so an attempt known to overflow a fan-out can skip them (discard).
  std::vector<uint64_t> draws_from_;
  // Per level, the temporal loop order before its shuffle: the constrained dimensions, then the rest.
  std::vector<std::vector<int>> temporal_listed_, temporal_rest_;
  bool imperfect_ = false;
};

}  // namespace cyclops::mapping
