#include "sim/analysis/access_counts.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "sim/core/checked_math.h"
#include "sim/core/error.h"

namespace cyclops::analysis {

namespace {

bool Keeps(const spec::Architecture& architecture, const spec::Mapping& mapping, int level, int data_space) {
  return mapping.levels[level].keep[data_space] && !architecture.storage[level].is_dummy;
}

}  // namespace

void CountFootprints(const spec::Architecture& architecture, const spec::Mapping& mapping,
                     const std::vector<DataBox>& tiles, std::vector<StorageLevelResult>& storage) {
  for (int level = 0; level < static_cast<int>(storage.size()); ++level) {
    const int data_spaces = static_cast<int>(storage[level].data_spaces.size());
    for (int d = 0; d < data_spaces; ++d) {
      if (!Keeps(architecture, mapping, level, d)) continue;
      DataSpaceAccesses& counts = storage[level].data_spaces[d];
      counts.kept = true;
      counts.utilized_capacity = tiles[level * data_spaces + d].Size();
    }
  }
}

std::optional<CapacityExcess> FindCapacityExcess(const spec::Architecture& architecture,
                                                 const std::vector<StorageLevelResult>& storage) {
  for (size_t level = 0; level < storage.size(); ++level) {
    const spec::StorageLevelSpec& spec_level = architecture.storage[level];
    const auto capacity = spec_level.Capacity();
    if (!capacity || spec_level.is_dummy) continue;
    const int64_t usable =
        static_cast<int64_t>(std::floor(*capacity / std::max(spec_level.multiple_buffering, 1.0)));
    int64_t needed = 0;  // each tile is below 2^63 values; their sum is kept there too
    for (const DataSpaceAccesses& counts : storage[level].data_spaces)
      needed = CheckedAdd(needed, counts.utilized_capacity).value_or(INT64_MAX);
    if (needed > usable) return CapacityExcess{static_cast<int>(level), needed, usable};
  }
  return std::nullopt;
}

void ThrowCapacityExcess(const spec::Architecture& architecture, const spec::Mapping& mapping,
                         const CapacityExcess& excess) {
  const std::string& name = architecture.storage[excess.level].name;
  throw SpecError(mapping.levels[excess.level].temporal_where,
                  "the tiles mapped to '" + name + "' need " + std::to_string(excess.needed) +
                      " values but it holds " + std::to_string(excess.usable) + " (over by " +
                      std::to_string(excess.needed - excess.usable) + ")",
                  "smaller temporal factors at or below '" + name + "', or bypass a data space there");
}

void CountAccesses(const spec::Architecture& architecture, const spec::Mapping& mapping, const LoopNest& nest,
                   const std::vector<DataBox>& tiles, TileScratch& scratch, std::vector<int64_t>& partition,
                   std::vector<StorageLevelResult>& storage) {
  const spec::Workload& workload = nest.workload();
  const int levels = nest.levels();
  const int data_spaces = static_cast<int>(workload.data_spaces.size());

  // DistinctChildOffsets enumerates the children of every fan-out: refuse one too wide to enumerate
  // (2^22 children is a 4-million-PE array; Eyeriss v2's largest has 16,384).
  constexpr int64_t kWidestFanout = int64_t{1} << 22;
  for (int level = 0; level < levels; ++level)
    if (nest.SpatialFanout(level) > kWidestFanout)
      throw SpecError(mapping.levels[level].spatial_where.file.empty() ? mapping.where
                                                                       : mapping.levels[level].spatial_where,
                      "the spatial factors under " + architecture.storage[level].name + " fan out to " +
                          std::to_string(nest.SpatialFanout(level)) + " children, more than the " +
                          std::to_string(kWidestFanout) + " the analytical model enumerates",
                      "spatial factors whose product at one level is at most 4,194,304");

  for (int d = 0; d < data_spaces; ++d) {
    int outermost_keeper = -1;
    for (int level = 0; level < levels; ++level)
      if (Keeps(architecture, mapping, level, d)) outermost_keeper = level;
    if (outermost_keeper < 0) continue;  // kept nowhere: nothing to count
    const bool read_write = workload.data_spaces[d].read_write;
    PartitionSizes(nest, d, tiles, partition);

    // Accesses reaching the bottom level: one per MAC, shared among MACs that use the same value.
    int64_t content = nest.TemporalIterations() * DistinctChildOffsets(nest, 0, d, scratch);
    // Above the outermost keeper nothing is counted; the outermost keeper has no fills, so its own
    // deltas are never needed either.
    for (int level = 0; level <= outermost_keeper; ++level) {
      if (level > 0) content *= DistinctChildOffsets(nest, level, d, scratch);
      if (!Keeps(architecture, mapping, level, d)) continue;  // a bypassed level passes demand through

      DataSpaceAccesses& counts = storage[level].data_spaces[d];
      counts.partition_size = partition[level];
      counts.utilized_instances = nest.UtilizedInstances(level);
      counts.utilized_clusters = counts.utilized_instances;
      const int64_t own_deltas =
          level == outermost_keeper ? 0 : TileDelta(nest, level, d, tiles[level * data_spaces + d], scratch);
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
      content = own_deltas;  // what this level asks of the next keeper up
    }
  }
}

}  // namespace cyclops::analysis
