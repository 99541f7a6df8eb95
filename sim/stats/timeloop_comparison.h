// Timeloop's figures beside Cyclops' analytical and simulated ones, counter by counter (`cyclops
// compare`). Counts must be equal; energies are equal within 0.5 % (Timeloop prints two decimals and
// Accelergy's ERTs carry rounding), which is the tolerance of the validation tests too. The simulated
// cycles, leakage and totals legitimately differ by the pipeline fill and drain: they are shown with
// their difference but not counted as mismatches.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sim/stats/timeloop_stats.h"

namespace cyclops::stats {

struct ComparisonRow {
  std::string level;       // "" for summary rows
  std::string data_space;  // "" for level and summary rows
  std::string counter;     // "reads (per instance)", "energy (pJ)", "cycles", ...
  bool energy = false;     // compared within the tolerance, not exactly
  double timeloop = 0;
  std::optional<double> analytical;  // empty: Cyclops does not have the figure
  std::optional<double> simulated;   // empty: not simulated, or the simulator does not count it
  bool simulated_must_match = true;  // false for cycles, leakage and totals (fill and drain)
};

struct Comparison {
  std::vector<ComparisonRow> rows;
  bool simulated = false;
  std::string not_simulated_because;  // when !simulated

  bool Equal(const ComparisonRow& row, const std::optional<double>& value) const;
  int AnalyticalDifferences() const;
  int SimulatedDifferences() const;  // over the rows that must match
  std::string Text(const std::string& title) const;
  std::string Json(const std::string& folder) const;
};

// `simulated` is null when the layer was not simulated.
Comparison CompareWithTimeloop(const TimeloopStats& timeloop, const TimeloopStats& analytical,
                               const TimeloopStats* simulated);

}  // namespace cyclops::stats
