#include "sim/analysis/loop_nest.h"

namespace cyclops::analysis {

int64_t DataBox::Size() const {
  int64_t size = 1;
  for (int r = 0; r < ranks; ++r) size *= high[r] - low[r] + 1;
  return size;
}

LoopNest::LoopNest(const spec::Workload& workload, const spec::Mapping& mapping) : workload_(workload) {
  const size_t dims = workload.dimensions.size();
  std::vector<int64_t> extent(dims, 1);
  for (size_t level = 0; level < mapping.levels.size(); ++level) {
    const spec::LevelMapping& directives = mapping.levels[level];
    first_loop_.push_back(static_cast<int>(loops_.size()));
    auto add = [&](int dimension, int64_t factor, int64_t residual, bool spatial, bool y_axis) {
      if (factor <= 1) return;
      loops_.push_back(
          {dimension, factor, residual, extent[dimension], spatial, static_cast<int>(level), y_axis});
      extent[dimension] *= factor;
    };
    fanout_extent_.push_back(extent);  // overwritten below once the spatial loops are in
    for (size_t position = 0; position < directives.spatial_permutation.size(); ++position) {
      const int dimension = directives.spatial_permutation[position];
      add(dimension, directives.spatial_factors[dimension], directives.SpatialResidual(dimension), true,
          static_cast<int>(position) >= directives.spatial_split);
    }
    fanout_extent_.back() = extent;
    for (int dimension : directives.temporal_permutation)
      add(dimension, directives.temporal_factors[dimension], directives.TemporalResidual(dimension), false,
          false);
    tile_extent_.push_back(extent);
  }
  unit_shift_.resize(workload.data_spaces.size() * dims);
  for (size_t d = 0; d < workload.data_spaces.size(); ++d) {
    const auto& projection = workload.data_spaces[d].projection;
    for (size_t r = 0; r < projection.size(); ++r)
      for (const spec::ProjectionTerm& term : projection[r])
        unit_shift_[d * dims + term.dimension][r] += workload.Coefficient(term);
  }
}

int64_t LoopNest::SpatialFanout(int level) const {
  int64_t fanout = 1;
  for (int i = FirstLoop(level); i < EndLoop(level); ++i)
    if (loops_[i].spatial) fanout *= loops_[i].factor;
  return fanout;
}

int64_t LoopNest::TemporalIterations() const {
  int64_t iterations = 1;
  for (const Loop& loop : loops_)
    if (!loop.spatial) iterations *= loop.factor;
  return iterations;
}

int64_t LoopNest::UtilizedInstances(int level) const {
  int64_t instances = 1;
  for (int above = level + 1; above < levels(); ++above) instances *= SpatialFanout(above);
  return instances;
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

}  // namespace cyclops::analysis
