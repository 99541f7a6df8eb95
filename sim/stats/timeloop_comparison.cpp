#include "sim/stats/timeloop_comparison.h"

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "sim/stats/text_format.h"

namespace cyclops::stats {

namespace {

constexpr double kEnergyTolerance = 0.005;

// Adds the rows of one level (or data space) from the three reports, by counter.
class RowBuilder {
 public:
  RowBuilder(std::vector<ComparisonRow>& rows, const TimeloopStats* analytical,
             const TimeloopStats* simulated)
      : rows_(rows), analytical_(analytical), simulated_(simulated) {}

  void DataSpaceRows(const TimeloopLevelStats& level, const TimeloopDataSpaceStats& theirs) {
    auto space = [&](const TimeloopStats* stats) -> const TimeloopDataSpaceStats* {
      if (!stats) return nullptr;
      const TimeloopLevelStats* mine = stats->Level(level.name);
      return mine ? mine->DataSpace(theirs.name) : nullptr;
    };
    const TimeloopDataSpaceStats* a = space(analytical_);
    const TimeloopDataSpaceStats* s = space(simulated_);
    auto add = [&](const char* counter, auto field, bool energy, bool simulator_counts) {
      ComparisonRow row{level.name,   theirs.name, counter, energy, static_cast<double>(theirs.*field),
                        std::nullopt, std::nullopt};
      if (a) row.analytical = static_cast<double>(a->*field);
      if (s && simulator_counts) row.simulated = static_cast<double>(s->*field);
      rows_.push_back(row);
    };
    add("utilized capacity", &TimeloopDataSpaceStats::utilized_capacity, false, false);
    add("utilized instances", &TimeloopDataSpaceStats::utilized_instances, false, true);
    add("partition size", &TimeloopDataSpaceStats::partition_size, false, false);
    add("reads (per instance)", &TimeloopDataSpaceStats::reads, false, true);
    add("fills (per instance)", &TimeloopDataSpaceStats::fills, false, true);
    add("updates (per instance)", &TimeloopDataSpaceStats::updates, false, true);
    add("temporal reductions", &TimeloopDataSpaceStats::temporal_reductions, false, false);
    add("address generations", &TimeloopDataSpaceStats::address_generations, false, false);
    add("energy (pJ)", &TimeloopDataSpaceStats::energy_total_pj, true, true);
  }

 private:
  std::vector<ComparisonRow>& rows_;
  const TimeloopStats* analytical_;
  const TimeloopStats* simulated_;
};

std::string Value(const std::optional<double>& value, bool energy) {
  if (!value) return "-";
  if (energy) return Format("%.2f", *value);
  return Grouped(static_cast<int64_t>(std::llround(*value)));
}

}  // namespace

bool Comparison::Equal(const ComparisonRow& row, const std::optional<double>& value) const {
  if (!value) return true;
  if (!row.energy) return *value == row.timeloop;
  return std::fabs(*value - row.timeloop) <= kEnergyTolerance * std::fabs(row.timeloop) + 0.01;
}

int Comparison::AnalyticalDifferences() const {
  int count = 0;
  for (const ComparisonRow& row : rows) count += !Equal(row, row.analytical);
  return count;
}

int Comparison::SimulatedDifferences() const {
  int count = 0;
  for (const ComparisonRow& row : rows) count += row.simulated_must_match && !Equal(row, row.simulated);
  return count;
}

std::string Comparison::Text(const std::string& title) const {
  std::string out = title + "\n\n";
  out += Format("  %-24s %-9s %-22s %16s %18s %18s\n", "level", "data", "counter", "Timeloop", "analytical",
                simulated ? "simulated" : "(not simulated)");
  std::string last_level, last_space;
  auto cell = [&](const ComparisonRow& row, const std::optional<double>& value) {
    std::string text = Value(value, row.energy);
    if (!value) return text + "  ";
    if (Equal(row, value)) return text + " =";
    if (row.timeloop != 0) return text + Format(" (%+.2f%%)", 100.0 * (*value - row.timeloop) / row.timeloop);
    return text + " !";
  };
  for (const ComparisonRow& row : rows) {
    const bool new_level = row.level != last_level;
    const bool new_space = new_level || row.data_space != last_space;
    out += Format("  %-24s %-9s %-22s %16s %18s %18s\n", new_level ? row.level.c_str() : "",
                  new_space ? row.data_space.c_str() : "", row.counter.c_str(),
                  Value(row.timeloop, row.energy).c_str(), cell(row, row.analytical).c_str(),
                  simulated ? cell(row, row.simulated).c_str() : "");
    last_level = row.level;
    last_space = row.data_space;
  }
  const int analytical = AnalyticalDifferences();
  out += "\n  analytical: " + (analytical == 0
                                   ? std::string("every figure equals Timeloop's")
                                   : std::to_string(analytical) + " figure(s) differ from Timeloop's");
  out += " (energies within 0.5 %)\n";
  if (simulated) {
    const int differences = SimulatedDifferences();
    out += "  simulated:  " + (differences == 0
                                   ? std::string("every counter equals Timeloop's")
                                   : std::to_string(differences) + " counter(s) differ from Timeloop's");
    out += " (cycles, leakage and totals differ by the pipeline fill and drain)\n";
  } else {
    out += "  simulated:  not simulated: " + not_simulated_because + "\n";
  }
  return out;
}

std::string Comparison::Json(const std::string& folder) const {
  nlohmann::ordered_json root;
  root["folder"] = folder;
  root["simulated"] = simulated;
  if (!simulated) root["not_simulated_because"] = not_simulated_because;
  root["analytical_differences"] = AnalyticalDifferences();
  root["simulated_differences"] =
      simulated ? nlohmann::ordered_json(SimulatedDifferences()) : nlohmann::ordered_json();
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const ComparisonRow& row : rows) {
    nlohmann::ordered_json entry = {{"level", row.level},
                                    {"data_space", row.data_space},
                                    {"counter", row.counter},
                                    {"timeloop", row.timeloop}};
    entry["analytical"] = row.analytical ? nlohmann::ordered_json(*row.analytical) : nlohmann::ordered_json();
    entry["simulated"] = row.simulated ? nlohmann::ordered_json(*row.simulated) : nlohmann::ordered_json();
    entry["analytical_equal"] = Equal(row, row.analytical);
    if (simulated) entry["simulated_equal"] = Equal(row, row.simulated);
    list.push_back(entry);
  }
  root["rows"] = list;
  return root.dump(2) + "\n";
}

