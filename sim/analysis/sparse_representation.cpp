// The representation passes of the sparse model, after Sparseloop's representation-analyzer.cpp and
// tiling-tile-info.cpp: which loops each metadata rank of a compressed tile spans, how much data and
// metadata a tile holds on average, and how many metadata units its reads, fills and updates move.
#include <algorithm>
#include <cmath>
#include <string>

#include "sim/analysis/sparse_state.h"
#include "sim/core/error.h"

namespace cyclops::analysis {

CompleteNest BuildCompleteNest(const spec::Architecture& architecture, const spec::Workload& workload,
                               const spec::Mapping& mapping) {
  CompleteNest nest;
  std::vector<int64_t> extent(workload.dimensions.size(), 1);
  for (size_t level = 0; level < architecture.storage.size(); ++level) {
    const spec::LevelMapping& directives = mapping.levels[level];
    const int64_t below =
        level == 0 ? architecture.arithmetic.instances : architecture.storage[level - 1].instances;
    std::vector<CompleteLoop>& loops = nest.subnests.emplace_back();
    std::vector<std::vector<int64_t>>& extents = nest.extents.emplace_back();
    auto add = [&](int dimension, int64_t factor, bool spatial) {
      loops.push_back({dimension, factor, spatial});
      extent[dimension] *= factor;
      extents.push_back(extent);
    };
    // Timeloop gives a level spatial loops only when it fans out.
    if (below / architecture.storage[level].instances > 1)
      for (int dimension : directives.spatial_permutation)
        add(dimension, directives.spatial_factors[dimension], true);
    for (int dimension : directives.temporal_permutation)
      add(dimension, directives.temporal_factors[dimension], false);
  }
  nest.full_extent = extent;
  return nest;
}

DataBox SparseState::Project(int data_space, const std::vector<int64_t>& extent) const {
  const auto& projection = workload.data_spaces[data_space].projection;
  DataBox box;
  box.ranks = static_cast<int>(projection.size());
  for (int r = 0; r < box.ranks; ++r) {
    int64_t high = 0;
    for (const spec::ProjectionTerm& term : projection[r])
      high += workload.Coefficient(term) * (extent[term.dimension] - 1);
    box.low[r] = 0;
    box.high[r] = high;
  }
  return box;
}

bool SparseState::Projects(int data_space, int dimension) const {
  for (const spec::ProjectionExpression& expression : workload.data_spaces[data_space].projection)
    for (const spec::ProjectionTerm& term : expression)
      if (term.dimension == dimension) return true;
  return false;
}

namespace {

bool Trivial(const CompleteLoop& loop) {
  return loop.factor <= 1;
}

// The loops of one data space below a tile, innermost first, with the tile each covers.
struct Singletons {
  std::vector<CompleteLoop> loops;
  std::vector<DataBox> tiles;
};

const std::vector<int>* FlatteningRule(const spec::DataSpaceFormatSpec* format, size_t rank, int dimension) {
  for (const std::vector<int>& group : format->ranks[rank].flattened_rank_ids)
    if (std::find(group.begin(), group.end(), dimension) != group.end()) return &group;
  return nullptr;
}
bool InRule(const std::vector<int>* rule, int dimension) {
  return rule != nullptr && std::find(rule->begin(), rule->end(), dimension) != rule->end();
}

// Sparseloop's ApplyRanksOuterToInner: the outermost rank takes the outermost nontrivial loop (and the
// loops flattened with it); ranks left over become empty inner ranks. Returns true when nontrivial loops
// are left without a rank.
bool ApplyRanksOuterToInner(size_t inner_rank, const Singletons& singletons, const DataBox& scalar,
                            const spec::DataSpaceFormatSpec* format, bool has_metadata, SparseTile& tile) {
  const auto& loops = singletons.loops;
  const int ranks = has_metadata ? static_cast<int>(format->ranks.size()) : 1;
  int loop_id = static_cast<int>(loops.size()) - 1;
  int rank = ranks;
  DataBox covered = scalar;
  while (rank > static_cast<int>(inner_rank) && loop_id >= 0) {
    while (loop_id >= 0 && Trivial(loops[loop_id])) --loop_id;
    if (loop_id < 0) break;
    --rank;
    std::vector<CompleteLoop> flattened;
    const std::vector<int>* rule = nullptr;
    bool in_rule = false;
    const CompleteLoop& first = loops[loop_id];
    if (has_metadata && !format->ranks[rank].flattened_rank_ids.empty()) {
      rule = FlatteningRule(format, rank, first.dimension);
      if (rule == nullptr) {  // Sparseloop appends (not prepends) the empty rank here
        tile.metadata_subnest.emplace_back();
        tile.metadata_subtile.push_back(singletons.tiles.at(0));
        continue;
      }
      in_rule = true;
    }
    if (!has_metadata) in_rule = true;
    flattened.push_back(first);
    covered = singletons.tiles.at(loop_id);
    --loop_id;
    if (loop_id >= 0 && (!has_metadata || in_rule)) {
      while (!has_metadata || InRule(rule, loops[loop_id].dimension) || Trivial(loops[loop_id])) {
        if (!Trivial(loops[loop_id])) flattened.push_back(loops[loop_id]);
        if (--loop_id < 0) break;
      }
    }
    tile.metadata_subnest.insert(tile.metadata_subnest.begin(), flattened);
    tile.metadata_subtile.insert(tile.metadata_subtile.begin(), covered);
    covered = scalar;
  }
  while (rank > static_cast<int>(inner_rank)) {
    --rank;
    tile.metadata_subnest.insert(tile.metadata_subnest.begin(), std::vector<CompleteLoop>{});
    tile.metadata_subtile.insert(tile.metadata_subtile.begin(), singletons.tiles.at(0));
  }
  for (; loop_id >= 0; --loop_id)
    if (!Trivial(loops[loop_id])) return true;
  return false;
}

// Sparseloop's ApplyRanksInnerToOuter: the same from the innermost rank and loop outwards.
bool ApplyRanksInnerToOuter(size_t inner_rank, const Singletons& singletons, const DataBox& scalar,
                            const spec::DataSpaceFormatSpec* format, bool has_metadata, SparseTile& tile) {
  const auto& loops = singletons.loops;
  const int ranks = has_metadata ? static_cast<int>(format->ranks.size()) : 1;
  size_t loop_id = 0;
  int rank = static_cast<int>(inner_rank) - 1;
  DataBox covered = scalar;
  while (rank < ranks - 1 && loop_id < loops.size()) {
    while (loop_id < loops.size() && Trivial(loops[loop_id])) ++loop_id;
    if (loop_id >= loops.size()) break;
    ++rank;
    std::vector<CompleteLoop> flattened;
    const std::vector<int>* rule = nullptr;
    bool in_rule = false;
    const CompleteLoop& first = loops[loop_id];
    if (has_metadata && !format->ranks[rank].flattened_rank_ids.empty()) {
      rule = FlatteningRule(format, rank, first.dimension);
      if (rule == nullptr) {  // a placeholder rank over the rule's first dimension
        tile.metadata_subnest.push_back(
            {CompleteLoop{format->ranks[rank].flattened_rank_ids[0][0], 1, first.spatial}});
        tile.metadata_subtile.push_back(covered);
        continue;
      }
      in_rule = true;
    }
    if (!has_metadata) in_rule = true;
    flattened.push_back(first);
    covered = singletons.tiles.at(loop_id);
    ++loop_id;
    if (loop_id < loops.size() && (!has_metadata || in_rule)) {
      while (!has_metadata || InRule(rule, loops[loop_id].dimension) || Trivial(loops[loop_id])) {
        if (!Trivial(loops[loop_id])) flattened.push_back(loops[loop_id]);
        if (++loop_id >= loops.size()) break;
      }
    }
    tile.metadata_subnest.push_back(flattened);
    tile.metadata_subtile.push_back(covered);
    covered = scalar;
  }
  while (rank < ranks - 1) {
    ++rank;
    tile.metadata_subnest.emplace_back();
    tile.metadata_subtile.push_back(singletons.tiles.at(0));
  }
  for (; loop_id < loops.size(); ++loop_id)
    if (!Trivial(loops[loop_id])) return true;
  return false;
}

size_t RanksOf(const spec::DataSpaceFormatSpec* format) {
  return format != nullptr && format->HasMetadata() ? format->ranks.size() : 1;
}

// Sparseloop requires a compressed tile above a tile with metadata to carry the child's ranks, in order.
void CheckPreTiling(const SparseState& state, int data_space, int level, int child) {
  const spec::DataSpaceFormatSpec* format = state.sparse.Format(level, data_space);
  const spec::DataSpaceFormatSpec* child_format = state.sparse.Format(child, data_space);
  const size_t ranks = RanksOf(format), child_ranks = RanksOf(child_format);
  bool aligned = child_ranks <= ranks;
  for (size_t r = 0; aligned && r < child_ranks; ++r)
    if (child_format != nullptr && child_format->Compressed() &&
        format->ranks[r].format != child_format->ranks[r].format)
      aligned = false;
  if (!aligned)
    throw SpecError(format->where,
                    "the compressed " + state.workload.data_spaces[data_space].name + " tile of '" +
                        state.architecture.storage[level].name + "' holds whole tiles of '" +
                        state.architecture.storage[child].name + "', whose format it does not repeat",
                    "the child level's ranks as the innermost ranks here (Sparseloop's pre-tiling)");
}

// One data space's loops over the whole nest that it projects onto, innermost first, with the tile each
// covers; a level's tile spans a contiguous run of them, so they are projected once, not once per level.
struct ProjectedLoops {
  Singletons all;
  std::vector<size_t> level_begin;  // index of each level's first loop in `all`; one past the end last
};

ProjectedLoops ProjectLoops(const SparseState& state, int data_space) {
  ProjectedLoops projected;
  for (int l = 0; l < state.Levels(); ++l) {
    projected.level_begin.push_back(projected.all.loops.size());
    for (size_t i = 0; i < state.nest.subnests[l].size(); ++i) {
      const CompleteLoop& loop = state.nest.subnests[l][i];
      if (!state.Projects(data_space, loop.dimension)) continue;
      projected.all.loops.push_back(loop);
      projected.all.tiles.push_back(state.Project(data_space, state.nest.extents[l][i]));
    }
  }
  projected.level_begin.push_back(projected.all.loops.size());
  return projected;
}

void DefineTileFormat(SparseState& state, int data_space, int level, const ProjectedLoops& projected) {
  SparseTile& tile = state.tiles[data_space][level];
  const spec::DataSpaceFormatSpec* format = state.sparse.Format(level, data_space);
  const bool has_metadata = format != nullptr && format->HasMetadata();
  const bool compressed = format != nullptr && format->Compressed();
  const size_t ranks = RanksOf(format);
  if (has_metadata) {
    tile.format = format;
    tile.has_metadata = true;
    tile.compressed = compressed;
  }
  const int child = tile.child;
  const int innermost = child < 0 ? 0 : child + 1;
  const bool pre_tiling = compressed && child >= 0 && state.tiles[data_space][child].shape > 1;
  if (pre_tiling) CheckPreTiling(state, data_space, level, child);

  Singletons singletons;  // innermost first: the levels innermost..level
  const auto begin = static_cast<std::ptrdiff_t>(projected.level_begin[innermost]);
  const auto end = static_cast<std::ptrdiff_t>(projected.level_begin[level + 1]);
  singletons.loops.assign(projected.all.loops.begin() + begin, projected.all.loops.begin() + end);
  singletons.tiles.assign(projected.all.tiles.begin() + begin, projected.all.tiles.begin() + end);
  if (!pre_tiling) {
    // The tile spans whatever the levels below it hold too: the innermost loop of each dimension grows
    // by the loops below this level's reach.
    std::vector<int64_t> below(state.workload.dimensions.size(), 1);
    for (int l = 0; l < innermost; ++l)
      for (const CompleteLoop& loop : state.nest.subnests[l]) below[loop.dimension] *= loop.factor;
    for (CompleteLoop& loop : singletons.loops) {
      loop.factor *= below[loop.dimension];
      below[loop.dimension] = 1;
    }
  }
  const DataBox scalar = state.Project(data_space, std::vector<int64_t>(state.workload.dimensions.size(), 1));
  const size_t inner_rank = pre_tiling ? RanksOf(state.sparse.Format(child, data_space)) : 0;
  const bool left_over =
      format != nullptr && format->ranks_inner_to_outer
          ? ApplyRanksInnerToOuter(inner_rank, singletons, scalar, format, has_metadata, tile)
          : ApplyRanksOuterToInner(inner_rank, singletons, scalar, format, has_metadata, tile);
  if (left_over)
    throw SpecError(format != nullptr ? format->where : state.sparse.where,
                    "the " + state.workload.data_spaces[data_space].name + " tile of '" +
                        state.architecture.storage[level].name + "' needs more ranks than its format has",
                    "a format with a rank per nontrivial loop, or flattened_rankIDs that cover them");
  if (pre_tiling) {
    const SparseTile& inner = state.tiles[data_space][child];
    for (size_t r = inner.metadata_subnest.size(); r-- > 0;) {
      tile.metadata_subnest.insert(tile.metadata_subnest.begin(), inner.metadata_subnest[r]);
      tile.metadata_subtile.insert(tile.metadata_subtile.begin(), inner.metadata_subtile.at(r + 1));
    }
    tile.metadata_subtile.insert(tile.metadata_subtile.begin(), inner.metadata_subtile.at(0));
  } else {
    tile.metadata_subtile.insert(tile.metadata_subtile.begin(), scalar);
  }
  if (tile.metadata_subnest.size() != ranks || tile.metadata_subtile.size() != ranks + 1)
    throw SpecError(format != nullptr ? format->where : state.sparse.where,
                    "the loops of the " + state.workload.data_spaces[data_space].name + " tile of '" +
                        state.architecture.storage[level].name + "' do not map onto its format's ranks",
                    "flattened_rankIDs that name the loops of each rank");
  for (const std::vector<CompleteLoop>& rank_loops : tile.metadata_subnest) {
    std::vector<int64_t> extent(state.workload.dimensions.size(), 1);
    for (const CompleteLoop& loop : rank_loops) extent[loop.dimension] *= loop.factor;
    tile.fiber_shape.push_back(static_cast<uint64_t>(state.Project(data_space, extent).Size()));
  }
}

}  // namespace

void DefineFormats(SparseState& state) {
  for (int d = 0; d < state.DataSpaces(); ++d) {
    const ProjectedLoops projected = ProjectLoops(state, d);
    int level = 0;
    while (level >= 0 && level < state.Levels()) {
      if (state.tiles[d][level].shape == 0) {
        ++level;
        continue;
      }
      DefineTileFormat(state, d, level, projected);
      level = state.tiles[d][level].parent;
    }
  }
}

std::vector<RankOccupancy> MetadataOccupancy(const SparseState& state, int data_space, int level,
                                             const CoordinateTile& tile) {
  const SparseTile& info = state.tiles[data_space][level];
  const int ranks = static_cast<int>(info.format->ranks.size());
  std::vector<RankOccupancy> occupancy(ranks);
  uint64_t fibers = 1;
  CoordinateTile current = tile;
  for (int r = ranks - 1; r >= 0; --r) {
    CoordinateTile next = current;
    next.box = info.metadata_subtile.at(r);
    next.shape = next.box.Size();
    const bool trivial_rank =
        info.fiber_shape[r] == 1 && (info.format->ranks_inner_to_outer ? r != 0 : r != ranks - 1);
    if (!trivial_rank)
      occupancy[r] = RankFormatOccupancy(
          info.format->ranks[r], {fibers, info.fiber_shape[r], current, next, &state.Density(data_space)});
    fibers *= info.fiber_shape[r];
    current = next;
  }
  // The innermost rank's payload is the data itself.
  for (RankOccupancy& rank : occupancy)
    if (!rank.Empty()) {
      rank.payload_units = 0;
      break;
    }
  return occupancy;
}

void ComputeExpectedOccupancy(SparseState& state) {
  for (int d = 0; d < state.DataSpaces(); ++d) {
    for (int level = 0; level < state.Levels(); ++level) {
      SparseTile& tile = state.tiles[d][level];
      double total = 0;
      std::vector<RankOccupancy> expected;
      if (tile.shape != 0) {
        DensityModel& density = state.Density(d);
        const CoordinateTile coordinates = CoordinateTile::Of(tile.box);
        const int64_t max_occupancy = density.MaxOccupancy(coordinates, 1.0);
        const auto min_occupancy = static_cast<int64_t>(
            std::floor(density.MinDensity(coordinates) * static_cast<double>(tile.shape)));
        std::vector<double> probabilities;
        std::vector<bool> exists;
        for (int64_t occupancy = min_occupancy; occupancy <= max_occupancy; ++occupancy) {
          const double p = density.OccupancyProbability(coordinates, occupancy);
          exists.push_back(p != 0);
          if (p != 0) probabilities.push_back(p);
        }
        // A parent with metadata never sends an empty tile: fewer instances are used on average, and the
        // expectation is over the nonempty tiles (Sparseloop's first recorded probability stands for 0).
        if (tile.parent >= 0 && state.tiles[d][tile.parent].has_metadata && min_occupancy == 0) {
          tile.avg_replication *= 1.0 - probabilities[0];
          const double nonempty = (1 - probabilities[0]) / 1;
          for (double& p : probabilities) p /= nonempty;
          probabilities[0] = 0;
        }
        size_t recorded = 0;
        for (size_t i = 0; i < exists.size(); ++i) {
          if (!exists[i]) continue;
          const double p = probabilities[recorded++];
          const int64_t occupancy = min_occupancy + static_cast<int64_t>(i);
          total += p * static_cast<double>(occupancy);
          if (!tile.has_metadata) continue;
          const CoordinateTile possible = coordinates.WithConstraint(tile.shape, occupancy, tile.box);
          std::vector<RankOccupancy> metadata = MetadataOccupancy(state, d, level, possible);
          for (size_t r = 0; r < metadata.size(); ++r) {
            metadata[r].Scale(p);
            if (expected.size() == r) {
              expected.push_back(metadata[r]);
            } else {
              expected[r].Add(metadata[r]);
            }
          }
        }
      }
      tile.expected_density = total / static_cast<double>(tile.shape);
      tile.expected_metadata = expected;
      tile.expected_data_occupancy = total;
    }
  }
}

void ComputeMetadataAccesses(SparseState& state) {
  for (int d = 0; d < state.DataSpaces(); ++d) {
    for (int level = state.Levels() - 1; level >= 0; --level) {
      SparseTile& tile = state.tiles[d][level];
      if (tile.shape == 0 || !tile.has_metadata) continue;
      const auto shape = static_cast<double>(tile.shape);
      const double read_ratio = static_cast<double>(tile.reads) / shape;
      const double fill_ratio = static_cast<double>(tile.fills) / shape;
      const double update_ratio = static_cast<double>(tile.updates) / shape;
      for (const RankOccupancy& rank : tile.expected_metadata) {
        auto scaled = [&](double ratio) -> std::array<uint64_t, 2> {
          return {static_cast<uint64_t>(std::ceil(rank.metadata_units * ratio)),
                  static_cast<uint64_t>(std::ceil(rank.payload_units * ratio))};
        };
        tile.format_fills.push_back(scaled(fill_ratio));
        tile.format_reads.push_back(scaled(read_ratio));
        tile.format_updates.push_back(scaled(update_ratio));
        for (FormatSplitCounts* counts : {&tile.metadata_read, &tile.metadata_fill, &tile.metadata_update}) {
          counts->random.push_back({0, 0});
          counts->gated.push_back({0, 0});
          counts->skipped.push_back({0, 0});
        }
      }
    }
  }
}

}  // namespace cyclops::analysis
