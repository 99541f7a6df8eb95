#include "sim/stats/stats_writer.h"

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
  const std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) throw SimulationError("cannot open '" + temporary + "' for writing");
    writer->Write(tree, out);
    out.flush();
    if (!out) {
      out.close();
      std::remove(temporary.c_str());
      throw SimulationError("failed writing stats to '" + temporary + "'");
    }
  }
  std::error_code error;
  std::filesystem::rename(temporary, path, error);
  if (error) {
    std::remove(temporary.c_str());
    throw SimulationError("cannot rename '" + temporary + "' to '" + path + "': " + error.message());
  }
}

}  // namespace cyclops::stats