Comparison CompareWithTimeloop(const TimeloopStats& timeloop, const TimeloopStats& analytical,
                               const TimeloopStats* simulated) {
  Comparison comparison;
  comparison.simulated = simulated != nullptr;
  std::vector<ComparisonRow>& rows = comparison.rows;
  auto summary = [&](const char* counter, double theirs, double mine, std::optional<double> sim, bool energy,
                     bool must_match) {
    rows.push_back({"", "", counter, energy, theirs, mine, sim, must_match});
  };
  auto sim = [&](auto field) -> std::optional<double> {
    if (!simulated) return std::nullopt;
    return static_cast<double>(simulated->*field);
  };
  summary("cycles", static_cast<double>(timeloop.cycles), static_cast<double>(analytical.cycles),
          sim(&TimeloopStats::cycles), false, false);
  summary("computes", static_cast<double>(timeloop.computes), static_cast<double>(analytical.computes),
          sim(&TimeloopStats::computes), false, true);
  summary("utilized MACs", static_cast<double>(timeloop.arithmetic_utilized_instances),
          static_cast<double>(analytical.arithmetic_utilized_instances),
          sim(&TimeloopStats::arithmetic_utilized_instances), false, true);
  summary("MAC energy (pJ)", timeloop.arithmetic_energy_pj, analytical.arithmetic_energy_pj,
          sim(&TimeloopStats::arithmetic_energy_pj), true, true);
  summary("fJ per compute", timeloop.fj_per_compute_total, analytical.fj_per_compute_total,
          sim(&TimeloopStats::fj_per_compute_total), true, false);
  RowBuilder builder(rows, &analytical, simulated);
  for (const TimeloopLevelStats& level : timeloop.levels) {
    for (const TimeloopDataSpaceStats& space : level.data_spaces) builder.DataSpaceRows(level, space);
    const TimeloopLevelStats* mine = analytical.Level(level.name);
    const TimeloopLevelStats* theirs_sim = simulated ? simulated->Level(level.name) : nullptr;
    rows.push_back({level.name, "", "leakage (pJ)", true, level.leakage_energy_pj,
                    mine ? std::optional<double>(mine->leakage_energy_pj) : std::nullopt,
                    theirs_sim ? std::optional<double>(theirs_sim->leakage_energy_pj) : std::nullopt, false});
  }
  return comparison;
}

}  // namespace cyclops::stats
