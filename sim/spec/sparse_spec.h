// Sparse specs in Sparseloop's (Timeloop v2) form, unchanged: the densities of the problem instance and
// the sparse optimizations of the architecture (on components, or in the resolved top-level
// `sparse_optimizations: {targets: [...]}` form the front end dumps). Everything here is validated by
// the loader (sparse_loader.h); names are resolved to indices.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/error.h"

namespace cyclops::spec {

// ---------------------------------------------------------------- densities (problem instance)

// How the nonzeros of one tensor are placed. `distribution` is Sparseloop's canonical name:
//   fixed_structured  every tile of a shape holds density × size nonzeros (floor or ceil; also "fixed",
//                     and what a bare number `A: 0.5` means)
//   hypergeometric    density × size nonzeros placed uniformly at random over the whole tensor
//   banded            a square matrix whose nonzeros are the band |row - col| <= band_width ("diagonal")
struct DensitySpec {
  std::string distribution = "fixed_structured";
  double density = 1.0;              // fixed_structured and hypergeometric
  int64_t band_width = 0;            // banded
  int64_t workload_tensor_size = 0;  // hypergeometric; 0: the data space's size
  SourceLocation where;

  bool IsDense() const { return distribution != "banded" && density >= 1.0; }
};

// ---------------------------------------------------------------- representation formats

// One rank of a fibertree format. `format` is Sparseloop's lower-case name: uop (uncompressed offset
// pair), cp (coordinate payload), rle (run-length encoding), b (bitmask), ub (uncompressed bitmask); `u`
// (uncompressed, no metadata) is the paper's name for a rank that is stored as is.
struct RankFormatSpec {
  std::string format;
  bool compressed = false;  // the rank stores only nonempty elements (cp, rle, b)
  // Bits per metadata unit and per payload unit, as Sparseloop resolves them: the level's
  // metadata_datawidth unless given, widened until they divide metadata_storage_width.
  int64_t metadata_word_bits = 0;
  int64_t payload_word_bits = 0;
  std::vector<std::vector<int>> flattened_rank_ids;  // dimension indices that may be flattened into the rank
  SourceLocation where;
};

struct DataSpaceFormatSpec {
  int data_space = -1;
  std::vector<RankFormatSpec> ranks;  // rank 0 is the innermost (the reverse of the written list)
  bool ranks_inner_to_outer = false;  // rank_application_order: inner_to_outer
  SourceLocation where;

  bool Compressed() const;   // any rank compressed
  bool HasMetadata() const;  // Sparseloop's HasMetaData(): a format that is not a lone `u` rank
};

// ---------------------------------------------------------------- action and compute optimizations

// `target` is gated or skipped when the tile of every data space in `condition_on` it meets is empty.
struct ConditionedOnSpec {
  int target = -1;
  std::vector<int> condition_on;
  SourceLocation where;
};

struct ActionOptimizationSpec {
  bool skipping = false;                   // false: gating (costs the cycle, not the energy)
  std::vector<ConditionedOnSpec> options;  // Sparseloop keeps the option that saves the most energy
  SourceLocation where;
};

// The component attributes of a level that the sparse model reads (Sparseloop's buffer specs).
struct SparseLevelAttributes {
  int64_t metadata_storage_width = 0;  // bits per metadata row (metadata_storage_width | metadata_width)
  std::optional<int64_t> metadata_storage_depth;
  int64_t metadata_datawidth =
      0;  // default bits of a metadata unit (metadata_datawidth | metadata_word_bits)
  int64_t metadata_block_size = 1;
  int64_t metadata_counter_width = 0;    // read for completeness: it only sizes Accelergy's counters
  bool compression_supported = false;    // can compress what it writes back to its parent
  bool decompression_supported = false;  // can decompress what its parent sends
};

struct StorageSparseSpec {
  int level = -1;  // index into Architecture::storage
  std::vector<DataSpaceFormatSpec> formats;
  std::vector<ActionOptimizationSpec> gating;
  std::vector<ActionOptimizationSpec> skipping;
  SourceLocation where;
};

struct ComputeSparseSpec {
  bool gate_on_zero_operand = false;          // type gating
  bool skip_on_not_aligned_operands = false;  // type skipping
  SourceLocation where;
};

// All sparse optimizations of one architecture. Present in a Spec only when at least one is written.
struct SparseOptimizations {
  std::vector<StorageSparseSpec> levels;          // levels with something written, in spec order
  std::optional<ComputeSparseSpec> compute;       // on the arithmetic unit
  std::vector<SparseLevelAttributes> attributes;  // indexed like Architecture::storage
  SourceLocation where;

  const StorageSparseSpec* Level(int level) const;                     // nullptr when nothing is written
  const DataSpaceFormatSpec* Format(int level, int data_space) const;  // nullptr: uncompressed, no metadata
};

}  // namespace cyclops::spec
