#include "sim/analysis/performance.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "sim/core/checked_math.h"
#include "sim/core/error.h"

namespace cyclops::analysis {

namespace {

const char* const kValid = "a larger bandwidth, or a smaller problem";

std::string Number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.6g", value);
  return text;
}

// Cycles to move `values` at `values_per_cycle`; 0 without a limit. The loader refuses bandwidths that
// are not positive; a count of cycles beyond 2^63 is refused here rather than wrapped.
int64_t CyclesFor(const spec::StorageLevelSpec& level, const char* port, double values,
                  const std::optional<double>& values_per_cycle) {
  if (!values_per_cycle || *values_per_cycle <= 0) return 0;
  const auto cycles = CheckedFromDouble(std::ceil(values / *values_per_cycle));
  if (!cycles)
    throw SpecError(level.where,
                    level.name + " needs more than 2^63 cycles to move " + Number(values) + " values at " +
                        port + " " + Number(*values_per_cycle) + " values per cycle",
                    kValid);
  return *cycles;
}

}  // namespace

int64_t BandwidthBoundCycles(const spec::StorageLevelSpec& level,
                             const std::vector<DataSpaceAccesses>& accesses) {
  // Summed as doubles: three data spaces' counts may together pass 2^63.
  double reads = 0, writes = 0;
  for (const DataSpaceAccesses& counts : accesses) {
    reads += static_cast<double>(counts.reads);
    writes += static_cast<double>(counts.fills) + static_cast<double>(counts.updates);
  }
  return std::max({CyclesFor(level, "read_bandwidth", reads, level.read_bandwidth),
                   CyclesFor(level, "write_bandwidth", writes, level.write_bandwidth),
                   CyclesFor(level, "shared_bandwidth", reads + writes, level.shared_bandwidth)});
}

}  // namespace cyclops::analysis
