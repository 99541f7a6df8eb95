#include "tests/system/timeloop/timeloop_stats.h"

#include <fstream>
#include <regex>
#include <stdexcept>

namespace cyclops::test {

namespace {

// "    Scalar reads (per-instance)   : 5490688" → key "Scalar reads (per-instance)", value "5490688".
bool SplitKeyValue(const std::string& line, std::string* key, std::string* value) {
  const size_t colon = line.find(" : ");
  if (colon == std::string::npos) return false;
  const size_t begin = line.find_first_not_of(' ');
  *key = line.substr(begin, line.find_last_not_of(' ', colon) + 1 - begin);
  *value = line.substr(colon + 3);
  return true;
}

double Number(const std::string& text) {
  return std::stod(text);
}

}  // namespace

TimeloopStats ReadTimeloopStats(const std::string& path) {
  std::ifstream file(path);
  if (!file) throw std::runtime_error("cannot read " + path);
  TimeloopStats stats;
  const std::regex component_header(R"(^=== (\S+) ===$)");
  const std::regex data_space_header(R"(^    (\w+):$)");
  std::string line, level, data_space, key, value;
  bool in_levels = true, arithmetic = false;
  std::smatch match;
  while (std::getline(file, line)) {
    if (line.rfind("Networks", 0) == 0 || line.rfind("Operational Intensity", 0) == 0) in_levels = false;
    if (in_levels && std::regex_match(line, match, component_header)) {
      level = match[1];
      data_space.clear();
      arithmetic = stats.arithmetic_name.empty();  // Level 0 is the arithmetic level
      if (arithmetic) stats.arithmetic_name = level;
      continue;
    }
    if (in_levels && !arithmetic && !level.empty() && std::regex_match(line, match, data_space_header)) {
      data_space = match[1];
      stats.levels[level].data_spaces[data_space];
      continue;
    }
    if (line.rfind("Cycles: ", 0) == 0) stats.cycles = std::stoll(line.substr(8));
    if (line.rfind("Energy: ", 0) == 0) stats.energy_uj = Number(line.substr(8));
    if (line.rfind("Computes = ", 0) == 0) stats.computes = std::stoll(line.substr(11));
    if (!in_levels && line.find("Total") != std::string::npos && line.find(" = ") != std::string::npos)
      stats.fj_per_compute_total = Number(line.substr(line.find(" = ") + 3));
    if (!in_levels || level.empty() || !SplitKeyValue(line, &key, &value)) continue;
    if (arithmetic) {
      if (key == "Utilized instances") stats.arithmetic_utilized_instances = std::stoll(value);
      if (key == "Energy (total)") stats.arithmetic_energy_pj = Number(value);
      continue;
    }
    if (key == "Leakage energy (total)") stats.levels[level].leakage_energy_pj = Number(value);
    if (data_space.empty()) continue;
    TimeloopDataSpaceStats& counts = stats.levels[level].data_spaces[data_space];
    if (key == "Partition size") counts.partition_size = std::stoll(value);
    if (key == "Utilized capacity") counts.utilized_capacity = std::stoll(value);
    if (key == "Utilized instances (max)") counts.utilized_instances = std::stoll(value);
    if (key == "Scalar reads (per-instance)") counts.reads = std::stoll(value);
    if (key == "Scalar fills (per-instance)") counts.fills = std::stoll(value);
    if (key == "Scalar updates (per-instance)") counts.updates = std::stoll(value);
    if (key == "Temporal reductions (per-instance)") counts.temporal_reductions = std::stoll(value);
    if (key == "Address generations (per-cluster)") counts.address_generations = std::stoll(value);
    if (key == "Energy (total)") counts.energy_total_pj = Number(value);
  }
  if (stats.cycles == 0 || stats.computes == 0) throw std::runtime_error(path + " has no summary");
  return stats;
}

}  // namespace cyclops::test
