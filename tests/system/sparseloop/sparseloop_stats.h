// Reads Sparseloop's `timeloop-mapper.stats.txt` (the sparse form of Timeloop's report): per storage level
// and data space the algorithmic / actual / gated / skipped counts, format (metadata) counts per rank,
// capacities and energy; per compute level the computes; the summary. Only what the acceptance test
// compares.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace cyclops::test {

// (metadata units, payload units) per rank, indexed by rank (0 innermost); empty where the report says 0.
using SparseloopRanks = std::vector<std::pair<int64_t, int64_t>>;

struct SparseloopDataSpaceStats {
  int64_t partition_size = 0;
  int64_t tile_shape = 0;
  int64_t max_data_capacity = 0;
  std::string distribution;
  std::string format;  // "uop cp", or "none"
  SparseloopRanks max_format_capacity;
  int64_t utilized_instances = 0;
  double average_utilized_instances = 0;
  // "<Algorithmic|Actual|Gated|Skipped> <reads|fills|updates>" → per-instance count.
  std::map<std::string, int64_t> counts;
  // "<Actual|Gated|Skipped> format <reads|fills|updates>" → per-rank counts (empty: the report's 0).
  std::map<std::string, SparseloopRanks> format_counts;
  int64_t temporal_reductions = 0;
  int64_t address_generations = 0;
  double energy_total_pj = 0;
};

struct SparseloopLevelStats {
  std::map<std::string, SparseloopDataSpaceStats> data_spaces;
  int64_t cycles = 0;
  double leakage_energy_pj = 0;
};

struct SparseloopStats {
  std::map<std::string, SparseloopLevelStats> levels;
  std::string arithmetic_name;
  int64_t arithmetic_utilized_instances = 0;
  int64_t arithmetic_cycles = 0;
  int64_t algorithmic_computes = 0, actual_computes = 0, gated_computes = 0, skipped_computes = 0;
  double arithmetic_energy_pj = 0;
  int64_t cycles = 0;
  double energy_uj = 0;
  double fj_per_actual_compute = 0;  // the "fJ/Compute" total
};

// Throws std::runtime_error when the file cannot be read or lacks the summary.
SparseloopStats ReadSparseloopStats(const std::string& path);

}  // namespace cyclops::test
