// Local moves in the mapspace, for the mapper's hill climbing: each keeps the factor products, the
// constraints and the fan-outs, so a neighbour is as legal as a sample (capacity aside).
#include <algorithm>
#include <array>

#include "sim/mapping/mapspace.h"

namespace cyclops::mapping {

std::optional<spec::Mapping> MapSpace::Mutate(const spec::Mapping& mapping, std::mt19937_64& rng) const {
  spec::Mapping neighbour = mapping;
  if (!MutateInPlace(neighbour, rng)) return std::nullopt;
  return neighbour;
}

// Each move changes the mapping only when it succeeds (MoveFactor undoes a move that overflowed a
// fan-out), so a failed draw leaves the mapping as it was and the next draw needs no fresh copy.
bool MapSpace::MutateInPlace(spec::Mapping& mapping, std::mt19937_64& rng) const {
  if (imperfect_) {  // residual recomputation can fail half-way: keep a copy to put back
    const spec::Mapping before = mapping;
    // A third of the moves give one loop a new factor (its dimension's residuals recomputed).
    const bool moved =
        rng() % 3 == 0 ? Retile(mapping, rng) : MovePerfect(mapping, rng) && ReassignImperfect(mapping);
    if (!moved) mapping = before;
    return moved;
  }
  return MovePerfect(mapping, rng);
}

bool MapSpace::MovePerfect(spec::Mapping& mapping, std::mt19937_64& rng) const {
  // Factor moves change the most and are what random sampling is worst at tuning: favour them.
  const int kind = static_cast<int>(rng() % 8);
  return kind < 5 ? MoveFactor(mapping, rng) : kind < 7 ? SwapLoops(mapping, rng) : FlipKeep(mapping, rng);
}

bool MapSpace::MoveFactor(spec::Mapping& mapping, std::mt19937_64& rng) const {
  const int dims = static_cast<int>(workload_.dimensions.size());
  const int d = static_cast<int>(rng() % dims);
  const std::vector<FreeSlot>& free = free_slots_[d];
  if (free.size() < 2) return false;
  auto factor = [&](const FreeSlot& slot) -> int64_t& {
    spec::LevelMapping& level = mapping.levels[slot.level];
    return (slot.spatial ? level.spatial_factors : level.temporal_factors)[d];
  };
  const size_t from = rng() % free.size();
  size_t to = rng() % (free.size() - 1);
  to += to >= from;
  int64_t& source = factor(free[from]);
  if (source == 1) return false;
  // Any prime of the source factor, not only the smallest, so that a 7 can travel as well as a 2.
  // (PrimeFactors' list, without allocating it: an int64 has at most 63 prime factors.)
  std::array<int64_t, 64> primes;
  size_t count = 0;
  int64_t rest = source;
  for (int64_t p = 2; p * p <= rest; ++p)
    while (rest % p == 0) primes[count++] = p, rest /= p;
  if (rest > 1) primes[count++] = rest;
  const int64_t prime = primes[rng() % count];
  int64_t& target = factor(free[to]);
  source /= prime;
  target *= prime;
  if (!free[to].spatial) return true;
  const int level = free[to].level;
  const spec::LevelMapping& changed = mapping.levels[level];
  int64_t used[2] = {1, 1};
  for (size_t position = 0; position < changed.spatial_permutation.size(); ++position)
    used[static_cast<int>(position) < changed.spatial_split ? kX : kY] *=
        changed.spatial_factors[changed.spatial_permutation[position]];
  if (used[kX] <= rules_[level].fan_out[kX] && used[kY] <= rules_[level].fan_out[kY]) return true;
  target /= prime;  // the fan-out overflowed: put the prime back
  source *= prime;
  return false;
}

bool MapSpace::SwapLoops(spec::Mapping& mapping, std::mt19937_64& rng) const {
  const size_t level = rng() % rules_.size();
  std::vector<int>& order = mapping.levels[level].temporal_permutation;
  // The constrained prefix stays put; only the loops after it may trade places.
  const size_t fixed = std::min(rules_[level].temporal_prefix.size(), order.size());
  if (order.size() - fixed < 2) return false;
  const size_t a = fixed + rng() % (order.size() - fixed);
  const size_t b = fixed + rng() % (order.size() - fixed);
  if (a == b) return false;
  std::swap(order[a], order[b]);
  return true;
}

bool MapSpace::FlipKeep(spec::Mapping& mapping, std::mt19937_64& rng) const {
  if (free_keeps_.empty()) return false;
  auto [level, space] = free_keeps_[rng() % free_keeps_.size()];
  mapping.levels[level].keep[space] = !mapping.levels[level].keep[space];
  return true;
}

}  // namespace cyclops::mapping
