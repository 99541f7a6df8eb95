// The name and version every JSON output (and the sweep database) carries as
// `"schema": {"name": ..., "version": N}`, so a tool reading one can tell what it holds and refuse what it
// does not know. Written once here; the README's "Output files" table documents each. A version changes
// when a field is removed or changes meaning (adding a field keeps the version).
#pragma once

namespace cyclops {

struct OutputSchema {
  const char* name;
  int version;
};

inline constexpr OutputSchema kAnalysisJsonSchema{"cyclops.analysis", 1};   // analyze --out: analysis.json
inline constexpr OutputSchema kStatsJsonSchema{"cyclops.stats", 1};         // run --out: stats.json
inline constexpr OutputSchema kSummaryJsonSchema{"cyclops.summary", 1};     // run --out: summary.json
inline constexpr OutputSchema kNocJsonSchema{"cyclops.noc", 1};             // run --out: noc.json
inline constexpr OutputSchema kTraceJsonSchema{"cyclops.trace", 1};         // run/network --trace FILE
inline constexpr OutputSchema kNetworkJsonSchema{"cyclops.network", 1};     // network: network.json
inline constexpr OutputSchema kTimingJsonSchema{"cyclops.timing", 1};       // network --verbose: timing.json
inline constexpr OutputSchema kSweepRowSchema{"cyclops.sweep-row", 1};      // a sweep worker's result line
inline constexpr OutputSchema kSweepDatabaseSchema{"cyclops.sweep-db", 1};  // sweep.sqlite (table sweep_meta)

}  // namespace cyclops
