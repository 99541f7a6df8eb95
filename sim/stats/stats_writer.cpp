#include "sim/stats/stats_writer.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim/core/atomic_file.h"
#include "sim/core/error.h"

namespace cyclops::stats {

std::string RenderStats(const StatsTree& tree, const std::string& writer_name) {
  std::unique_ptr<StatsWriter> writer = StatsWriterRegistry::Make(writer_name);
  if (writer == nullptr) {
    std::string valid;
    for (const std::string& name : StatsWriterRegistry::Names()) valid += (valid.empty() ? "" : ", ") + name;
    throw SpecError({}, "unknown stats writer '" + writer_name + "'", valid);
  }
  return writer->Render(tree);
}

std::string StatsWriter::Render(const StatsTree& tree) const {
  std::ostringstream text;
  Write(tree, text);
  return text.str();
}

void WriteStatsFile(const StatsTree& tree, const std::string& writer_name, const std::string& path) {
  // A file that cannot be written is SpecError (exit 2), not a simulation failure (exit 4).
  WriteFileAtomically(path, RenderStats(tree, writer_name));
}

}  // namespace cyclops::stats
