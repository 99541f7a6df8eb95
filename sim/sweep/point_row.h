// One design point's result: the row `cyclops sweep` stores in its database (schema in sim/sweep/README.md)
// and the line a worker process prints for its parent (`cyclops-sweep-row: {json}`), so that rows travel
// back from GNU parallel's remote machines on standard output.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace cyclops::sweep {

struct PointRow {
  std::string key;  // PointInputs::key
  int64_t index = 0;
  std::vector<std::pair<std::string, std::string>> parameters;  // in parameter order
  std::string command;
  std::string status;  // "ok" or "failed"
  int exit_code = 0;   // of the step that failed (map or the command); 0 when ok
  std::optional<int64_t> cycles_simulated, cycles_analytical, macs, top_stall_cycles;
  std::optional<double> energy_pj_simulated, energy_pj_analytical, noc_busiest_utilisation;
  std::optional<std::string> top_stall;
  double wall_seconds = 0;
  std::string host;
  std::string message;  // on failure: the end of the failing step's log

  std::string ParametersJson() const;  // {"key": "value", ...} in parameter order
};

// One line of JSON (with the schema name and version) and back; std::runtime_error on a malformed line.
std::string RowJson(const PointRow& row);
PointRow RowFromJson(const std::string& json);

// What a worker prints before the row's JSON on standard output.
inline constexpr const char* kRowMarker = "cyclops-sweep-row: ";

}  // namespace cyclops::sweep
