#include "tests/system/sparseloop/sparseloop_stats.h"

#include <fstream>
#include <regex>
#include <stdexcept>

namespace cyclops::test {

namespace {

// "    Key (per-instance)      : 5490688" → ("Key (per-instance)", "5490688"); a key followed only by
// spaces (a per-rank list follows) → (key, "").
bool SplitKeyValue(const std::string& line, std::string* key, std::string* value) {
  const size_t begin = line.find_first_not_of(' ');
  if (begin == std::string::npos) return false;
  const size_t colon = line.find(" : ");
  if (colon == std::string::npos) {
    *key = line.substr(begin, line.find_last_not_of(' ') + 1 - begin);
    value->clear();
    return true;
  }
  *key = line.substr(begin, line.find_last_not_of(' ', colon) + 1 - begin);
  *value = line.substr(colon + 3);
  return true;
}

std::string Strip(const std::string& text, const std::string& suffix) {
  const size_t at = text.find(suffix);
  return at == std::string::npos ? text : text.substr(0, at);
}

}  // namespace

SparseloopStats ReadSparseloopStats(const std::string& path) {
  std::ifstream file(path);
  if (!file) throw std::runtime_error("cannot read " + path);
  SparseloopStats stats;
  const std::regex component_header(R"(^=== (\S+) ===$)");
  const std::regex data_space_header(R"(^    (\w+):$)");
  const std::regex rank_line(R"(^\s+Rank (\d+) \(metadata, payload\): \((\d+),\s+(\d+)\)$)");
  const std::regex count_key(R"(^(Algorithmic|Actual|Gated|Skipped) scalar (format )?(reads|fills|updates))");
  const std::regex dense_key(R"(^Scalar (reads|fills|updates) \(per-instance\))");
  std::string line, level, data_space, key, value;
  SparseloopRanks* ranks = nullptr;  // the list the next "Rank" lines belong to
  bool in_levels = true, arithmetic = false, actual_block = false;
  std::smatch match;
  while (std::getline(file, line)) {
    if (line.rfind("Networks", 0) == 0) in_levels = false;
    if (in_levels && std::regex_match(line, match, component_header)) {
      level = match[1];
      data_space.clear();
      ranks = nullptr;
      arithmetic = stats.arithmetic_name.empty();  // Level 0 is the compute level
      if (arithmetic) stats.arithmetic_name = level;
      continue;
    }
    if (in_levels && !arithmetic && !level.empty() && std::regex_match(line, match, data_space_header)) {
      data_space = match[1];
      stats.levels[level].data_spaces[data_space];
      ranks = nullptr;
      continue;
    }
    if (in_levels && ranks && std::regex_match(line, match, rank_line)) {
      const size_t rank = std::stoul(match[1]);
      if (ranks->size() <= rank) ranks->resize(rank + 1);
      (*ranks)[rank] = {std::stoll(match[2]), std::stoll(match[3])};
      continue;
    }
    ranks = nullptr;
    if (line.rfind("Cycles: ", 0) == 0) stats.cycles = std::stoll(line.substr(8));
    if (line.rfind("Energy: ", 0) == 0) stats.energy_uj = std::stod(line.substr(8));
    if (line.rfind("Computes = ", 0) == 0)
      stats.actual_computes = stats.algorithmic_computes = std::stoll(line.substr(11));
    if (line.rfind("fJ/Compute", 0) == 0) actual_block = true;
    if (actual_block && line.find("Total") != std::string::npos && line.find(" = ") != std::string::npos)
      stats.fj_per_actual_compute = std::stod(line.substr(line.find(" = ") + 3));
    if (!in_levels || level.empty() || !SplitKeyValue(line, &key, &value)) continue;
    if (arithmetic) {
      if (key == "Utilized instances (max)") stats.arithmetic_utilized_instances = std::stoll(value);
      if (key == "Cycles") stats.arithmetic_cycles = std::stoll(value);
      if (key == "Algorithmic Computes (total)") stats.algorithmic_computes = std::stoll(value);
      if (key == "Actual Computes (total)") stats.actual_computes = std::stoll(value);
      if (key == "Gated Computes (total)") stats.gated_computes = std::stoll(value);
      if (key == "Skipped Computes (total)") stats.skipped_computes = std::stoll(value);
      if (key == "Energy (total)") stats.arithmetic_energy_pj = std::stod(value);
      // A dense case is reported in Timeloop's dense form.
      if (key == "Utilized instances") stats.arithmetic_utilized_instances = std::stoll(value);
      if (key == "Computes (total)") stats.actual_computes = stats.algorithmic_computes = std::stoll(value);
      continue;
    }
    if (data_space.empty()) {
      if (key == "Leakage energy (total)") stats.levels[level].leakage_energy_pj = std::stod(value);
      if (key == "Cycles") stats.levels[level].cycles = std::stoll(value);
      continue;
    }
    SparseloopDataSpaceStats& counts = stats.levels[level].data_spaces[data_space];
    if (std::regex_search(key, match, count_key)) {
      const std::string name = match[1].str() + " " + match[3].str();
      if (match[2].matched) {
        counts.format_counts[name];  // ": 0" leaves it empty
        if (value.empty()) ranks = &counts.format_counts[name];
      } else {
        counts.counts[name] = std::stoll(value);
      }
      continue;
    }
    if (std::regex_search(key, match, dense_key)) {  // dense form: every access is an actual one
      const std::string action = match[1];
      counts.counts["Algorithmic " + action] = counts.counts["Actual " + action] = std::stoll(value);
      counts.counts["Gated " + action] = counts.counts["Skipped " + action] = 0;
      counts.format = "none";
      continue;
    }
    if (key == "Utilized capacity") counts.tile_shape = counts.max_data_capacity = std::stoll(value);
    if (key == "Partition size") counts.partition_size = std::stoll(value);
    if (key == "Data tile shape") counts.tile_shape = std::stoll(value);
    if (key == "Max utilized data storage capacity") counts.max_data_capacity = std::stoll(value);
    if (key == "Tile density distribution") counts.distribution = value;
    if (key == "Representation format") counts.format = value.substr(0, value.find_last_not_of(' ') + 1);
    if (key == "Max utilized Repr format storage capacity" && value.empty())
      ranks = &counts.max_format_capacity;
    if (key == "Utilized instances (max)") counts.utilized_instances = std::stoll(value);
    if (key == "Utilized instances (average)") counts.average_utilized_instances = std::stod(value);
    if (key == "Temporal reductions (per-instance)") counts.temporal_reductions = std::stoll(value);
    if (key == "Address generations (per-cluster)") counts.address_generations = std::stoll(value);
    if (key == "Energy (total)") counts.energy_total_pj = std::stod(Strip(value, " pJ"));
  }
  if (stats.cycles == 0 || stats.algorithmic_computes == 0)
    throw std::runtime_error(path + " has no summary");
  return stats;
}

}  // namespace cyclops::test
