// Local moves in the mapspace, for the mapper's hill climbing: each keeps the factor products, the
// constraints and the fan-outs, so a neighbour is as legal as a sample (capacity aside).
#include <algorithm>

#include "sim/mapping/mapspace.h"

namespace cyclops::mapping {
std::optional<spec::Mapping> MapSpace::Mutate(const spec::Mapping& mapping, std::mt19937_64& rng) const {
  spec::Mapping neighbour = mapping;
  if (imperfect_ && rng() % 3 == 0) {  // a new factor for one loop, its dimension's residuals recomputed
    if (!Retile(neighbour, rng)) return std::nullopt;
    return neighbour;
  }
  // Factor moves change the most and are what random sampling is worst at tuning: favour them.
  const int kind = static_cast<int>(rng() % 8);
  const bool moved = kind < 5   ? MoveFactor(neighbour, rng)
                     : kind < 7 ? SwapLoops(neighbour, rng)
                                : FlipKeep(neighbour, rng);
  if (!moved || (imperfect_ && !ReassignImperfect(neighbour))) return std::nullopt;
  return neighbour;
}

bool MapSpace::MoveFactor(spec::Mapping& mapping, std::mt19937_64& rng) const {
  const int dims = static_cast<int>(workload_.dimensions.size());
  const int d = static_cast<int>(rng() % dims);
  std::vector<int64_t*> free;
  std::vector<int> spatial_level;  // per free slot: its level when spatial, else -1
  for (size_t i = 0; i < rules_.size(); ++i) {
    const LevelRules& rules = rules_[i];
    if (rules.temporal_fixed[d] == 0) {
      free.push_back(&mapping.levels[i].temporal_factors[d]);
      spatial_level.push_back(-1);
    }
    if (rules.spatial_fixed[d] == 0 && rules.fan_out[kX] * rules.fan_out[kY] > 1) {
      free.push_back(&mapping.levels[i].spatial_factors[d]);
      spatial_level.push_back(static_cast<int>(i));
    }
  }
  if (free.size() < 2) return false;
  const size_t from = rng() % free.size();
  size_t to = rng() % (free.size() - 1);
  to += to >= from;
  if (*free[from] == 1) return false;
  // Any prime of the source factor, not only the smallest, so that a 7 can travel as well as a 2.
  std::vector<int64_t> primes = PrimeFactors(*free[from]);
  const int64_t prime = primes[rng() % primes.size()];
  *free[from] /= prime;
  *free[to] *= prime;
  const int level = spatial_level[to];
  if (level < 0) return true;
  const spec::LevelMapping& changed = mapping.levels[level];
  int64_t used[2] = {1, 1};
  for (size_t position = 0; position < changed.spatial_permutation.size(); ++position)
    used[static_cast<int>(position) < changed.spatial_split ? kX : kY] *=
        changed.spatial_factors[changed.spatial_permutation[position]];
  return used[kX] <= rules_[level].fan_out[kX] && used[kY] <= rules_[level].fan_out[kY];
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
  std::vector<std::pair<size_t, size_t>> free;
  for (size_t i = 0; i < rules_.size(); ++i)
    for (size_t s = 0; s < rules_[i].keep_rule.size(); ++s)
      if (rules_[i].keep_rule[s] < 0) free.push_back({i, s});
  if (free.empty()) return false;
  auto [level, space] = free[rng() % free.size()];
  mapping.levels[level].keep[space] = !mapping.levels[level].keep[space];
  return true;
}

}  // namespace cyclops::mapping
