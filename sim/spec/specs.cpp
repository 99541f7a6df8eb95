#include "sim/spec/specs.h"

#include <algorithm>

namespace cyclops::spec {

namespace {
template <typename Range, typename Name>
int IndexOf(const Range& range, const std::string& wanted, Name name_of) {
  for (size_t i = 0; i < range.size(); ++i)
    if (name_of(range[i]) == wanted) return static_cast<int>(i);
  return -1;
}
}  // namespace

int Workload::DimensionIndex(const std::string& name) const {
  return IndexOf(dimensions, name, [](const std::string& d) { return d; });
}

int Workload::DataSpaceIndex(const std::string& name) const {
  return IndexOf(data_spaces, name, [](const DataSpaceSpec& d) { return d.name; });
}

int64_t Workload::TotalOperations() const {
  int64_t product = 1;
  for (int64_t bound : bounds) product *= bound;
  return product;
}

int64_t Workload::DataSpaceSize(int data_space) const {
  int64_t size = 1;
  for (const ProjectionExpression& expression : data_spaces[data_space].projection) {
    int64_t max_coordinate = 0;
    for (const ProjectionTerm& term : expression)
      max_coordinate += Coefficient(term) * (bounds[term.dimension] - 1);
    size *= max_coordinate + 1;
  }
  return size;
}

int Architecture::StorageIndex(const std::string& name) const {
  return IndexOf(storage, name, [](const StorageLevelSpec& s) { return s.name; });
}

const StorageLevelSpec* Architecture::InnermostDataLevel() const {
  for (const StorageLevelSpec& level : storage)
    if (!level.is_dummy) return &level;
  return nullptr;
}

std::optional<double> EnergyTable::Lookup(const std::string& component, const std::string& action) const {
  auto component_it = components.find(component);
  if (component_it == components.end()) return std::nullopt;
  auto action_it = component_it->second.find(action);
  if (action_it == component_it->second.end()) return std::nullopt;
  return action_it->second;
}

bool LevelMapping::Imperfect() const {
  for (size_t d = 0; d < temporal_residuals.size(); ++d)
    if (temporal_residuals[d] != temporal_factors[d]) return true;
  for (size_t d = 0; d < spatial_residuals.size(); ++d)
    if (spatial_residuals[d] != spatial_factors[d]) return true;
  return false;
}

bool Mapping::Imperfect() const {
  for (const LevelMapping& level : levels)
    if (level.Imperfect()) return true;
  return false;
}

int64_t Mapping::Bound(int dimension) const {
  // Outermost loop first (the outermost level's temporal loop, then its spatial one, ...): the index of the
  // last point is Σ (residual − 1) × (product of the factors inside), Timeloop's parser formula.
  int64_t last = 0;
  for (size_t level = levels.size(); level-- > 0;) {
    const LevelMapping& at = levels[level];
    last = last * at.temporal_factors[dimension] + at.TemporalResidual(dimension) - 1;
    last = last * at.spatial_factors[dimension] + at.SpatialResidual(dimension) - 1;
  }
  return last + 1;
}

std::string SpecWarning::ToString() const {
  std::string text = where.ToString() + ": warning";
  if (!where.key_path.empty()) text += ": at '" + where.key_path + "'";
  text += ": " + problem;
  if (!suggestion.empty()) text += " (" + suggestion + ")";
  return text;
}

}  // namespace cyclops::spec
