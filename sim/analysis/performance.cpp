#include "sim/analysis/performance.h"

#include <algorithm>
#include <cmath>

namespace cyclops::analysis {

namespace {
int64_t CyclesFor(int64_t values, const std::optional<double>& values_per_cycle) {
  if (!values_per_cycle || *values_per_cycle <= 0) return 0;
  return static_cast<int64_t>(std::ceil(static_cast<double>(values) / *values_per_cycle));
}
}  // namespace

int64_t BandwidthBoundCycles(const spec::StorageLevelSpec& level,
                             const std::vector<DataSpaceAccesses>& accesses) {
  int64_t reads = 0, writes = 0;
  for (const DataSpaceAccesses& counts : accesses) {
    reads += counts.reads;
    writes += counts.fills + counts.updates;
  }
  return std::max({CyclesFor(reads, level.read_bandwidth), CyclesFor(writes, level.write_bandwidth),
                   CyclesFor(reads + writes, level.shared_bandwidth)});
}

}  // namespace cyclops::analysis
