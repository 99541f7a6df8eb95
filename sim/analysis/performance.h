// Ideal cycles: the MACs run one temporal iteration per cycle, and a storage level whose bandwidth
// cannot sustain its traffic in that time stretches the run (Timeloop's bandwidth throttling).
#pragma once

#include <cstdint>
#include <vector>

#include "sim/analysis/analysis.h"

namespace cyclops::analysis {

// Cycles one instance of a storage level needs to serve its traffic; 0 when its bandwidth is unlimited.
int64_t BandwidthBoundCycles(const spec::StorageLevelSpec& level,
                             const std::vector<DataSpaceAccesses>& accesses);

}  // namespace cyclops::analysis
