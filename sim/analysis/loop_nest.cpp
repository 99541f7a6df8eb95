#include "sim/analysis/loop_nest.h"

namespace cyclops::analysis {

LoopNest::LoopNest(const spec::Workload& workload) : workload_(workload) {
  const size_t dims = workload.dimensions.size();
  unit_shift_.resize(workload.data_spaces.size() * dims);
  for (size_t d = 0; d < workload.data_spaces.size(); ++d) {
    const auto& projection = workload.data_spaces[d].projection;
    for (size_t r = 0; r < projection.size(); ++r)
      for (const spec::ProjectionTerm& term : projection[r])
        unit_shift_[d * dims + term.dimension][r] += workload.Coefficient(term);
  }
  for (const spec::DataSpaceSpec& space : workload.data_spaces) {
    rank_begin_.push_back(static_cast<int>(term_begin_.size()));
    for (const spec::ProjectionExpression& rank : space.projection) {
      term_begin_.push_back(static_cast<int>(terms_.size()));
      for (const spec::ProjectionTerm& term : rank)
        terms_.push_back({term.dimension, workload.Coefficient(term)});
    }
  }
  rank_begin_.push_back(static_cast<int>(term_begin_.size()));
  term_begin_.push_back(static_cast<int>(terms_.size()));
}

LoopNest::LoopNest(const spec::Workload& workload, const spec::Mapping& mapping) : LoopNest(workload) {
  Assign(mapping);
}

void LoopNest::Assign(const spec::Mapping& mapping) {
  const size_t dims = workload_.dimensions.size();
  const size_t levels = mapping.levels.size();
  loops_.clear();
  first_loop_.clear();
  tile_extent_.resize(levels);
  fanout_extent_.resize(levels);
  spatial_fanout_.assign(levels, 1);
  temporal_iterations_ = 1;
  // The running extent lives in the tile extent of the level being built; the previous level's tile
  // is where it starts.
  for (size_t level = 0; level < levels; ++level) {
    const spec::LevelMapping& directives = mapping.levels[level];
    std::vector<int64_t>& extent = tile_extent_[level];
    if (level == 0)
      extent.assign(dims, 1);
    else
      extent.assign(tile_extent_[level - 1].begin(), tile_extent_[level - 1].end());
    first_loop_.push_back(static_cast<int>(loops_.size()));
    auto add = [&](int dimension, int64_t factor, int64_t residual, bool spatial, bool y_axis) {
      if (factor <= 1) return;
      loops_.push_back(
          {dimension, factor, residual, extent[dimension], spatial, static_cast<int>(level), y_axis});
      extent[dimension] *= factor;
      (spatial ? spatial_fanout_[level] : temporal_iterations_) *= factor;
    };
    for (size_t position = 0; position < directives.spatial_permutation.size(); ++position) {
      const int dimension = directives.spatial_permutation[position];
      add(dimension, directives.spatial_factors[dimension], directives.SpatialResidual(dimension), true,
          static_cast<int>(position) >= directives.spatial_split);
    }
    fanout_extent_[level].assign(extent.begin(), extent.end());
    for (int dimension : directives.temporal_permutation)
      add(dimension, directives.temporal_factors[dimension], directives.TemporalResidual(dimension), false,
          false);
  }
  instances_above_.assign(levels + 1, 1);
  for (size_t level = levels; level-- > 0;)
    instances_above_[level] = instances_above_[level + 1] * spatial_fanout_[level];
}

DataBox LoopNest::Project(int data_space, const std::vector<int64_t>& origin,
                          const std::vector<int64_t>& extent) const {
  const auto& projection = workload_.data_spaces[data_space].projection;
  DataBox box;
  box.ranks = static_cast<int>(projection.size());
  for (int r = 0; r < box.ranks; ++r) {
    int64_t low = 0, high = 0;
    for (const spec::ProjectionTerm& term : projection[r]) {
      const int64_t coefficient = workload_.Coefficient(term);
      low += coefficient * origin[term.dimension];
      high += coefficient * (origin[term.dimension] + extent[term.dimension] - 1);
    }
    box.low[r] = low;
    box.high[r] = high;
  }
  return box;
}

DataBox LoopNest::Project(int data_space, const std::vector<int64_t>& extent) const {
  DataBox box;
  const int first_rank = rank_begin_[data_space];
  box.ranks = rank_begin_[data_space + 1] - first_rank;
  for (int r = 0; r < box.ranks; ++r) {
    int64_t high = 0;
    for (int t = term_begin_[first_rank + r]; t < term_begin_[first_rank + r + 1]; ++t)
      high += terms_[t].coefficient * (extent[terms_[t].dimension] - 1);
    box.high[r] = high;
  }
  return box;
}

}  // namespace cyclops::analysis
