#include "sim/mapping/mapspace.h"

#include <algorithm>
#include <numeric>

#include "sim/core/error.h"

namespace cyclops::mapping {
namespace {

int64_t Binomial(int64_t n, int64_t k) {
  int64_t result = 1;
  for (int64_t i = 1; i <= k; ++i) result = result * (n - k + i) / i;  // exact at every step
  return result;
}

// Fisher-Yates on the raw generator: std::shuffle's use of the generator is left to the library, and
// the mapper must choose the same mappings whatever the standard library (DESIGN.md decision 12).
template <typename T>
void Shuffle(std::vector<T>& items, std::mt19937_64& rng) {
  for (size_t i = items.size(); i > 1; --i) std::swap(items[i - 1], items[rng() % i]);
}

// Uniform over the ways to share `count` copies of a prime among `slots` slots (stars and bars), so
// that, prime by prime, the whole ordered factorisation is drawn uniformly. `parts` gets the copies
// per slot; `symbols` is scratch.
void DrawComposition(int count, int slots, std::mt19937_64& rng, std::vector<char>& symbols,
                     std::vector<int>& parts) {
  symbols.assign(count + slots - 1, 0);  // 0 = a copy, 1 = a bar between slots
  std::fill(symbols.begin() + count, symbols.end(), 1);
  Shuffle(symbols, rng);
  parts.assign(slots, 0);
  int slot = 0;
  for (char symbol : symbols) symbol ? ++slot : ++parts[slot];
}

// Position of each listed dimension inside `prefix`, -1 when unlisted.
int PrefixPosition(const std::vector<int>& prefix, int dimension) {
  auto it = std::find(prefix.begin(), prefix.end(), dimension);
  return it == prefix.end() ? -1 : static_cast<int>(it - prefix.begin());
}

// Appends to `order` the listed dimensions first, in their order, then the others shuffled (`rest`
// is scratch).
void AppendOrderWithPrefix(const std::vector<int>& dimensions, const std::vector<int>& prefix,
                           std::mt19937_64& rng, std::vector<int>& order, std::vector<int>& rest) {
  for (int d : prefix)
    if (std::find(dimensions.begin(), dimensions.end(), d) != dimensions.end()) order.push_back(d);
  rest.clear();
  for (int d : dimensions)
    if (PrefixPosition(prefix, d) < 0) rest.push_back(d);
  Shuffle(rest, rng);
  order.insert(order.end(), rest.begin(), rest.end());
}

// True when the listed dimensions present in `order` open it, in the listed relative order.
bool StartsWithPrefix(const std::vector<int>& order, const std::vector<int>& prefix) {
  size_t position = 0;
  for (int d : prefix) {
    if (std::find(order.begin(), order.end(), d) == order.end()) continue;
    if (position >= order.size() || order[position] != d) return false;
    ++position;
  }
  return true;
}

// Working storage of SampleInto, per thread (a MapSpace is shared by the mapper's threads).
struct SampleScratch {
  std::vector<int> axes;  // [level × dimensions + dimension]
  std::vector<char> symbols;
  std::vector<int> parts;
  std::vector<int64_t> used;
  std::vector<int> on_x, on_y, rest;
};

SampleScratch& ThreadScratch() {
  thread_local SampleScratch scratch;
  return scratch;
}

}  // namespace

std::vector<int64_t> PrimeFactors(int64_t n) {
  std::vector<int64_t> primes;
  for (int64_t p = 2; p * p <= n; ++p)
    while (n % p == 0) primes.push_back(p), n /= p;
  if (n > 1) primes.push_back(n);
  return primes;
}

int64_t CountFactorSplits(int64_t n, int slots) {
  if (slots <= 0) return n == 1 ? 1 : 0;
  // Each prime's copies are shared independently: C(copies + slots - 1, slots - 1) ways per prime.
  std::vector<int64_t> primes = PrimeFactors(n);
  int64_t count = 1;
  for (size_t i = 0; i < primes.size();) {
    size_t j = i;
    while (j < primes.size() && primes[j] == primes[i]) ++j;
    count *= Binomial(static_cast<int64_t>(j - i) + slots - 1, slots - 1);
    i = j;
  }
  return count;
}

MapSpace::MapSpace(const spec::Architecture& architecture, const spec::Workload& workload, bool imperfect)
    : architecture_(architecture), workload_(workload), imperfect_(imperfect) {
  const size_t dims = workload.dimensions.size();
  const size_t levels = architecture.storage.size();
  rules_.resize(levels);
  for (size_t i = 0; i < levels; ++i) {
    LevelRules& rules = rules_[i];
    rules.temporal_fixed.assign(dims, 0);
    rules.spatial_fixed.assign(dims, 0);
    rules.keep_rule.assign(workload.data_spaces.size(), -1);
    const spec::StorageLevelSpec& level = architecture.storage[i];
    const int64_t inner_x = i == 0 ? architecture.arithmetic.mesh_x : architecture.storage[i - 1].mesh_x;
    const int64_t inner_y = i == 0 ? architecture.arithmetic.mesh_y : architecture.storage[i - 1].mesh_y;
    rules.fan_out[kX] = std::max<int64_t>(1, inner_x / level.mesh_x);
    rules.fan_out[kY] = std::max<int64_t>(1, inner_y / level.mesh_y);
    // A fan-out point holds nothing, so a temporal loop there would only repeat the fan-out; Timeloop's
    // front end pins its factors to 1 too. The outermost level holds everything (it feeds the run).
    if (level.is_dummy) {
      std::fill(rules.keep_rule.begin(), rules.keep_rule.end(), 0);
      std::fill(rules.temporal_fixed.begin(), rules.temporal_fixed.end(), 1);
    }
    if (i + 1 == levels) std::fill(rules.keep_rule.begin(), rules.keep_rule.end(), 1);
  }
  for (const spec::LevelConstraints& constraint : architecture.constraints) {
    LevelRules& rules = rules_[constraint.level];
    for (auto [d, factor] : constraint.temporal_factors) rules.temporal_fixed[d] = factor;
    for (auto [d, factor] : constraint.spatial_factors) rules.spatial_fixed[d] = factor;
    if (!constraint.temporal_permutation.empty()) rules.temporal_prefix = constraint.temporal_permutation;
    if (!constraint.spatial_permutation.empty()) rules.spatial_prefix = constraint.spatial_permutation;
    if (constraint.spatial_split) rules.spatial_split = constraint.spatial_split;
    // A keep list alone means "exactly these" (Timeloop's front end turns `keep: [Weights]` into a
    // bypass of the others); a bypass list alone leaves the unlisted data spaces free.
    if (!constraint.keep.empty() && constraint.bypass.empty())
      std::fill(rules.keep_rule.begin(), rules.keep_rule.end(), 0);
    for (int s : constraint.keep) rules.keep_rule[s] = 1;
    for (int s : constraint.bypass) rules.keep_rule[s] = 0;
  }
  residual_.assign(dims, 0);
  for (size_t d = 0; d < dims; ++d) {
    int64_t fixed = 1;
    for (size_t i = 0; i < levels; ++i) {
      const LevelRules& rules = rules_[i];
      const int64_t fan_out = rules.fan_out[kX] * rules.fan_out[kY];
      if (rules.spatial_fixed[d] > fan_out)
        throw SpecError(architecture.where,
                        "constraint fixes spatial factor " + std::to_string(rules.spatial_fixed[d]) + " of " +
                            workload.dimensions[d] + " at " + architecture.storage[i].name +
                            ", beyond its fan-out " + std::to_string(fan_out),
                        "spatial factors within the fan-out below the level");
      fixed *= std::max<int64_t>(1, rules.temporal_fixed[d]) * std::max<int64_t>(1, rules.spatial_fixed[d]);
    }
    const bool divides = workload.bounds[d] % fixed == 0;
    if (imperfect && !divides && FreeSlots(static_cast<int>(d)) > 0) {  // the free loops take the rest
      residual_[d] = (workload.bounds[d] + fixed - 1) / fixed;
      continue;
    }
    if (!divides || (FreeSlots(static_cast<int>(d)) == 0 && fixed != workload.bounds[d]))
      throw SpecError(architecture.where,
                      "constraints fix factors of " + workload.dimensions[d] + " multiplying to " +
                          std::to_string(fixed) + ", which cannot make its bound " +
                          std::to_string(workload.bounds[d]),
                      "fixed factors whose product divides the bound, with a free level for the rest");
    residual_[d] = workload.bounds[d] / fixed;
  }
  free_slots_.resize(dims);
  residual_primes_.resize(dims);
  for (size_t d = 0; d < dims; ++d) {
    for (size_t i = 0; i < levels; ++i) {
      const LevelRules& rules = rules_[i];
      if (rules.temporal_fixed[d] == 0) free_slots_[d].push_back({static_cast<int>(i), false});
      if (rules.spatial_fixed[d] == 0 && rules.fan_out[kX] * rules.fan_out[kY] > 1)
        free_slots_[d].push_back({static_cast<int>(i), true});
    }
    for (int64_t prime : PrimeFactors(residual_[d])) {
      if (!residual_primes_[d].empty() && residual_primes_[d].back().prime == prime)
        ++residual_primes_[d].back().count;
      else
        residual_primes_[d].push_back({prime, 1});
    }
  }
  for (size_t i = 0; i < levels; ++i)
    for (size_t s = 0; s < rules_[i].keep_rule.size(); ++s)
      if (rules_[i].keep_rule[s] < 0) free_keeps_.push_back({static_cast<int>(i), static_cast<int>(s)});
  axis_rule_.resize(levels * dims);
  for (size_t i = 0; i < levels; ++i)
    for (size_t d = 0; d < dims; ++d) {
      const LevelRules& rules = rules_[i];
      const int position = PrefixPosition(rules.spatial_prefix, static_cast<int>(d));
      int& rule = axis_rule_[i * dims + d];
      if (rules.spatial_split && position >= 0)
        rule = position < *rules.spatial_split ? kX : kY;
      else if (rules.fan_out[kY] == 1)
        rule = kX;
      else if (rules.fan_out[kX] == 1)
        rule = kY;
      else
        rule = kDraw;
    }
  // DrawComposition shuffles count + slots - 1 symbols: one draw per symbol but the first.
  draws_from_.assign(dims + 1, 0);
  for (size_t d = dims; d-- > 0;) {
    uint64_t draws = 0;
    for (const PrimePower& power : residual_primes_[d])
      draws += static_cast<uint64_t>(std::max<int64_t>(0, power.count + int64_t(free_slots_[d].size()) - 2));
    draws_from_[d] = draws_from_[d + 1] + draws;
  }
  std::vector<int> all(dims);
  std::iota(all.begin(), all.end(), 0);
  temporal_listed_.resize(levels);
  temporal_rest_.resize(levels);
  for (size_t i = 0; i < levels; ++i) {
    for (int d : rules_[i].temporal_prefix)
      if (std::find(all.begin(), all.end(), d) != all.end()) temporal_listed_[i].push_back(d);
    for (int d : all)
      if (PrefixPosition(rules_[i].temporal_prefix, d) < 0) temporal_rest_[i].push_back(d);
  }
}

int MapSpace::FreeSlots(int dimension) const {
  int slots = 0;
  for (const LevelRules& rules : rules_) {
    slots += rules.temporal_fixed[dimension] == 0;
    slots += rules.fan_out[kX] * rules.fan_out[kY] > 1 && rules.spatial_fixed[dimension] == 0;
  }
  return slots;
}

MapSpace::Axis MapSpace::ChooseAxis(int level, int dimension, std::mt19937_64& rng) const {
  // The rule of the constraint's split when the dimension is listed, else the only axis that fans out,
  // else a draw (axis_rule_, worked out in the constructor).
  const int rule = axis_rule_[level * workload_.dimensions.size() + dimension];
  if (rule != kDraw) return static_cast<Axis>(rule);
  return (rng() & 1) ? kX : kY;
}

std::optional<spec::Mapping> MapSpace::Sample(std::mt19937_64& rng, int attempts) const {
  spec::Mapping mapping;
  if (!SampleInto(rng, mapping, attempts)) return std::nullopt;
  return mapping;
}

bool MapSpace::SampleInto(std::mt19937_64& rng, spec::Mapping& mapping, int attempts) const {
  const int dims = static_cast<int>(workload_.dimensions.size());
  const int levels = static_cast<int>(rules_.size());
  SampleScratch& scratch = ThreadScratch();
  std::vector<int>& axes = scratch.axes;
  axes.resize(static_cast<size_t>(levels) * dims);
  mapping.where = {};
  mapping.levels.resize(levels);
  for (int attempt = 0; attempt < attempts; ++attempt) {
    for (int i = 0; i < levels; ++i) {
      spec::LevelMapping& level = mapping.levels[i];
      const LevelRules& rules = rules_[i];
      level.temporal_factors.assign(dims, 1);
      level.spatial_factors.assign(dims, 1);
      level.temporal_residuals.clear();  // perfect until ReassignImperfect says otherwise
      level.spatial_residuals.clear();
      for (int d = 0; d < dims; ++d) {
        if (rules.temporal_fixed[d] > 0) level.temporal_factors[d] = rules.temporal_fixed[d];
        if (rules.spatial_fixed[d] > 0) level.spatial_factors[d] = rules.spatial_fixed[d];
        axes[i * dims + d] = ChooseAxis(i, d, rng);
      }
    }
    // Dimension by dimension, the fan-outs each level's spatial factors use so far: they only grow, so
    // once one overflows the attempt is lost, and the draws it would still make are skipped.
    std::vector<int64_t>& used = scratch.used;  // [level × 2 + axis]
    used.assign(2 * static_cast<size_t>(levels), 1);
    bool fits = true;
    for (int d = 0; d < dims && fits; ++d) {
      const std::vector<FreeSlot>& free = free_slots_[d];
      for (const PrimePower& power : residual_primes_[d]) {
        DrawComposition(power.count, static_cast<int>(free.size()), rng, scratch.symbols, scratch.parts);
        for (size_t s = 0; s < free.size(); ++s) {
          spec::LevelMapping& level = mapping.levels[free[s].level];
          int64_t& factor = (free[s].spatial ? level.spatial_factors : level.temporal_factors)[d];
          for (int k = 0; k < scratch.parts[s]; ++k) factor *= power.prime;
        }
      }
      for (int i = 0; i < levels; ++i) {
        int64_t& on_axis = used[2 * i + axes[i * dims + d]];
        on_axis *= mapping.levels[i].spatial_factors[d];
        fits = fits && on_axis <= rules_[i].fan_out[axes[i * dims + d]];
      }
      if (!fits) rng.discard(draws_from_[d + 1]);
    }
    if (!fits) continue;
    for (int i = 0; i < levels; ++i) {
      const LevelRules& rules = rules_[i];
      spec::LevelMapping& level = mapping.levels[i];
      level.temporal_permutation.assign(temporal_listed_[i].begin(), temporal_listed_[i].end());
      scratch.rest.assign(temporal_rest_[i].begin(), temporal_rest_[i].end());
      Shuffle(scratch.rest, rng);
      level.temporal_permutation.insert(level.temporal_permutation.end(), scratch.rest.begin(),
                                        scratch.rest.end());
      scratch.on_x.clear();
      scratch.on_y.clear();
      for (int d = 0; d < dims; ++d) (axes[i * dims + d] == kX ? scratch.on_x : scratch.on_y).push_back(d);
      level.spatial_permutation.clear();
      AppendOrderWithPrefix(scratch.on_x, rules.spatial_prefix, rng, level.spatial_permutation, scratch.rest);
      level.spatial_split = static_cast<int>(scratch.on_x.size());
      AppendOrderWithPrefix(scratch.on_y, rules.spatial_prefix, rng, level.spatial_permutation, scratch.rest);
      level.keep.resize(workload_.data_spaces.size());
      for (size_t s = 0; s < level.keep.size(); ++s)
        level.keep[s] = rules.keep_rule[s] >= 0 ? rules.keep_rule[s] == 1 : (rng() & 1) == 1;
      level.temporal_where = {};
      level.spatial_where = {};
      level.keep_where = {};
    }
    if (imperfect_) {  // fixed factors that do not divide, then half the time one loop retiled
      if (!ReassignImperfect(mapping)) continue;
      if (rng() & 1) {
        const spec::Mapping before = mapping;
        if (!Retile(mapping, rng)) mapping = before;
      }
    }
    return true;
  }
  return false;
}

std::string MapSpace::Violation(const spec::Mapping& mapping) const {
  const int dims = static_cast<int>(workload_.dimensions.size());
  if (mapping.levels.size() != rules_.size()) return "wrong number of levels";
  for (int d = 0; d < dims; ++d) {
    if (mapping.Bound(d) != workload_.bounds[d])
      return "factors of " + workload_.dimensions[d] + " do not make its bound";
    for (const spec::LevelMapping& level : mapping.levels)
      if (level.TemporalResidual(d) < 1 || level.TemporalResidual(d) > level.temporal_factors[d] ||
          level.SpatialResidual(d) < 1 || level.SpatialResidual(d) > level.spatial_factors[d] ||
          (!imperfect_ && (level.TemporalResidual(d) != level.temporal_factors[d] ||
                           level.SpatialResidual(d) != level.spatial_factors[d])))
        return "residual of " + workload_.dimensions[d] + " out of [1, factor] or imperfect";
  }
  for (size_t i = 0; i < rules_.size(); ++i) {
    const LevelRules& rules = rules_[i];
    const spec::LevelMapping& level = mapping.levels[i];
    const std::string at = " at " + architecture_.storage[i].name;
    int64_t used[2] = {1, 1};
    std::vector<int> on_axis[2];
    for (size_t position = 0; position < level.spatial_permutation.size(); ++position) {
      const int d = level.spatial_permutation[position];
      const int axis = static_cast<int>(position) < level.spatial_split ? kX : kY;
      used[axis] *= level.spatial_factors[d];
      on_axis[axis].push_back(d);
      const int listed = PrefixPosition(rules.spatial_prefix, d);
      if (rules.spatial_split && listed >= 0 && (listed < *rules.spatial_split ? kX : kY) != axis)
        return "spatial split of " + workload_.dimensions[d] + at + " differs from the constraint";
    }
    if (used[kX] > rules.fan_out[kX] || used[kY] > rules.fan_out[kY]) return "spatial fan-out exceeded" + at;
    for (int d = 0; d < dims; ++d) {
      if (rules.temporal_fixed[d] > 0 && level.temporal_factors[d] != rules.temporal_fixed[d])
        return "temporal factor of " + workload_.dimensions[d] + at + " differs from the constraint";
      if (rules.spatial_fixed[d] > 0 && level.spatial_factors[d] != rules.spatial_fixed[d])
        return "spatial factor of " + workload_.dimensions[d] + at + " differs from the constraint";
    }
    if (!StartsWithPrefix(level.temporal_permutation, rules.temporal_prefix))
      return "temporal permutation" + at + " does not start with the constrained order";
    for (const std::vector<int>& order : on_axis)
      if (!StartsWithPrefix(order, rules.spatial_prefix))
        return "spatial permutation" + at + " does not start with the constrained order";
    for (size_t s = 0; s < level.keep.size(); ++s)
      if (rules.keep_rule[s] >= 0 && level.keep[s] != (rules.keep_rule[s] == 1))
        return "keep/bypass of " + workload_.data_spaces[s].name + at + " differs from the constraint";
  }
  return "";
}

}  // namespace cyclops::mapping
