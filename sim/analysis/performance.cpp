#include "sim/analysis/performance.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "sim/core/checked_math.h"
#include "sim/core/error.h"

namespace cyclops::analysis {

namespace {

std::string Number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.6g", value);
  return text;
}

}  // namespace

int64_t BandwidthBoundCycles(const spec::StorageLevelSpec& level,
                             const std::vector<DataSpaceAccesses>& accesses, int64_t compute_cycles) {
  if (compute_cycles <= 0) return 0;
  const double compute = static_cast<double>(compute_cycles);
  // Demand per data space, then summed in data-space order, as Timeloop accumulates them (as doubles: three
  // data spaces' counts may together pass 2^63).
  double read_demand = 0.0, write_demand = 0.0;
  for (const DataSpaceAccesses& counts : accesses) {
    read_demand += static_cast<double>(counts.reads) / compute;
    write_demand += (static_cast<double>(counts.fills) + static_cast<double>(counts.updates)) / compute;
  }
  double slowdown = 1.0;
  if (level.read_bandwidth && *level.read_bandwidth < read_demand)
    slowdown = std::min(slowdown, *level.read_bandwidth / read_demand);
  if (level.write_bandwidth && *level.write_bandwidth < write_demand)
    slowdown = std::min(slowdown, *level.write_bandwidth / write_demand);
  if (level.shared_bandwidth && *level.shared_bandwidth < write_demand + read_demand)
    slowdown = std::min(slowdown, *level.shared_bandwidth / (write_demand + read_demand));
  // The loader refuses bandwidths that are not positive; a count of cycles beyond 2^63 is refused here
  // rather than wrapped.
  const auto cycles = CheckedFromDouble(std::ceil(compute / slowdown));
  if (!cycles)
    throw SpecError(level.where,
                    level.name + " needs more than 2^63 cycles to move its traffic (" + Number(read_demand) +
                        " reads and " + Number(write_demand) + " writes per compute cycle)",
                    "a larger bandwidth, or a smaller problem");
  return *cycles;
}

}  // namespace cyclops::analysis
