#include "sim/analysis/performance.h"

#include <algorithm>
#include <cmath>

namespace cyclops::analysis {

int64_t BandwidthBoundCycles(const spec::StorageLevelSpec& level,
                             const std::vector<DataSpaceAccesses>& accesses, int64_t compute_cycles) {
  if (compute_cycles <= 0) return 0;
  const double compute = static_cast<double>(compute_cycles);
  // Demand per data space, then summed in data-space order, as Timeloop accumulates them.
  double read_demand = 0.0, write_demand = 0.0;
  for (const DataSpaceAccesses& counts : accesses) {
    read_demand += static_cast<double>(counts.reads) / compute;
    write_demand += static_cast<double>(counts.fills + counts.updates) / compute;
  }
  double slowdown = 1.0;
  if (level.read_bandwidth && *level.read_bandwidth < read_demand)
    slowdown = std::min(slowdown, *level.read_bandwidth / read_demand);
  if (level.write_bandwidth && *level.write_bandwidth < write_demand)
    slowdown = std::min(slowdown, *level.write_bandwidth / write_demand);
  if (level.shared_bandwidth && *level.shared_bandwidth < write_demand + read_demand)
    slowdown = std::min(slowdown, *level.shared_bandwidth / (write_demand + read_demand));
  return static_cast<int64_t>(std::ceil(compute / slowdown));
}

}  // namespace cyclops::analysis
