// The action passes of the sparse model, after Sparseloop's storage-gs-analyzer.cpp,
// storage-optimization-combiner.cpp and compute-gs-analyzer.cpp: the probability that a gated or skipped
// read is optimized away, how that removes accesses at the levels below and computes, and how the
// compute units split their work into actual, gated and skipped computes.
#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "sim/analysis/sparse_state.h"
#include "sim/core/error.h"

namespace cyclops::analysis {

namespace {

struct ReadImpact {
  int target_level = -1;
  double probability = 0;         // a read of the target is optimized away
  double expected_occupancy = 0;  // data and metadata units of the target's tile
};

std::set<int> DimensionsOf(const SparseState& state, int data_space) {
  std::set<int> dimensions;
  for (size_t d = 0; d < state.workload.dimensions.size(); ++d)
    if (state.Projects(data_space, static_cast<int>(d))) dimensions.insert(static_cast<int>(d));
  return dimensions;
}

// Where the target's tile meets the conditioned-on tensors: the loop that moves the target above its
// child level (or the innermost loops, above the compute units), the target tile it spans, and the
// conditioned-on tile widened by the spatial loops above it and, for a spatial target loop, by the
// temporal loops that keep it stationary.
struct TargetTile {
  int level = -1;  // the level that holds the target (at or above the optimizing one)
  int child = -1;
  CompleteLoop loop;
  bool scalar = false;  // above the compute units with a temporal innermost loop: one value
  std::vector<int64_t> extent, condition_extent;
  std::vector<CompleteLoop> relevant;  // the target loop and the loops that widened the conditioned-on tile
};

TargetTile LocateTargetTile(const SparseState& state, int level, const spec::ConditionedOnSpec& option) {
  const int target = option.target;
  const std::set<int> target_dims = DimensionsOf(state, target);
  const auto& subnests = state.nest.subnests;
  TargetTile tile;
  tile.level = level;
  while (tile.level < state.Levels() && state.tiles[target][tile.level].shape == 0) ++tile.level;
  if (tile.level == state.Levels())
    throw SpecError(option.where,
                    state.workload.data_spaces[target].name + " is kept nowhere at or above '" +
                        state.architecture.storage[level].name + "', so nothing can be gated or skipped",
                    "a target kept at this level or above it");
  tile.child = state.tiles[target][tile.level].child;
  bool found = false;
  int loop_level = tile.level, loop_id = static_cast<int>(subnests[tile.level].size()) - 1;
  for (int l = tile.child + 1; l <= tile.level && !found; ++l) {
    for (size_t i = 0; i < subnests[l].size() && !found; ++i) {
      const CompleteLoop& loop = subnests[l][i];
      if (tile.child != -1) {
        found = loop.factor > 1 && target_dims.count(loop.dimension);
      } else {
        // Timeloop reads one loop past the last of the level here; a missing loop counts as temporal.
        const bool next_spatial = i + 1 < subnests[l].size() && subnests[l][i + 1].spatial;
        if (!next_spatial) {
          found = true;
          tile.scalar = !loop.spatial;
        } else {
          found = target_dims.count(loop.dimension) && loop.factor > 1;
        }
      }
      if (found) loop_level = l, loop_id = static_cast<int>(i);
    }
  }
  tile.loop = subnests[loop_level][loop_id];
  tile.extent = tile.scalar ? std::vector<int64_t>(state.workload.dimensions.size(), 1)
                            : state.nest.extents[loop_level][loop_id];
  tile.condition_extent = tile.extent;
  tile.relevant = {tile.loop};
  bool found_upper_temporal = !tile.loop.spatial;
  for (int l = loop_level; l <= tile.level; ++l) {
    for (size_t i = l == loop_level ? loop_id + 1 : 0; i < subnests[l].size(); ++i) {
      const CompleteLoop& upper = subnests[l][i];
      if (upper.factor == 1) continue;
      const bool stationary_non_target =
          !found_upper_temporal && !upper.spatial && tile.child != -1 && !target_dims.count(upper.dimension);
      if (upper.spatial || stationary_non_target) {
        tile.condition_extent[upper.dimension] *= upper.factor;
        tile.relevant.push_back(upper);
      }
      if (tile.loop.spatial && !upper.spatial && (tile.child == -1 || target_dims.count(upper.dimension)))
        found_upper_temporal = true;
    }
  }
  return tile;
}

// The probability that the conditioned-on tile the target's tile meets holds a nonzero (1 when the
// optimization cannot apply).
double EffectualProbability(const SparseState& state, const TargetTile& tile, int target, int condition) {
  const std::set<int> target_dims = DimensionsOf(state, target);
  const std::set<int> condition_dims = DimensionsOf(state, condition);
  std::vector<int64_t> target_extent = tile.extent;
  std::vector<int64_t> condition_extent = tile.condition_extent;
  bool co_iterated_seen = false;
  std::map<int, double> co_iteration;
  double co_iteration_product = 1.0;
  for (size_t i = 0; !tile.scalar && i < tile.relevant.size(); ++i) {
    const int dimension = tile.relevant[i].dimension;
    // A loop over the conditioned-on tensor above a co-iterated spatial loop would need a discordant
    // traversal: the optimization does not apply.
    if (tile.loop.spatial && co_iterated_seen && condition_dims.count(dimension)) return 1.0;
    if (target_dims.count(dimension) && condition_dims.count(dimension)) {
      const auto factor = static_cast<double>(tile.relevant[i].factor);
      co_iteration[dimension] = co_iteration.count(dimension) ? co_iteration[dimension] * factor : factor;
      co_iteration_product *= factor;
      co_iterated_seen = true;
    }
  }
  // The finest granularity is a block of the target's level: widen both tiles until they cover one.
  const auto granularity = static_cast<double>(state.Project(target, tile.extent).Size());
  const auto block = static_cast<double>(state.architecture.storage[tile.level].block_size);
  double scaling = std::ceil(block / (granularity / co_iteration_product));
  for (const auto& [dimension, factor] : co_iteration) {
    const double effective = factor / scaling;
    target_extent[dimension] =
        static_cast<int64_t>(std::ceil(static_cast<double>(target_extent[dimension]) / effective));
    condition_extent[dimension] =
        static_cast<int64_t>(std::ceil(static_cast<double>(condition_extent[dimension]) / effective));
    scaling = scaling / factor;
  }
  if (scaling > 1) {
    const int dimension = tile.loop.dimension;
    condition_extent[dimension] =
        static_cast<int64_t>(static_cast<double>(condition_extent[dimension]) * scaling);
    target_extent[dimension] = static_cast<int64_t>(static_cast<double>(target_extent[dimension]) * scaling);
  }
  const CoordinateTile condition_tile = CoordinateTile::Of(state.Project(condition, condition_extent));
  return 1 - state.Density(condition).OccupancyProbability(condition_tile, 0);
}

// Sparseloop's ComputeIneffectualReadImpact: the target's tile is optimized away when the tile of each
// conditioned-on tensor it meets is empty.
ReadImpact IneffectualReadImpact(const SparseState& state, int level, const spec::ConditionedOnSpec& option) {
  const TargetTile tile = LocateTargetTile(state, level, option);
  double effectual = 1.0;
  for (int condition : option.condition_on)
    effectual *= EffectualProbability(state, tile, option.target, condition);
  ReadImpact impact;
  impact.target_level = tile.level;
  impact.probability = 1 - effectual;
  // The data and the metadata sent with it (all ranks above the compute units, else the child's ranks).
  const SparseTile& sent = state.tiles[option.target][tile.child == -1 ? tile.level : tile.child];
  double metadata = 0;
  if (sent.has_metadata)
    for (const RankOccupancy& rank : sent.expected_metadata)
      metadata += rank.metadata_units + rank.payload_units;
  const int64_t ratio = state.sparse.attributes[tile.level].metadata_datawidth /
                        state.architecture.storage[tile.level].word_bits;
  impact.expected_occupancy =
      state.tiles[option.target][tile.level].expected_data_occupancy + metadata * static_cast<double>(ratio);
  return impact;
}

void DefineReadOptimization(SparseState& state, int level, const spec::ActionOptimizationSpec& action,
                            const energy::SparseEnergyPrices& prices) {
  std::vector<ReadImpact> impacts;
  for (const spec::ConditionedOnSpec& option : action.options)
    impacts.push_back(IneffectualReadImpact(state, level, option));
  // Of several options, the one that saves the most read energy.
  double best_savings = 0;
  size_t best = 0;
  for (size_t i = 0; i < impacts.size(); ++i) {
    const spec::StorageLevelSpec& storage = state.architecture.storage[impacts[i].target_level];
    const double read_energy = prices.storage[impacts[i].target_level].read[energy::kActual];
    const double savings = read_energy / static_cast<double>(storage.block_size) *
                           impacts[i].expected_occupancy * impacts[i].probability;
    best_savings = savings >= best_savings ? savings : best_savings;
    best = savings >= best_savings ? i : best;
  }
  const ReadImpact& chosen = impacts[best];
  const int target = action.options[best].target;
  const int l = chosen.target_level;
  const bool already = state.gated[l][target] || state.skipped[l][target];
  if (already && !(state.optimized_probability[l][target] < chosen.probability)) return;
  state.gated[l][target] = !action.skipping;
  state.skipped[l][target] = action.skipping;
  state.optimized_probability[l][target] = chosen.probability;
}

// The share `p` of a level's own reads (and the updates they would have caused) it gates or skips.
void ApplyLocalOptimization(SparseState& state, int data_space, int level, double p, bool gated) {
  SparseTile& tile = state.tiles[data_space][level];
  const bool read_write = state.workload.data_spaces[data_space].read_write;
  uint64_t max_reads = tile.read.random, max_updates = tile.update.random;
  // Read-write data rounds up, to match the read-modify-write counts.
  const auto delta_reads = static_cast<uint64_t>(read_write ? std::ceil(static_cast<double>(max_reads) * p)
                                                            : std::floor(static_cast<double>(max_reads) * p));
  (gated ? tile.read.gated : tile.read.skipped) += delta_reads;
  max_reads -= delta_reads;
  const auto delta_updates = static_cast<uint64_t>(std::floor(static_cast<double>(max_updates) * p));
  (gated ? tile.update.gated : tile.update.skipped) += delta_updates;
  max_updates -= delta_updates;
  // Only the metadata sent to the child can be optimized away.
  const size_t child_ranks =
      tile.child >= 0 ? state.tiles[data_space][tile.child].MetadataRanks() : tile.MetadataRanks();
  RankCounts& reads = tile.metadata_read.random;
  RankCounts& updates = tile.metadata_update.random;
  const size_t ranks = std::min({child_ranks, reads.size(), updates.size(), tile.metadata_read.gated.size()});
  for (size_t r = 0; r < ranks; ++r)
    for (size_t kind = 0; kind < reads[r].size(); ++kind) {
      const auto read_delta = static_cast<uint64_t>(std::floor(static_cast<double>(reads[r][kind]) * p));
      reads[r][kind] -= read_delta;
      (gated ? tile.metadata_read.gated : tile.metadata_read.skipped)[r][kind] += read_delta;
      const auto update_delta = static_cast<uint64_t>(std::floor(static_cast<double>(updates[r][kind]) * p));
      updates[r][kind] -= update_delta;
      (gated ? tile.metadata_update.gated : tile.metadata_update.skipped)[r][kind] += update_delta;
    }
  tile.read.random = max_reads;
  tile.update.random = max_updates;
  if (tile.shape != 0 && read_write && tile.updates > 0)
    tile.temporal_reductions = std::ceil(tile.temporal_reductions * static_cast<double>(tile.update.random) /
                                         static_cast<double>(tile.updates));
}

// Sparseloop's ScalePerTileFormatAccesses over ranks [lower, upper] (it is called with upper = 0).
void ScaleFormatAccesses(RankCounts& counts, double ratio, size_t lower, size_t upper) {
  for (size_t r = lower; r <= upper; ++r)
    for (uint64_t& count : counts[r])
      count -= static_cast<uint64_t>(std::floor(static_cast<double>(count) * ratio));
}

bool HasOptimization(const SparseState& state, int level, int data_space) {
  return state.gated[level][data_space] || state.skipped[level][data_space];
}

void FinalizeLevel(SparseTile& tile, double fills, double reads, double updates,
                   const RankCounts& format_fills, const RankCounts& format_reads,
                   const RankCounts& format_updates) {
  tile.fill.random = static_cast<uint64_t>(fills);
  tile.read.random = static_cast<uint64_t>(reads);
  tile.update.random = static_cast<uint64_t>(updates);
  tile.metadata_fill.random = format_fills;
  tile.metadata_read.random = format_reads;
  tile.metadata_update.random = format_updates;
}

// Sparseloop's PropagateImpactOfExplicitlyOptimizedRead: a gated or skipped read at one level removes the
// subtree below it, so the levels below (down to the next one with its own optimization) and, from the
// innermost optimized level of an operand, the computes lose that share.
void PropagateOptimizedReads(SparseState& state) {
  const int levels = state.Levels(), spaces = state.DataSpaces();
  std::vector<std::vector<double>> max_reads(levels, std::vector<double>(spaces)), max_fills = max_reads,
                                                                                   max_updates = max_reads;
  std::vector<std::vector<RankCounts>> format_reads(levels, std::vector<RankCounts>(spaces)),
      format_fills = format_reads, format_updates = format_reads;
  std::vector<std::vector<bool>> finalized(levels, std::vector<bool>(spaces, false));
  for (int l = 0; l < levels; ++l)
    for (int d = 0; d < spaces; ++d) {
      const SparseTile& tile = state.tiles[d][l];
      max_reads[l][d] = static_cast<double>(tile.read.random);
      max_fills[l][d] = static_cast<double>(tile.fill.random);
      max_updates[l][d] = static_cast<double>(tile.update.random);
      format_reads[l][d] = tile.format_reads;
      format_fills[l][d] = tile.format_fills;
      format_updates[l][d] = tile.format_updates;
    }
  state.max_computes = state.algorithmic_computes;
  for (int d = 0; d < spaces; ++d) {
    for (int l = levels - 1; l >= 0; --l) {
      if (!HasOptimization(state, l, d)) continue;
      const double p = state.optimized_probability[l][d];
      int impacted = l - 1;
      for (; impacted >= 0; --impacted) {
        max_fills[impacted][d] -= std::floor(max_fills[impacted][d] * p);
        max_reads[impacted][d] -= std::floor(max_reads[impacted][d] * p);
        max_updates[impacted][d] -= std::floor(max_updates[impacted][d] * p);
        if (state.tiles[d][impacted].has_metadata) {
          const size_t own = format_reads[l][d].size() - 1;  // unsigned, as in Sparseloop
          ScaleFormatAccesses(format_fills[impacted][d], p, std::min(format_fills[impacted][d].size(), own),
                              0);
          ScaleFormatAccesses(format_reads[impacted][d], p, std::min(format_reads[impacted][d].size(), own),
                              0);
          ScaleFormatAccesses(format_updates[impacted][d], p, format_updates[impacted][d].size(), 0);
        }
        if (!HasOptimization(state, impacted, d)) continue;
        // The next optimized level below: its own probability is relative to what still reaches it.
        const double local = state.optimized_probability[impacted][d];
        const double effective = 1 - ((1 - local) / (1 - p));
        // Sparseloop hands this level its metadata *updates* as its metadata reads.
        FinalizeLevel(state.tiles[d][impacted], max_fills[impacted][d], max_reads[impacted][d],
                      max_updates[impacted][d], format_fills[impacted][d], format_updates[impacted][d],
                      format_updates[impacted][d]);
        ApplyLocalOptimization(state, d, impacted, effective, state.gated[impacted][d]);
        finalized[impacted][d] = true;
        break;
      }
      if (!finalized[l][d]) {
        finalized[l][d] = true;
        FinalizeLevel(state.tiles[d][l], max_fills[l][d], max_reads[l][d], max_updates[l][d],
                      format_fills[l][d], format_reads[l][d], format_updates[l][d]);
        ApplyLocalOptimization(state, d, l, p, state.gated[l][d]);
      }
      if (impacted < 0 && !state.workload.data_spaces[d].read_write) {
        state.max_computes -= std::floor(state.max_computes * p);
        state.storage_saf[d] = true;
        state.innermost_empty_probability[d] = std::round(p * 1000000) / 1000000;
      }
    }
  }
  for (int l = 0; l < levels; ++l)
    for (int d = 0; d < spaces; ++d) {
      if (HasOptimization(state, l, d)) continue;
      SparseTile& tile = state.tiles[d][l];
      FinalizeLevel(tile, max_fills[l][d], max_reads[l][d], max_updates[l][d], format_fills[l][d],
                    format_reads[l][d], format_updates[l][d]);
      tile.temporal_reductions =
          tile.updates == 0 ? 0
                            : std::ceil(tile.temporal_reductions * static_cast<double>(tile.update.random) /
                                        static_cast<double>(tile.updates));
    }
}

}  // namespace

void DefineStorageOptimizations(SparseState& state, const energy::SparseEnergyPrices& prices) {
  const int levels = state.Levels(), spaces = state.DataSpaces();
  state.gated.assign(levels, std::vector<bool>(spaces, false));
  state.skipped = state.gated;
  state.optimized_probability.assign(levels, std::vector<double>(spaces, 0));
  state.storage_saf.assign(spaces, false);
  state.innermost_empty_probability.assign(spaces, 0);
  std::vector<const spec::StorageSparseSpec*> ordered;
  for (const spec::StorageSparseSpec& level : state.sparse.levels) ordered.push_back(&level);
  std::sort(ordered.begin(), ordered.end(), [](auto* a, auto* b) { return a->level < b->level; });
  // Sparseloop evaluates every level's gating, then every level's skipping.
  for (const spec::StorageSparseSpec* level : ordered)
    for (const spec::ActionOptimizationSpec& action : level->gating)
      DefineReadOptimization(state, level->level, action, prices);
  for (const spec::StorageSparseSpec* level : ordered)
    for (const spec::ActionOptimizationSpec& action : level->skipping)
      DefineReadOptimization(state, level->level, action, prices);
}

void CombineStorageOptimizations(SparseState& state) {
  // With metadata, the hardware never touches the empty elements of a tile.
  for (int d = 0; d < state.DataSpaces(); ++d)
    for (int l = state.Levels() - 1; l >= 0; --l) {
      SparseTile& tile = state.tiles[d][l];
      if (!tile.has_metadata) continue;
      const double sparsity = 1 - tile.expected_density;
      auto actual = [&](uint64_t count) {
        return count - static_cast<uint64_t>(std::floor(static_cast<double>(count) * sparsity));
      };
      tile.read.random = actual(tile.reads);
      tile.fill.random = actual(tile.fills);
      if (state.workload.data_spaces[d].read_write) tile.update.random = actual(tile.updates);
    }
  PropagateOptimizedReads(state);
  // A level that holds a compressed parent's data uncompressed decompresses its fills and compresses
  // what its parent's updates take back.
  for (int l = state.Levels() - 1; l >= 0; --l)
    for (int d = 0; d < state.DataSpaces(); ++d) {
      SparseTile& tile = state.tiles[d][l];
      if (tile.compressed) continue;
      if (tile.parent >= 0 && state.tiles[d][tile.parent].compressed) {
        if (state.workload.data_spaces[d].read_write)
          tile.compressions += state.tiles[d][tile.parent].update.random;
        tile.decompressions += tile.fill.random;
      }
      if (tile.child >= 0 && state.tiles[d][tile.child].compressed)
        throw SpecError(state.sparse.Format(tile.child, d)->where,
                        state.workload.data_spaces[d].name + " is compressed in '" +
                            state.architecture.storage[tile.child].name + "' but not in its parent '" +
                            state.architecture.storage[l].name + "': on-chip compression is not modelled",
                        "a compressed tile only below compressed (or no) parents");
    }
}

void ComputeFineGrainedComputes(SparseState& state) {
  // The operands: the read-only data spaces, as held by their innermost level.
  std::vector<int> operands;
  std::map<int, bool> has_metadata;
  for (int d = 0; d < state.DataSpaces(); ++d) {
    if (state.workload.data_spaces[d].read_write) continue;
    for (int l = 0; l < state.Levels(); ++l)
      if (state.tiles[d][l].shape != 0) {
        operands.push_back(d);
        has_metadata[d] = state.tiles[d][l].has_metadata;
        break;
      }
  }
  if (operands.size() != 2)
    throw SpecError(state.workload.where,
                    "Sparseloop's compute model needs two multiplied operands; '" + state.workload.name +
                        "' has " + std::to_string(operands.size()),
                    "a workload with two read-only data spaces and one read-write data space");
  // Per operand: exists and nonzero (ENZ), exists and zero (EZ), not there (NE: skipped by its metadata).
  enum { kNonzero, kZero, kMissing };
  std::map<int, double> density;
  std::map<int, std::array<double, 3>> states;
  const std::vector<int64_t> scalar(state.workload.dimensions.size(), 1);
  for (int d : operands) {
    const CoordinateTile tile = CoordinateTile::Of(state.Project(d, scalar));
    density[d] =
        std::round(1000000 * state.Density(d).ExpectedOccupancy(tile) / static_cast<double>(tile.shape)) /
        1000000;
    const double rounded = std::round(density[d] * 1000000) / 1000000;
    states[d] = has_metadata[d] ? std::array<double, 3>{rounded, 0, 1.0 - rounded}
                                : std::array<double, 3>{rounded, 1.0 - rounded, 0};
  }
  const int a = operands[0], b = operands[1];
  // An operand read only where the other is nonzero meets its own zeros in proportion.
  auto conditioned = [&](int operand, int leader) {
    const double nonempty = 1 - state.innermost_empty_probability[leader];
    const double missing = 1 - density[operand] / nonempty;
    states[operand] = {density[operand] / nonempty, has_metadata[operand] ? 0 : missing,
                       has_metadata[operand] ? missing : 0};
  };
  if (state.storage_saf[a] && state.storage_saf[b]) {
    conditioned(a, b);
    conditioned(b, a);
  } else if (state.storage_saf[a]) {
    conditioned(b, a);
  } else if (state.storage_saf[b]) {
    conditioned(a, b);
  }
  for (int d : operands)
    for (double& p : states[d]) {
      if (p < -0.00001 || p > 1.00001)
        throw SpecError(state.sparse.where,
                        "the operand probabilities of the compute model are out of range");
      p = std::clamp(p, 0.0, 1.0);
    }
  auto joint = [&](int sa, int sb) { return states[a][sa] * states[b][sb]; };
  const bool gate = state.sparse.compute && state.sparse.compute->gate_on_zero_operand;
  const bool skip = state.sparse.compute && state.sparse.compute->skip_on_not_aligned_operands;
  const double total = state.max_computes;
  double random = total * joint(kNonzero, kNonzero), gated = 0, skipped = 0;
  auto zero_operand = [&](double share) { (gate ? gated : random) += share; };
  auto missing_operand = [&](double share) {
    if (skip) {
      skipped += share;
    } else {
      zero_operand(share);
    }
  };
  zero_operand(total * (joint(kNonzero, kZero) + joint(kZero, kNonzero)));
  missing_operand(total * (joint(kNonzero, kMissing) + joint(kMissing, kNonzero)));
  zero_operand(total * joint(kZero, kZero));
  missing_operand(total * (joint(kZero, kMissing) + joint(kMissing, kZero)));
  const double nonexistent = total * joint(kMissing, kMissing);
  state.skipped_computes = static_cast<uint64_t>(std::floor(skipped));
  state.gated_computes = static_cast<uint64_t>(std::floor(gated));
  state.random_computes =
      static_cast<uint64_t>(total - std::floor(skipped) - std::floor(gated) - std::floor(nonexistent));
}

}  // namespace cyclops::analysis
