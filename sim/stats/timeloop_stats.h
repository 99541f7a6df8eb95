// Timeloop's report files, read and written: `timeloop-model.stats.txt` (per level and data space the
// scalar counts, capacities, bandwidths and energies, then the summary) and `timeloop-model.map.txt`
// (the loop nest with the tile each level holds). The layout is Timeloop's (src/model/topology.cpp,
// buffer.cpp, arithmetic.cpp, mapping/nest.cpp), restricted to the fields Cyclops has: no area, no
// networks, no address-generation or temporal-reduction energies (those lines are absent; their counts
// are written). `cyclops analyze|run --timeloop-out DIR` writes them; `cyclops compare` and the
// validation tests read Timeloop's own.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cyclops::stats {

struct TimeloopDataSpaceStats {
  std::string name;
  int64_t partition_size = 0;
  int64_t utilized_capacity = 0;
  int64_t utilized_instances = 0;
  int64_t utilized_clusters = 0;
  int64_t reads = 0;  // per instance
  int64_t fills = 0;
  int64_t updates = 0;
  int64_t temporal_reductions = 0;
  int64_t address_generations = 0;  // per cluster
  double energy_per_scalar_access_pj = 0;
  double energy_per_instance_pj = 0;
  double energy_total_pj = 0;
  double read_bandwidth = 0;  // values per cycle per instance
  double write_bandwidth = 0;
};

struct TimeloopLevelStats {
  int number = 0;  // Timeloop's "Level N" (1 = innermost storage; the arithmetic is level 0)
  std::string name;
  std::string technology;       // "SRAM" or "DRAM"
  std::optional<int64_t> size;  // values per instance; empty = unbounded
  int64_t word_bits = 0;
  int64_t block_size = 1;
  int64_t cluster_size = 1;
  int64_t instances = 1;
  int64_t mesh_x = 1, mesh_y = 1;
  std::optional<double> shared_bandwidth, read_bandwidth, write_bandwidth;
  double multiple_buffering = 1;
  double vector_access_energy_pj = 0;
  std::string energy_source = "ERT";
  double leakage_per_instance_cycle_pj = 0;
  double leakage_energy_pj = 0;        // total
  std::vector<std::string> loop_nest;  // "for K in [0:2)", outermost first
  int64_t cycles = 0;
  double bandwidth_throttling = 1;
  std::vector<TimeloopDataSpaceStats> data_spaces;  // the kept ones, in problem order

  const TimeloopDataSpaceStats* DataSpace(const std::string& data_space) const;
};

struct TimeloopStats {
  // Level 0
  std::string arithmetic_name;
  int64_t arithmetic_word_bits = 0;
  int64_t arithmetic_instances = 0;
  int64_t arithmetic_mesh_x = 1, arithmetic_mesh_y = 1;
  double compute_energy_pj = 0;  // per MAC
  int64_t arithmetic_utilized_instances = 0;
  int64_t arithmetic_computes = 0;
  int64_t arithmetic_cycles = 0;
  double arithmetic_energy_pj = 0;
  std::vector<TimeloopLevelStats> levels;  // innermost first, as Timeloop lists them
  // Summary
  double utilization = 0;  // 0..1
  int64_t cycles = 0;
  double energy_uj = 0;
  double edp_joule_cycles = 0;
  int64_t computes = 0;
  std::vector<std::pair<std::string, double>> fj_per_compute;  // per level (arithmetic first), then
  double fj_per_compute_total = 0;                             // the total

  const TimeloopLevelStats* Level(const std::string& level) const;
};

// Throws std::runtime_error naming the file when it cannot be read or lacks the summary.
TimeloopStats ReadTimeloopStats(const std::string& path);
TimeloopStats ParseTimeloopStats(const std::string& text, const std::string& name);

std::string TimeloopStatsText(const TimeloopStats& stats);

// The loop nest as timeloop-model.map.txt prints it.
struct TimeloopMapLevel {
  std::string name;
  std::vector<std::pair<std::string, int64_t>> tiles;  // kept data spaces: (name, utilized capacity)
  std::vector<std::string> loops;  // "for K in [0:16)", "... (Spatial-X)", outermost first
};
std::string TimeloopMapText(const std::vector<TimeloopMapLevel>& outermost_first);

}  // namespace cyclops::stats
