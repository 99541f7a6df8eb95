#include "sim/analysis/sparse_model.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "sim/analysis/sparse_state.h"
#include "sim/core/error.h"
#include "sim/energy/energy_model.h"
#include "sim/energy/sparse_energy.h"

namespace cyclops::analysis {

namespace {

// The nearest levels above and below that keep each data space, and the dense figures of every tile.
void BuildTiles(SparseState& state, const AnalysisResult& dense) {
  state.tiles.assign(state.DataSpaces(), std::vector<SparseTile>(state.Levels()));
  for (int d = 0; d < state.DataSpaces(); ++d) {
    int below = -1;
    for (int l = 0; l < state.Levels(); ++l) {
      const DataSpaceAccesses& counts = dense.storage[l].data_spaces[d];
      if (!counts.kept) continue;
      SparseTile& tile = state.tiles[d][l];
      tile.shape = counts.utilized_capacity;
      tile.reads = static_cast<uint64_t>(counts.reads);
      tile.fills = static_cast<uint64_t>(counts.fills);
      tile.updates = static_cast<uint64_t>(counts.updates);
      tile.temporal_reductions = static_cast<double>(counts.temporal_reductions);
      tile.replication = static_cast<double>(counts.utilized_instances);
      tile.avg_replication = tile.replication;
      tile.box = state.Project(d, state.nest.extents[l].back());
      tile.read.random = tile.reads;
      tile.fill.random = tile.fills;
      tile.update.random = tile.updates;
      tile.child = below;
      if (below >= 0) state.tiles[d][below].parent = l;
      below = l;
    }
  }
}

// Sparseloop's CheckFormatModelsAndMapping: an uncompressed tile below a compressed one must be able to
// decompress what arrives (and compress what it writes back).
void CheckCompressionSupport(const SparseState& state) {
  for (int d = 0; d < state.DataSpaces(); ++d) {
    bool parent_compressed = false, first = true;
    size_t parent_ranks = 0;
    for (int l = state.Levels() - 1; l >= 0; --l) {
      if (state.tiles[d][l].shape == 0) continue;
      const spec::DataSpaceFormatSpec* format = state.sparse.Format(l, d);
      const bool compressed = format != nullptr && format->Compressed();
      const size_t ranks = compressed ? format->ranks.size() : 0;
      const spec::StorageLevelSpec& level = state.architecture.storage[l];
      const std::string& name = state.workload.data_spaces[d].name;
      if (!first && parent_compressed && !compressed) {
        if (!state.sparse.attributes[l].decompression_supported)
          throw SpecError(level.where,
                          "'" + level.name + "' receives " + name +
                              " compressed from its parent but cannot decompress it",
                          "attributes.decompression_supported: true, or the same format here");
        if (state.workload.data_spaces[d].read_write && !state.sparse.attributes[l].compression_supported)
          throw SpecError(
              level.where,
              "'" + level.name + "' writes " + name + " back to a compressed parent but cannot compress it",
              "attributes.compression_supported: true, or the same format here");
      }
      if (!first && parent_compressed && compressed && parent_ranks < ranks)
        throw SpecError(format->where,
                        name + " has more ranks at '" + level.name +
                            "' than at its parent: runtime tile partitioning is not modelled",
                        "no more ranks than the parent level's format");
      first = false;
      parent_compressed = compressed;
      parent_ranks = ranks;
    }
  }
}

// Sparseloop's VectorWidthCoefficientTable: below these tile sizes (in rows) a compressed tile's rows are
// counted from its occupancy distribution rather than from the mean.
double VectorWidthThreshold(const SparseState& state, int level, double density) {
  static const std::map<int64_t, std::vector<double>> kTable = {
      {2, {251, 125, 84, 63, 51, 42, 36, 32, 28, 1}},
      {4, {375, 188, 125, 94, 75, 63, 54, 47, 42, 1}},
      {8, {438, 219, 146, 110, 88, 73, 63, 55, 49, 1}},
      {16, {469, 235, 157, 118, 94, 79, 67, 59, 52, 1}},
      {32, {485, 243, 162, 122, 97, 81, 70, 61, 52, 1}}};
  const spec::StorageLevelSpec& storage = state.architecture.storage[level];
  auto row = kTable.find(storage.block_size);
  if (row == kTable.end())
    throw SpecError(
        storage.where,
        "Sparseloop has no vector-width model for compressed data in rows of " +
            std::to_string(storage.block_size) + " values ('" + storage.name + "')",
        "a block size (width / datawidth) of 2, 4, 8, 16 or 32 for a level holding compressed data");
  const auto index = static_cast<size_t>(density >= 0.1 ? std::floor(density / 0.1) - 1 : 0);
  return row->second.at(index);
}

// Rows one instance accesses per action: data in rows of block_size values, scaled for small compressed
// tiles by the expected rows of their occupancy distribution.
double DataRowRatio(const SparseState& state, int data_space, int level) {
  const SparseTile& tile = state.tiles[data_space][level];
  const int64_t block = state.architecture.storage[level].block_size;
  if (!tile.compressed || tile.shape == 0 || block <= 1 || !(tile.expected_density < 1.0)) return 1.0;
  const double threshold = VectorWidthThreshold(state, level, tile.expected_density);
  if (!(threshold > static_cast<double>(tile.shape / block))) return 1.0;
  const CoordinateTile coordinates = CoordinateTile::Of(tile.box);
  double total = 0;
  for (int64_t nnz = 1; nnz <= tile.shape; ++nnz)
    total += std::ceil(static_cast<double>(nnz) / static_cast<double>(block)) *
             state.Density(data_space).OccupancyProbability(coordinates, nnz);
  const double naive = static_cast<double>(tile.shape) * tile.expected_density / static_cast<double>(block);
  return total / naive;
}

double DataRows(uint64_t values, int64_t block, double ratio) {
  if (values == 0) return 0;
  const auto block_size = static_cast<uint64_t>(block);
  const uint64_t rows = values % block_size == 0 ? values / block_size : values / block_size + 1;
  return static_cast<double>(rows) * ratio;
}

// Sparseloop counts metadata bits only for a level with a metadata storage width.
int64_t MetadataBits(const SparseTile& tile, const RankCounts& counts, int64_t metadata_width) {
  if (metadata_width == 0) return 0;
  int64_t bits = 0;
  for (size_t r = 0; r < counts.size(); ++r)
    bits += tile.expected_metadata[r].metadata_word_bits * static_cast<int64_t>(counts[r][0]) +
            tile.expected_metadata[r].payload_word_bits * static_cast<int64_t>(counts[r][1]);
  return bits;
}

std::vector<RankUnits> Units(const RankCounts& counts) {
  std::vector<RankUnits> units;
  for (const auto& rank : counts)
    units.push_back({static_cast<int64_t>(rank[0]), static_cast<int64_t>(rank[1])});
  return units;
}

MetadataActions MetadataSplit(const SparseTile& tile, const FormatSplitCounts& counts, int64_t width) {
  MetadataActions actions;
  actions.actual = Units(counts.random);
  actions.gated = Units(counts.gated);
  actions.skipped = Units(counts.skipped);
  actions.actual_bits = MetadataBits(tile, counts.random, width);
  actions.gated_bits = MetadataBits(tile, counts.gated, width);
  actions.skipped_bits = MetadataBits(tile, counts.skipped, width);
  return actions;
}

// The tile's largest data and metadata occupancy (Sparseloop's "max utilized" capacities).
void MaxOccupancy(const SparseState& state, int d, int level, SparseDataSpaceAccesses& out) {
  const SparseTile& tile = state.tiles[d][level];
  if (!tile.compressed && !tile.has_metadata) {
    out.max_occupancy = tile.shape;
    return;
  }
  const CoordinateTile coordinates = CoordinateTile::Of(tile.box);
  out.max_occupancy = state.Density(d).MaxOccupancy(coordinates, 1.0);
  if (!tile.has_metadata) return;
  const std::vector<RankOccupancy> ranks =
      MetadataOccupancy(state, d, level, coordinates.WithConstraint(tile.shape, out.max_occupancy, tile.box));
  double bits = 0;
  for (const RankOccupancy& rank : ranks) {
    bits += rank.metadata_units * static_cast<double>(rank.metadata_word_bits) +
            rank.payload_units * static_cast<double>(rank.payload_word_bits);
    out.max_metadata_occupancy.push_back({static_cast<int64_t>(std::ceil(rank.metadata_units)),
                                          static_cast<int64_t>(std::ceil(rank.payload_units))});
  }
  out.max_metadata_bits = static_cast<int64_t>(std::ceil(bits));
}

std::string FormatName(const SparseTile& tile) {
  if (!tile.has_metadata) return "none";
  std::string name;
  for (size_t r = tile.format->ranks.size(); r-- > 0;)
    name += (name.empty() ? "" : " ") + tile.format->ranks[r].format;
  return name;
}

// One level's sparse figures per data space: counts, sizes, energy.
void FillLevel(const SparseState& state, const energy::SparseStorageEnergy& costs, int level,
               StorageLevelResult& out) {
  const spec::StorageLevelSpec& storage = state.architecture.storage[level];
  const int64_t metadata_width = state.sparse.attributes[level].metadata_storage_width;
  auto metadata_rows = [&](int64_t bits) {
    return metadata_width == 0 ? 0.0
                               : std::ceil(static_cast<double>(bits) / static_cast<double>(metadata_width));
  };
  for (int d = 0; d < state.DataSpaces(); ++d) {
    DataSpaceAccesses& counts = out.data_spaces[d];
    if (!counts.kept) continue;
    const SparseTile& tile = state.tiles[d][level];
    SparseDataSpaceAccesses sparse;
    sparse.density_distribution = state.workload.Density(d).distribution;
    sparse.format = FormatName(tile);
    sparse.compressed = tile.compressed;
    sparse.expected_density = tile.expected_density;
    MaxOccupancy(state, d, level, sparse);
    sparse.average_utilized_instances = tile.avg_replication;
    auto split = [](const ActionSplitCounts& c) {
      return SparseActionCounts{static_cast<int64_t>(c.random), static_cast<int64_t>(c.gated),
                                static_cast<int64_t>(c.skipped)};
    };
    sparse.reads = split(tile.read);
    sparse.fills = split(tile.fill);
    sparse.updates = split(tile.update);
    sparse.metadata_reads = MetadataSplit(tile, tile.metadata_read, metadata_width);
    sparse.metadata_fills = MetadataSplit(tile, tile.metadata_fill, metadata_width);
    sparse.metadata_updates = MetadataSplit(tile, tile.metadata_update, metadata_width);
    sparse.decompressions = static_cast<int64_t>(tile.decompressions);
    sparse.compressions = static_cast<int64_t>(tile.compressions);

    const double ratio = DataRowRatio(state, d, level);
    const int64_t block = storage.block_size;
    auto data_energy = [&](const ActionSplitCounts& c, const std::array<double, 3>& price) {
      return DataRows(c.random, block, ratio) * price[0] + DataRows(c.gated, block, ratio) * price[1] +
             DataRows(c.skipped, block, ratio) * price[2];
    };
    auto metadata_energy = [&](const MetadataActions& m, const std::array<double, 3>& price) {
      return metadata_rows(m.actual_bits) * price[0] + metadata_rows(m.gated_bits) * price[1] +
             metadata_rows(m.skipped_bits) * price[2];
    };
    sparse.data_energy_pj = data_energy(tile.read, costs.read) + data_energy(tile.fill, costs.fill) +
                            data_energy(tile.update, costs.update) +
                            static_cast<double>(tile.decompressions) * costs.decompression +
                            static_cast<double>(tile.compressions) * costs.compression;
    sparse.metadata_energy_pj = metadata_energy(sparse.metadata_reads, costs.metadata_read) +
                                metadata_energy(sparse.metadata_fills, costs.metadata_fill) +
                                metadata_energy(sparse.metadata_updates, costs.metadata_update);
    // Sparseloop spreads a cluster's row over the utilized instances of the cluster.
    const double clusters =
        std::min(tile.replication, static_cast<double>(storage.instances / storage.cluster_size));
    const double cluster_utilization = tile.replication / clusters;
    counts.energy_per_instance_pj = (sparse.data_energy_pj + sparse.metadata_energy_pj) / cluster_utilization;
    counts.energy_total_pj = counts.energy_per_instance_pj * tile.avg_replication;
    counts.temporal_reductions = static_cast<int64_t>(tile.temporal_reductions);
    // A gated access still needs its address; a skipped one does not.
    const uint64_t fills = tile.fill.random + tile.fill.gated;
    counts.address_generations = static_cast<int64_t>(state.workload.data_spaces[d].read_write
                                                          ? tile.update.random + tile.update.gated + fills
                                                          : tile.read.random + tile.read.gated + fills);
    counts.sparse = std::move(sparse);
  }
}

// Compressed tiles (data and metadata) against the level's data and metadata storage.
void CheckSparseCapacities(const SparseState& state, const spec::Mapping& mapping,
                           const AnalysisResult& result) {
  for (int l = 0; l < state.Levels(); ++l) {
    const spec::StorageLevelSpec& storage = state.architecture.storage[l];
    const auto capacity = storage.Capacity();
    if (!capacity || storage.is_dummy) continue;
    const double buffering = std::max(storage.multiple_buffering, 1.0);
    const auto usable = static_cast<int64_t>(std::floor(static_cast<double>(*capacity) / buffering));
    const spec::SparseLevelAttributes& attributes = state.sparse.attributes[l];
    const auto usable_bits =
        static_cast<int64_t>(std::floor(static_cast<double>(attributes.metadata_storage_depth.value_or(0) *
                                                            attributes.metadata_storage_width) /
                                        buffering));
    int64_t data = 0, bits = 0;
    for (const DataSpaceAccesses& counts : result.storage[l].data_spaces)
      if (counts.sparse) {
        data += counts.sparse->max_occupancy;
        bits += counts.sparse->max_metadata_bits;
      }
    const SourceLocation& where = mapping.levels[l].temporal_where;
    const std::string fix =
        "smaller temporal factors at or below '" + storage.name + "', or bypass a data space there";
    if (data > usable)
      throw SpecError(where,
                      "the tiles mapped to '" + storage.name + "' need " + std::to_string(data) +
                          " values (compressed where a format is given) but it holds " +
                          std::to_string(usable),
                      fix);
    if (bits > usable_bits)
      throw SpecError(where,
                      "the metadata of the tiles mapped to '" + storage.name + "' needs " +
                          std::to_string(bits) + " bits but its metadata storage holds " +
                          std::to_string(usable_bits) + " (metadata_storage_depth x metadata_storage_width)",
                      fix + ", or a larger metadata storage");
  }
}

// Sparseloop's ComputePerformance: per-instance demand of actual and gated accesses (data, and metadata
// in data words) over the compute cycles, throttled by the level's bandwidths.
int64_t LevelCycles(const SparseState& state, int level, int64_t compute_cycles, StorageLevelResult& out) {
  const spec::StorageLevelSpec& storage = state.architecture.storage[level];
  const auto word_bits = static_cast<uint64_t>(storage.word_bits);
  std::vector<double> read_demand(state.DataSpaces(), 0), write_demand(state.DataSpaces(), 0);
  for (int d = 0; d < state.DataSpaces(); ++d) {
    const DataSpaceAccesses& counts = out.data_spaces[d];
    if (!counts.sparse) continue;
    const SparseTile& tile = state.tiles[d][level];
    const SparseDataSpaceAccesses& sparse = *counts.sparse;
    const uint64_t format_read_bits =
        static_cast<uint64_t>(sparse.metadata_reads.actual_bits + sparse.metadata_reads.gated_bits);
    const uint64_t format_write_bits =
        static_cast<uint64_t>(sparse.metadata_fills.actual_bits + sparse.metadata_fills.gated_bits +
                              sparse.metadata_updates.actual_bits + sparse.metadata_updates.gated_bits);
    uint64_t reads = tile.read.random + tile.read.gated + format_read_bits / word_bits;
    uint64_t writes = tile.fill.random + tile.fill.gated + tile.update.random + tile.update.gated +
                      format_write_bits / word_bits;
    // Averaged over the instances that hold nonempty tiles.
    const double scaling = tile.replication / tile.avg_replication;
    reads = static_cast<uint64_t>(std::ceil(static_cast<double>(reads) / scaling));
    writes = static_cast<uint64_t>(std::ceil(static_cast<double>(writes) / scaling));
    // (With no computes at all, the level's own traffic sets its cycles.)
    read_demand[d] = static_cast<double>(reads) / static_cast<double>(std::max<int64_t>(compute_cycles, 1));
    write_demand[d] = static_cast<double>(writes) / static_cast<double>(std::max<int64_t>(compute_cycles, 1));
  }
  double total_read = 0, total_write = 0;
  for (double demand : read_demand) total_read += demand;
  for (double demand : write_demand) total_write += demand;
  double slowdown = 1.0;
  if (storage.read_bandwidth && *storage.read_bandwidth < total_read)
    slowdown = std::min(slowdown, *storage.read_bandwidth / total_read);
  if (storage.write_bandwidth && *storage.write_bandwidth < total_write)
    slowdown = std::min(slowdown, *storage.write_bandwidth / total_write);
  if (storage.shared_bandwidth && *storage.shared_bandwidth < total_read + total_write)
    slowdown = std::min(slowdown, *storage.shared_bandwidth / (total_read + total_write));
  for (int d = 0; d < state.DataSpaces(); ++d) {
    out.data_spaces[d].read_bandwidth = out.data_spaces[d].sparse ? slowdown * read_demand[d] : 0;
    out.data_spaces[d].write_bandwidth = out.data_spaces[d].sparse ? slowdown * write_demand[d] : 0;
  }
  if (compute_cycles == 0 && slowdown == 1.0) return 0;
  return static_cast<int64_t>(
      std::ceil(static_cast<double>(std::max<int64_t>(compute_cycles, 1)) / slowdown));
}

}  // namespace

void ApplySparseModel(const spec::Architecture& architecture, const spec::Workload& workload,
                      const spec::Mapping& mapping, const energy::SparseEnergyPrices& prices,
                      const spec::SparseOptimizations& sparse, const LoopNest& nest, AnalysisResult& result) {
  SparseState state(architecture, workload, sparse);
  state.nest = BuildCompleteNest(architecture, workload, mapping);
  for (int d = 0; d < state.DataSpaces(); ++d)
    state.densities.push_back(
        MakeDensityModel(workload.Density(d), state.Project(d, state.nest.full_extent)));
  BuildTiles(state, result);
  state.algorithmic_computes = static_cast<double>(result.arithmetic.computes);
  CheckCompressionSupport(state);
  DefineFormats(state);
  ComputeExpectedOccupancy(state);
  ComputeMetadataAccesses(state);
  DefineStorageOptimizations(state, prices);
  CombineStorageOptimizations(state);
  ComputeFineGrainedComputes(state);

  for (int l = 0; l < state.Levels(); ++l) FillLevel(state, prices.storage[l], l, result.storage[l]);
  CheckSparseCapacities(state, mapping, result);

  // Computes: actual and gated ones take a cycle (spread over the utilized units), skipped ones do not.
  ArithmeticResult& arithmetic = result.arithmetic;
  arithmetic.sparse_computes = SparseActionCounts{static_cast<int64_t>(state.random_computes),
                                                  static_cast<int64_t>(state.gated_computes),
                                                  static_cast<int64_t>(state.skipped_computes)};
  arithmetic.average_utilized_instances = static_cast<double>(arithmetic.utilized_instances);
  arithmetic.cycles =
      static_cast<int64_t>(std::ceil(static_cast<double>(state.random_computes + state.gated_computes) /
                                     arithmetic.average_utilized_instances));
  const energy::SparseComputeEnergy& compute_costs = prices.compute;
  arithmetic.energy_pj =
      static_cast<double>(state.random_computes) * compute_costs.compute[energy::kActual] +
      static_cast<double>(state.gated_computes) * compute_costs.compute[energy::kGated] +
      static_cast<double>(state.skipped_computes) * compute_costs.compute[energy::kSkipped];

  result.cycles = arithmetic.cycles;
  result.bottleneck = architecture.arithmetic.name;
  for (int l = 0; l < state.Levels(); ++l) {
    StorageLevelResult& level = result.storage[l];
    level.cycles = LevelCycles(state, l, arithmetic.cycles, level);
    if (level.cycles > result.cycles) {
      result.cycles = level.cycles;
      result.bottleneck = level.name;
    }
  }

  result.energy_pj = arithmetic.energy_pj;
  for (int l = 0; l < state.Levels(); ++l) {
    StorageLevelResult& level = result.storage[l];
    level.energy_pj = 0;
    double leaking_instances = 0;
    for (const DataSpaceAccesses& counts : level.data_spaces) {
      if (!counts.sparse) continue;
      level.energy_pj += counts.energy_total_pj;
      leaking_instances = std::max({leaking_instances, 1.0, counts.sparse->average_utilized_instances});
    }
    if (leaking_instances == 0) leaking_instances = static_cast<double>(nest.UtilizedInstances(l));
    level.leakage_energy_pj =
        prices.leak_per_instance_cycle[l] * leaking_instances * static_cast<double>(result.cycles);
    result.energy_pj += level.energy_pj + level.leakage_energy_pj;
  }
  const double mac_slots =
      static_cast<double>(result.cycles) * static_cast<double>(architecture.arithmetic.instances);
  result.utilization =
      mac_slots > 0 ? static_cast<double>(state.random_computes + state.gated_computes) / mac_slots : 0;
  result.pj_per_compute =
      arithmetic.computes > 0 ? result.energy_pj / static_cast<double>(arithmetic.computes) : 0;
}

}  // namespace cyclops::analysis
