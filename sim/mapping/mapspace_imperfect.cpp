// Imperfect factors in the mapspace (Timeloop v3's Ruby form, spec/specs.h). Residuals follow Timeloop's
// rule (mapspaces/uber.cpp, AssignIndexFactors): the loops of a dimension are taken innermost first with
// what is left of the bound, starting at the bound; a loop's residual is what is left mod its factor (its
// factor when that is 0) and what is left becomes the ceiling of it over the factor. Here the dimension's
// outermost free temporal loop takes whatever is left, so the factors always make the bound.
#include <algorithm>

#include "sim/mapping/mapspace.h"

namespace cyclops::mapping {

namespace {

struct Slot {
  int level = 0;
  bool spatial = false;
};

int64_t& FactorOf(spec::Mapping& mapping, const Slot& slot, int d) {
  spec::LevelMapping& level = mapping.levels[slot.level];
  return slot.spatial ? level.spatial_factors[d] : level.temporal_factors[d];
}

void SetResidual(spec::Mapping& mapping, const Slot& slot, int d, int64_t residual) {
  spec::LevelMapping& level = mapping.levels[slot.level];
  std::vector<int64_t>& residuals = slot.spatial ? level.spatial_residuals : level.temporal_residuals;
  const std::vector<int64_t>& factors = slot.spatial ? level.spatial_factors : level.temporal_factors;
  if (residuals.empty()) {
    if (residual == factors[d]) return;
    residuals = factors;
  }
  residuals[d] = residual;
  if (std::equal(residuals.begin(), residuals.end(), factors.begin())) residuals.clear();
}

}  // namespace

bool MapSpace::Reassign(spec::Mapping& mapping, int d) const {
  // d's loops innermost first (per level its spatial loop, then its temporal one), and the outermost free
  // temporal loop, which takes what is left.
  std::vector<Slot> slots;
  int absorber = -1;
  for (int i = 0; i < static_cast<int>(rules_.size()); ++i) {
    const LevelRules& rules = rules_[i];
    if (rules.fan_out[kX] * rules.fan_out[kY] > 1) slots.push_back({i, true});
    slots.push_back({i, false});
    if (rules.temporal_fixed[d] == 0) absorber = static_cast<int>(slots.size()) - 1;
  }
  if (absorber < 0) return false;
  for (size_t s = absorber + 1; s < slots.size(); ++s)
    if (FactorOf(mapping, slots[s], d) != 1) return false;  // a fixed loop outside it: nothing can absorb
  int64_t left = workload_.bounds[d];
  for (int s = 0; s < absorber; ++s) {
    int64_t& factor = FactorOf(mapping, slots[s], d);
    const LevelRules& rules = rules_[slots[s].level];
    const int64_t fixed = slots[s].spatial ? rules.spatial_fixed[d] : rules.temporal_fixed[d];
    factor = std::clamp<int64_t>(factor, 1, left);
    if (fixed > 0 && factor != fixed) return false;
    SetResidual(mapping, slots[s], d, left % factor == 0 ? factor : left % factor);
    left = (left + factor - 1) / factor;
  }
  FactorOf(mapping, slots[absorber], d) = left;
  SetResidual(mapping, slots[absorber], d, left);
  // Spatial factors still within the fan-outs.
  for (const Slot& slot : slots) {
    if (!slot.spatial) continue;
    const spec::LevelMapping& level = mapping.levels[slot.level];
    int64_t used[2] = {1, 1};
    for (size_t position = 0; position < level.spatial_permutation.size(); ++position)
      used[static_cast<int>(position) < level.spatial_split ? kX : kY] *=
          level.spatial_factors[level.spatial_permutation[position]];
    if (used[kX] > rules_[slot.level].fan_out[kX] || used[kY] > rules_[slot.level].fan_out[kY]) return false;
  }
  return true;
}

bool MapSpace::ReassignImperfect(spec::Mapping& mapping) const {
  for (int d = 0; d < static_cast<int>(workload_.dimensions.size()); ++d) {
    bool imperfect = mapping.Bound(d) != workload_.bounds[d];
    for (const spec::LevelMapping& level : mapping.levels)
      imperfect = imperfect || level.TemporalResidual(d) != level.temporal_factors[d] ||
                  level.SpatialResidual(d) != level.spatial_factors[d];
    if (imperfect && !Reassign(mapping, d)) return false;
  }
  return true;
}

bool MapSpace::Retile(spec::Mapping& mapping, std::mt19937_64& rng) const {
  const int d = static_cast<int>(rng() % workload_.dimensions.size());
  if (workload_.bounds[d] < 3) return false;  // 1 and 2 have nothing imperfect to offer
  // A free loop of d other than its outermost free temporal one (which takes what is left).
  std::vector<std::pair<int, bool>> free;
  int outermost_free_temporal = -1;
  for (int i = 0; i < static_cast<int>(rules_.size()); ++i)
    if (rules_[i].temporal_fixed[d] == 0) outermost_free_temporal = i;
  for (int i = 0; i < static_cast<int>(rules_.size()); ++i) {
    const LevelRules& rules = rules_[i];
    if (rules.fan_out[kX] * rules.fan_out[kY] > 1 && rules.spatial_fixed[d] == 0) free.push_back({i, true});
    if (rules.temporal_fixed[d] == 0 && i != outermost_free_temporal) free.push_back({i, false});
  }
  if (free.empty()) return false;
  const auto [level, spatial] = free[rng() % free.size()];
  spec::LevelMapping& at = mapping.levels[level];
  int64_t cap = workload_.bounds[d];
  if (spatial) {  // within the axis it is laid out on
    const auto position = std::find(at.spatial_permutation.begin(), at.spatial_permutation.end(), d) -
                          at.spatial_permutation.begin();
    cap = std::min(cap, rules_[level].fan_out[position < at.spatial_split ? kX : kY]);
  }
  if (cap < 2) return false;
  (spatial ? at.spatial_factors : at.temporal_factors)[d] = 2 + static_cast<int64_t>(rng() % (cap - 1));
  return Reassign(mapping, d);
}

}  // namespace cyclops::mapping
