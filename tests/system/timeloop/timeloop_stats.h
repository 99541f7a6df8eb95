// Reads Timeloop's `*.stats.txt` report: per storage level and data space the scalar counts, and the
// summary (cycles, computes, energy, fJ/compute). Only what the acceptance test compares.
#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace cyclops::test {

struct TimeloopDataSpaceStats {
  int64_t partition_size = 0;
  int64_t utilized_capacity = 0;
  int64_t utilized_instances = 0;
  int64_t reads = 0;  // per instance
  int64_t fills = 0;
  int64_t updates = 0;
  int64_t temporal_reductions = 0;
  int64_t address_generations = 0;
  double energy_total_pj = 0;
};

struct TimeloopLevelStats {
  std::map<std::string, TimeloopDataSpaceStats> data_spaces;  // by data-space name
  double leakage_energy_pj = 0;
};

struct TimeloopStats {
  std::map<std::string, TimeloopLevelStats> levels;  // by storage level name
  std::string arithmetic_name;
  int64_t arithmetic_utilized_instances = 0;
  double arithmetic_energy_pj = 0;
  int64_t cycles = 0;
  int64_t computes = 0;
  double energy_uj = 0;
  double fj_per_compute_total = 0;
};

// Throws std::runtime_error when the file cannot be read or lacks the summary.
TimeloopStats ReadTimeloopStats(const std::string& path);

}  // namespace cyclops::test
