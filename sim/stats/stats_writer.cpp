#include "sim/stats/stats_writer.h"

#include <sstream>

#include "sim/core/atomic_file.h"

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "sim/core/error.h"

namespace cyclops::stats {

void WriteStatsFile(const StatsTree& tree, const std::string& writer_name, const std::string& path) {
  std::unique_ptr<StatsWriter> writer = StatsWriterRegistry::Make(writer_name);
  if (writer == nullptr) {
    std::string valid;
    for (const std::string& name : StatsWriterRegistry::Names()) valid += (valid.empty() ? "" : ", ") + name;
    throw SpecError({}, "unknown stats writer '" + writer_name + "'", valid);
  }
  std::ostringstream text;
  writer->Write(tree, text);
  try {
    WriteFileAtomically(path, text.str());
  } catch (const std::runtime_error& e) {
    throw SimulationError(e.what());
  }
}

}  // namespace cyclops::stats
