#include "sim/analysis/access_counts.h"

#include <cmath>
#include <string>

#include "sim/analysis/tile_analysis.h"

namespace cyclops::analysis {

std::vector<std::vector<DataSpaceAccesses>> CountAccesses(const spec::Architecture& architecture,
                                                          const spec::Mapping& mapping,
                                                          const LoopNest& nest) {
  const spec::Workload& workload = nest.workload();
  const int levels = nest.levels();
  const int data_spaces = static_cast<int>(workload.data_spaces.size());
  std::vector<std::vector<DataSpaceAccesses>> result(levels, std::vector<DataSpaceAccesses>(data_spaces));

  std::vector<std::vector<int64_t>> deltas(levels);
  for (int level = 0; level < levels; ++level) deltas[level] = TileDeltas(nest, level);
  const std::vector<int64_t> origin(workload.dimensions.size(), 0);

  for (int d = 0; d < data_spaces; ++d) {
    const bool read_write = workload.data_spaces[d].read_write;
    const std::vector<int64_t> partition = PartitionSizes(nest, d);
    int outermost_keeper = -1;
    for (int level = 0; level < levels; ++level)
      if (mapping.levels[level].keep[d] && !architecture.storage[level].is_dummy) outermost_keeper = level;

    // Accesses reaching the bottom level: one per MAC, shared among MACs that use the same value.
    int64_t content = nest.TemporalIterations() * DistinctChildOffsets(nest, 0, d);
    for (int level = 0; level < levels; ++level) {
      if (level > 0) content *= DistinctChildOffsets(nest, level, d);
      const bool kept = mapping.levels[level].keep[d] && !architecture.storage[level].is_dummy;
      if (!kept) continue;  // a bypassed level passes its children's demand through unchanged

      DataSpaceAccesses& counts = result[level][d];
      counts.kept = true;
      counts.partition_size = partition[level];
      counts.utilized_capacity = nest.Project(d, origin, nest.TileExtent(level)).Size();
      counts.utilized_instances = nest.UtilizedInstances(level);
      counts.utilized_clusters = counts.utilized_instances;
      const int64_t own_deltas = level == outermost_keeper ? 0 : deltas[level][d];
      if (read_write) {
        counts.updates = content;
        counts.reads = content - partition[level];
        counts.temporal_reductions = counts.reads;
        counts.fills = level == outermost_keeper ? 0 : own_deltas - partition[level];
        counts.address_generations = counts.updates + counts.fills;
      } else {
        counts.reads = content;
        counts.fills = own_deltas;
        counts.address_generations = counts.reads + counts.fills;
      }
      counts.reads_total = counts.reads * counts.utilized_instances;
      counts.fills_total = counts.fills * counts.utilized_instances;
      counts.updates_total = counts.updates * counts.utilized_instances;
      content = deltas[level][d];  // what this level asks of the next keeper up
    }
  }
  return result;
}

void CheckCapacities(const spec::Architecture& architecture, const spec::Mapping& mapping,
                     const std::vector<std::vector<DataSpaceAccesses>>& accesses) {
  for (size_t level = 0; level < accesses.size(); ++level) {
    const spec::StorageLevelSpec& storage = architecture.storage[level];
    const auto capacity = storage.Capacity();
    if (!capacity || storage.is_dummy) continue;
    const int64_t usable =
        static_cast<int64_t>(std::floor(*capacity / std::max(storage.multiple_buffering, 1.0)));
    int64_t needed = 0;
    for (const DataSpaceAccesses& counts : accesses[level]) needed += counts.utilized_capacity;
    if (needed > usable)
      throw SpecError(
          mapping.levels[level].temporal_where,
          "the tiles mapped to '" + storage.name + "' need " + std::to_string(needed) +
              " values but it holds " + std::to_string(usable) + " (over by " +
              std::to_string(needed - usable) + ")",
          "smaller temporal factors at or below '" + storage.name + "', or bypass a data space there");
  }
}

}  // namespace cyclops::analysis
