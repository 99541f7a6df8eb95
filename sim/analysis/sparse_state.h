// The working state of the sparse model (Sparseloop's SparseAnalysisState and per-tile DataMovementInfo),
// shared by its passes: sparse_representation (formats, occupancies, metadata accesses), sparse_actions
// (gating, skipping, their propagation, the compute units) and sparse_model (assembly, energy, cycles).
// Internal to sim/analysis.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <vector>

#include "sim/analysis/density_models.h"
#include "sim/analysis/loop_nest.h"
#include "sim/analysis/metadata_formats.h"
#include "sim/energy/sparse_energy.h"
#include "sim/spec/specs.h"

namespace cyclops::analysis {

// One loop of Timeloop's complete loop nest, trivial (factor 1) loops included: per storage level the
// spatial loops of its fan-out (when it has one) and then its temporal loops, each innermost first.
struct CompleteLoop {
  int dimension = 0;
  int64_t factor = 1;
  bool spatial = false;
};

struct CompleteNest {
  std::vector<std::vector<CompleteLoop>> subnests;         // per storage level
  std::vector<std::vector<std::vector<int64_t>>> extents;  // per level and loop: the tile through it
  std::vector<int64_t> full_extent;                        // the whole operation space
};
CompleteNest BuildCompleteNest(const spec::Architecture& architecture, const spec::Workload& workload,
                               const spec::Mapping& mapping);

// (metadata units, payload units) per rank, innermost rank first.
using RankCounts = std::vector<std::array<uint64_t, 2>>;

struct ActionSplitCounts {
  uint64_t random = 0, gated = 0, skipped = 0;
};
struct FormatSplitCounts {
  RankCounts random, gated, skipped;
};

// One data space at one storage level.
struct SparseTile {
  // From the dense model (shape 0: the level does not keep the data space).
  int64_t shape = 0;
  uint64_t reads = 0, fills = 0, updates = 0;
  double temporal_reductions = 0;
  double replication = 0;       // utilized instances
  double avg_replication = 0;   // utilized on average (fewer when empty tiles are never sent)
  int parent = -1, child = -1;  // nearest levels above and below that keep the data space
  DataBox box;                  // the tile at the origin

  // Representation.
  const spec::DataSpaceFormatSpec* format = nullptr;
  bool has_metadata = false, compressed = false;
  std::vector<std::vector<CompleteLoop>> metadata_subnest;  // per rank: the loops flattened into it
  std::vector<DataBox> metadata_subtile;                    // ranks + 1: what one element of each rank covers
  std::vector<uint64_t> fiber_shape;                        // per rank
  double expected_density = 1.0;
  double expected_data_occupancy = 0;
  std::vector<RankOccupancy> expected_metadata;  // per rank
  RankCounts format_reads, format_fills, format_updates;

  // Fine-grained actions (Sparseloop's random = actual).
  ActionSplitCounts read, fill, update;
  uint64_t compressions = 0, decompressions = 0;
  FormatSplitCounts metadata_read, metadata_fill, metadata_update;

  size_t MetadataRanks() const { return has_metadata ? format->ranks.size() : 0; }
};

struct SparseState {
  SparseState(const spec::Architecture& a, const spec::Workload& w, const spec::SparseOptimizations& s)
      : architecture(a), workload(w), sparse(s) {}

  const spec::Architecture& architecture;
  const spec::Workload& workload;
  const spec::SparseOptimizations& sparse;
  CompleteNest nest;
  std::vector<std::vector<SparseTile>> tiles;            // [data space][storage level]
  std::vector<std::unique_ptr<DensityModel>> densities;  // per data space

  // Explicit (gating / skipping) optimizations: per [level][data space] which one, and the probability
  // that a read is optimized away.
  std::vector<std::vector<bool>> gated, skipped;
  std::vector<std::vector<double>> optimized_probability;
  std::vector<bool> storage_saf;                    // per data space: the innermost level gates/skips it
  std::vector<double> innermost_empty_probability;  // per data space

  // Computes.
  double algorithmic_computes = 0;
  double max_computes = 0;
  uint64_t random_computes = 0, gated_computes = 0, skipped_computes = 0;

  // Helpers shared by the passes.
  DataBox Project(int data_space, const std::vector<int64_t>& extent) const;
  bool Projects(int data_space, int dimension) const;  // the dimension appears in the projection
  DensityModel& Density(int data_space) const { return *densities[data_space]; }
  int Levels() const { return static_cast<int>(architecture.storage.size()); }
  int DataSpaces() const { return static_cast<int>(workload.data_spaces.size()); }
};

// Passes, in Sparseloop's order (sparse_representation.cpp).
void DefineFormats(SparseState& state);             // metadata ranks, their loops and fiber shapes
void ComputeExpectedOccupancy(SparseState& state);  // expected data / metadata occupancy per tile
void ComputeMetadataAccesses(SparseState& state);   // metadata reads, fills, updates of the dense counts
// The metadata a tile needs when it holds the data of `tile` (which may carry an occupancy constraint).
std::vector<RankOccupancy> MetadataOccupancy(const SparseState& state, int data_space, int level,
                                             const CoordinateTile& tile);

// sparse_actions.cpp
void DefineStorageOptimizations(SparseState& state, const energy::SparseEnergyPrices& prices);
void CombineStorageOptimizations(SparseState& state);
void ComputeFineGrainedComputes(SparseState& state);

}  // namespace cyclops::analysis
