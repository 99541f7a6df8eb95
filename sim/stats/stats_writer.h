// Pluggable stats writers (SST style). A writer registers itself by name in its own .cpp:
//
//   CYCLOPS_REGISTER_STATS_WRITER("json", JsonStatsWriter);
//
// and WriteStatsFile picks it by that name. Files are written to a temporary name and renamed, so an
// output file is either whole or absent, never half-written.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "sim/core/registry.h"
#include "sim/stats/stats_tree.h"

namespace cyclops::stats {

class StatsWriter {
 public:
  virtual ~StatsWriter() = default;
  // Must be deterministic: the same tree contents give the same bytes.
  virtual void Write(const StatsTree& tree, std::ostream& out) const = 0;
  // The same bytes as one string (a writer that builds its text whole overrides it to skip the stream).
  virtual std::string Render(const StatsTree& tree) const;
};

using StatsWriterRegistry = Registry<StatsWriter>;

// Writes `tree` with the writer registered as `writer_name` to `path` (via `path`.tmp + rename).
// Throws SpecError listing the known writers if the name is unknown, SimulationError if the file cannot
// be written.
void WriteStatsFile(const StatsTree& tree, const std::string& writer_name, const std::string& path);

// The text `writer_name` writes for `tree` (for an OutputSet, which writes several files as one).
// Throws SpecError listing the known writers if the name is unknown.
std::string RenderStats(const StatsTree& tree, const std::string& writer_name);

}  // namespace cyclops::stats

#define CYCLOPS_REGISTER_STATS_WRITER(name, Type)         \
  [[maybe_unused]] static const bool kRegistered_##Type = \
      ::cyclops::stats::StatsWriterRegistry::Add(name, [] { return std::make_unique<Type>(); })
