#include "sim/stats/timeloop_stats.h"

#include <cstdio>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>

namespace cyclops::stats {

namespace {

// Timeloop prints doubles with std::fixed and two decimals (OUT_FLOAT_FORMAT).
std::string Fixed(double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.2f", value);
  return buffer;
}

std::string Line(const std::string& indent, const std::string& key, int width, const std::string& value) {
  std::string padded = key;
  if (static_cast<int>(padded.size()) < width) padded.resize(width, ' ');
  return indent + padded + ": " + value + "\n";
}

std::string Bandwidth(const std::optional<double>& value) {
  return value ? Fixed(*value) : "-";
}

void WriteArithmetic(const TimeloopStats& s, std::string& out) {
  out += "Level 0\n-------\n=== " + s.arithmetic_name + " ===\n\n    SPECS\n    -----\n";
  out += Line("    ", "Word bits", 22, std::to_string(s.arithmetic_word_bits));
  out += Line("    ", "Instances", 22,
              std::to_string(s.arithmetic_instances) + " (" + std::to_string(s.arithmetic_mesh_x) + "*" +
                  std::to_string(s.arithmetic_mesh_y) + ")");
  out += Line("    ", "Compute energy", 22, Fixed(s.compute_energy_pj) + " pJ");
  out += "\n    STATS\n    -----\n";
  out += Line("    ", "Utilized instances", 24, std::to_string(s.arithmetic_utilized_instances));
  out += Line("    ", "Computes (total)", 24, std::to_string(s.arithmetic_computes));
  out += Line("    ", "Cycles", 24, std::to_string(s.arithmetic_cycles));
  out += Line("    ", "Energy (total)", 24, Fixed(s.arithmetic_energy_pj) + " pJ");
  out += "\n";
}

void WriteDataSpace(const TimeloopDataSpaceStats& d, std::string& out) {
  const std::string in = "        ";
  constexpr int w = 41;
  out += "    " + d.name + ":\n";
  out += Line(in, "Partition size", w, std::to_string(d.partition_size));
  out += Line(in, "Utilized capacity", w, std::to_string(d.utilized_capacity));
  out += Line(in, "Utilized instances (max)", w, std::to_string(d.utilized_instances));
  out += Line(in, "Utilized clusters (max)", w, std::to_string(d.utilized_clusters));
  out += Line(in, "Scalar reads (per-instance)", w, std::to_string(d.reads));
  out += Line(in, "Scalar fills (per-instance)", w, std::to_string(d.fills));
  out += Line(in, "Scalar updates (per-instance)", w, std::to_string(d.updates));
  out += Line(in, "Temporal reductions (per-instance)", w, std::to_string(d.temporal_reductions));
  out += Line(in, "Address generations (per-cluster)", w, std::to_string(d.address_generations));
  out += Line(in, "Energy (per-scalar-access)", w, Fixed(d.energy_per_scalar_access_pj) + " pJ");
  out += Line(in, "Energy (per-instance)", w, Fixed(d.energy_per_instance_pj) + " pJ");
  out += Line(in, "Energy (total)", w, Fixed(d.energy_total_pj) + " pJ");
  const double instances = static_cast<double>(d.utilized_instances);
  const double shared = d.read_bandwidth + d.write_bandwidth;
  out += Line(in, "Shared Bandwidth (per-instance)", w, Fixed(shared) + " words/cycle");
  out += Line(in, "Shared Bandwidth (total)", w, Fixed(shared * instances) + " words/cycle");
  out += Line(in, "Read Bandwidth (per-instance)", w, Fixed(d.read_bandwidth) + " words/cycle");
  out += Line(in, "Read Bandwidth (total)", w, Fixed(d.read_bandwidth * instances) + " words/cycle");
  out += Line(in, "Write Bandwidth (per-instance)", w, Fixed(d.write_bandwidth) + " words/cycle");
  out += Line(in, "Write Bandwidth (total)", w, Fixed(d.write_bandwidth * instances) + " words/cycle");
}

void WriteLevel(const TimeloopLevelStats& l, std::string& out) {
  const std::string in = "        ";
  constexpr int w = 32;
  out += "Level " + std::to_string(l.number) + "\n-------\n=== " + l.name + " ===\n\n    SPECS\n    -----\n";
  out += Line(in, "Technology", w, l.technology);
  out += Line(in, "Size", w, l.size ? std::to_string(*l.size) : "-");
  out += Line(in, "Word bits", w, std::to_string(l.word_bits));
  out += Line(in, "Block size", w, std::to_string(l.block_size));
  out += Line(in, "Cluster size", w, std::to_string(l.cluster_size));
  out += Line(
      in, "Instances", w,
      std::to_string(l.instances) + " (" + std::to_string(l.mesh_x) + "*" + std::to_string(l.mesh_y) + ")");
  out += Line(in, "Shared bandwidth", w, Bandwidth(l.shared_bandwidth));
  out += Line(in, "Read bandwidth", w, Bandwidth(l.read_bandwidth));
  out += Line(in, "Write bandwidth", w, Bandwidth(l.write_bandwidth));
  out += Line(in, "Multiple buffering", w, Fixed(l.multiple_buffering));
  out += Line(in, "Vector access energy", w, Fixed(l.vector_access_energy_pj) + " pJ");
  out += Line(in, "Vector access energy source", w, l.energy_source);
  out += Line(in, "Per-instance-cycle leakage", w, Fixed(l.leakage_per_instance_cycle_pj) + " pJ");
  out += Line(in, "Leakage energy (total)", w, Fixed(l.leakage_energy_pj) + " pJ");
  out += "\n    MAPPING\n    -------\n    Loop nest:\n";
  std::string indent = "      ";
  for (const std::string& loop : l.loop_nest) {
    out += indent + loop + "\n";
    indent += "  ";
  }
  out += "\n    STATS\n    -----\n";
  out += Line("    ", "Cycles", 21, std::to_string(l.cycles));
  out += Line("    ", "Bandwidth throttling", 21, Fixed(l.bandwidth_throttling));
  for (const TimeloopDataSpaceStats& d : l.data_spaces) WriteDataSpace(d, out);
  out += "\n";
}

// "    Scalar reads (per-instance)   : 5490688" → key "Scalar reads (per-instance)", value "5490688".
bool SplitKeyValue(const std::string& line, std::string* key, std::string* value) {
  const size_t colon = line.find(" : ");
  if (colon == std::string::npos) return false;
  const size_t begin = line.find_first_not_of(' ');
  *key = line.substr(begin, line.find_last_not_of(' ', colon) + 1 - begin);
  *value = line.substr(colon + 3);
  return true;
}

std::optional<double> OptionalNumber(const std::string& text) {
  if (text.empty() || text[0] == '-') return std::nullopt;
  return std::stod(text);
}

// "168 (14*12)" → 168, 14, 12.
void ReadInstances(const std::string& text, int64_t* instances, int64_t* x, int64_t* y) {
  *instances = std::stoll(text);
  const size_t open = text.find('('), star = text.find('*');
  if (open != std::string::npos && star != std::string::npos) {
    *x = std::stoll(text.substr(open + 1));
    *y = std::stoll(text.substr(star + 1));
  }
}

void ReadDataSpaceKey(const std::string& key, const std::string& value, TimeloopDataSpaceStats& d) {
  if (key == "Partition size") d.partition_size = std::stoll(value);
  if (key == "Utilized capacity") d.utilized_capacity = std::stoll(value);
  if (key == "Utilized instances (max)") d.utilized_instances = std::stoll(value);
  if (key == "Utilized clusters (max)") d.utilized_clusters = std::stoll(value);
  if (key == "Scalar reads (per-instance)") d.reads = std::stoll(value);
  if (key == "Scalar fills (per-instance)") d.fills = std::stoll(value);
  if (key == "Scalar updates (per-instance)") d.updates = std::stoll(value);
  if (key == "Temporal reductions (per-instance)") d.temporal_reductions = std::stoll(value);
  if (key == "Address generations (per-cluster)") d.address_generations = std::stoll(value);
  if (key == "Energy (per-scalar-access)") d.energy_per_scalar_access_pj = std::stod(value);
  if (key == "Energy (per-instance)") d.energy_per_instance_pj = std::stod(value);
  if (key == "Energy (total)") d.energy_total_pj = std::stod(value);
  if (key == "Read Bandwidth (per-instance)") d.read_bandwidth = std::stod(value);
  if (key == "Write Bandwidth (per-instance)") d.write_bandwidth = std::stod(value);
}

void ReadLevelKey(const std::string& key, const std::string& value, TimeloopLevelStats& l) {
  if (key == "Technology") l.technology = value;
  if (key == "Size") l.size = value[0] == '-' ? std::nullopt : std::optional<int64_t>(std::stoll(value));
  if (key == "Word bits") l.word_bits = std::stoll(value);
  if (key == "Block size") l.block_size = std::stoll(value);
  if (key == "Cluster size") l.cluster_size = std::stoll(value);
  if (key == "Instances") ReadInstances(value, &l.instances, &l.mesh_x, &l.mesh_y);
  if (key == "Shared bandwidth") l.shared_bandwidth = OptionalNumber(value);
  if (key == "Read bandwidth") l.read_bandwidth = OptionalNumber(value);
  if (key == "Write bandwidth") l.write_bandwidth = OptionalNumber(value);
  if (key == "Multiple buffering") l.multiple_buffering = std::stod(value);
  if (key == "Vector access energy") l.vector_access_energy_pj = std::stod(value);
  if (key == "Vector access energy source") l.energy_source = value;
  if (key == "Per-instance-cycle leakage") l.leakage_per_instance_cycle_pj = std::stod(value);
  if (key == "Leakage energy (total)") l.leakage_energy_pj = std::stod(value);
  if (key == "Cycles") l.cycles = std::stoll(value);
  if (key == "Bandwidth throttling") l.bandwidth_throttling = std::stod(value);
}

void ReadArithmeticKey(const std::string& key, const std::string& value, TimeloopStats& s) {
  if (key == "Word bits") s.arithmetic_word_bits = std::stoll(value);
  if (key == "Instances")
    ReadInstances(value, &s.arithmetic_instances, &s.arithmetic_mesh_x, &s.arithmetic_mesh_y);
  if (key == "Compute energy") s.compute_energy_pj = std::stod(value);
  if (key == "Utilized instances") s.arithmetic_utilized_instances = std::stoll(value);
  if (key == "Computes (total)") s.arithmetic_computes = std::stoll(value);
  if (key == "Cycles") s.arithmetic_cycles = std::stoll(value);
  if (key == "Energy (total)") s.arithmetic_energy_pj = std::stod(value);
}

}  // namespace

const TimeloopDataSpaceStats* TimeloopLevelStats::DataSpace(const std::string& data_space) const {
  for (const TimeloopDataSpaceStats& d : data_spaces)
    if (d.name == data_space) return &d;
  return nullptr;
}

const TimeloopLevelStats* TimeloopStats::Level(const std::string& level) const {
  for (const TimeloopLevelStats& l : levels)
    if (l.name == level) return &l;
  return nullptr;
}

std::string TimeloopStatsText(const TimeloopStats& s) {
  std::string out = "Buffer and Arithmetic Levels\n----------------------------\n";
  WriteArithmetic(s, out);
  for (const TimeloopLevelStats& level : s.levels) WriteLevel(level, out);
  out += "Summary Stats\n-------------\n";
  char line[128];
  out += "Utilization: " + Fixed(100 * s.utilization) + "%\n";
  out += "Cycles: " + std::to_string(s.cycles) + "\n";
  out += "Energy: " + Fixed(s.energy_uj) + " uJ\n";
  std::snprintf(line, sizeof line, "EDP(J*cycle): %.2e\n", s.edp_joule_cycles);
  out += line;
  out += "\nComputes = " + std::to_string(s.computes) + "\nfJ/Compute\n";
  size_t longest = 5;  // "Total"
  for (const auto& [name, value] : s.fj_per_compute) longest = std::max(longest, name.size());
  auto energy_line = [&](const std::string& name, double value) {
    std::string padded = name;
    padded.resize(longest + 1, ' ');
    out += "    " + padded + "= " + Fixed(value) + "\n";
  };
  for (const auto& [name, value] : s.fj_per_compute) energy_line(name, value);
  energy_line("Total", s.fj_per_compute_total);
  return out;
}

TimeloopStats ParseTimeloopStats(const std::string& text, const std::string& name) {
  TimeloopStats stats;
  const std::regex level_header(R"(^Level (\d+)$)");
  const std::regex component_header(R"(^=== (\S+) ===$)");
  const std::regex data_space_header(R"(^    (\w+):$)");
  std::istringstream lines(text);
  std::string line, key, value;
  std::smatch match;
  int number = -1;
  bool in_levels = true, in_loops = false, in_summary = false;
  TimeloopLevelStats* level = nullptr;
  TimeloopDataSpaceStats* space = nullptr;
  while (std::getline(lines, line)) {
    if (line.rfind("Networks", 0) == 0 || line.rfind("Operational Intensity", 0) == 0 ||
        line.rfind("Summary Stats", 0) == 0)
      in_levels = false;
    if (line.rfind("Summary Stats", 0) == 0) in_summary = true;
    if (in_levels && std::regex_match(line, match, level_header)) {
      number = std::stoi(match[1]);
      continue;
    }
    if (in_levels && std::regex_match(line, match, component_header)) {
      space = nullptr;
      if (number == 0) {
        stats.arithmetic_name = match[1];
        level = nullptr;
      } else {
        level = &stats.levels.emplace_back();
        level->number = number;
        level->name = match[1];
      }
      continue;
    }
    if (in_levels && level) {
      if (line == "    Loop nest:") {
        in_loops = true;
        continue;
      }
      if (in_loops) {
        if (line.find_first_not_of(' ') == std::string::npos) {
          in_loops = false;
        } else {
          level->loop_nest.push_back(line.substr(line.find_first_not_of(' ')));
        }
        continue;
      }
      if (std::regex_match(line, match, data_space_header)) {
        space = &level->data_spaces.emplace_back();
        space->name = match[1];
        continue;
      }
    }
    if (in_levels && SplitKeyValue(line, &key, &value)) {
      if (!level) {
        ReadArithmeticKey(key, value, stats);
      } else if (space) {
        ReadDataSpaceKey(key, value, *space);
      } else {
        ReadLevelKey(key, value, *level);
      }
      continue;
    }
    if (!in_summary) continue;
    if (line.rfind("Utilization: ", 0) == 0) stats.utilization = std::stod(line.substr(13)) / 100;
    if (line.rfind("Cycles: ", 0) == 0) stats.cycles = std::stoll(line.substr(8));
    if (line.rfind("Energy: ", 0) == 0) stats.energy_uj = std::stod(line.substr(8));
    if (line.rfind("EDP(J*cycle): ", 0) == 0) stats.edp_joule_cycles = std::stod(line.substr(14));
    if (line.rfind("Computes = ", 0) == 0) stats.computes = std::stoll(line.substr(11));
    const size_t equals = line.find(" = ");
    if (line.rfind("    ", 0) == 0 && equals != std::string::npos) {
      const std::string component = line.substr(4, line.find_last_not_of(' ', equals) - 3);
      const double fj = std::stod(line.substr(equals + 3));
      if (component == "Total")
        stats.fj_per_compute_total = fj;
      else
        stats.fj_per_compute.emplace_back(component, fj);
    }
  }
  if (stats.cycles == 0 || stats.computes == 0) throw std::runtime_error(name + " has no summary");
  return stats;
}

TimeloopStats ReadTimeloopStats(const std::string& path) {
  std::ifstream file(path);
  if (!file) throw std::runtime_error("cannot read " + path);
  std::stringstream text;
  text << file.rdbuf();
  return ParseTimeloopStats(text.str(), path);
}

std::string TimeloopMapText(const std::vector<TimeloopMapLevel>& outermost_first) {
  std::string out, dashes;
  bool blank_line = false;     // a level whose loops were printed is followed by an empty line
  std::string indent(2, ' ');  // "| " (built so, not assigned: GCC 12 warns falsely on the assignment)
  indent[0] = '|';
  for (const TimeloopMapLevel& level : outermost_first) {
    if (blank_line) out += "\n";
    blank_line = false;
    std::string header = level.name + " [ ";
    for (const auto& [space, tile] : level.tiles)
      header += space + ":" + std::to_string(tile) + " (" + std::to_string(tile) + ") ";
    header += "] ";
    out += header + "\n";
    dashes = std::string(header.size() - 1, '-') + "\n";
    for (const std::string& loop : level.loops) {
      out += dashes + indent + loop + "\n";
      dashes.clear();
      indent += "  ";
      blank_line = true;
    }
  }
  return out + dashes + indent + "<< Compute >>\n";
}

}  // namespace cyclops::stats
