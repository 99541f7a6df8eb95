// Ideal cycles: the MACs run one temporal iteration per cycle, and a storage level whose bandwidth
// cannot sustain its traffic in that time stretches the run (Timeloop's bandwidth throttling).
//
// The arithmetic is Timeloop's own (BufferLevel::ComputePerformance), operation for operation: per data
// space the demand in values per cycle is accesses ÷ compute cycles (a double), the demands are summed,
// the slowdown is the smallest bandwidth ÷ demand below 1, and the level's cycles are
// ceil(compute cycles ÷ slowdown). Where a bound is fractional this can round up one cycle past
// ceil(accesses ÷ bandwidth); matching the operations matches Timeloop's cycles exactly.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/analysis/analysis.h"

namespace cyclops::analysis {

// Cycles one instance of a storage level needs to serve its traffic while the MACs take
// `compute_cycles`: compute_cycles when its bandwidth keeps up (or is unlimited), more when it throttles.
int64_t BandwidthBoundCycles(const spec::StorageLevelSpec& level,
                             const std::vector<DataSpaceAccesses>& accesses, int64_t compute_cycles);

}  // namespace cyclops::analysis
