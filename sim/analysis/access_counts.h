// Reads, fills, updates and reductions per storage level and data space, from tile deltas, fan-out
// multicast and partition sizes (Timeloop's CollapseTiles semantics):
//   content(m)  = accesses arriving at m from below, per instance: the deltas of the next inner level
//                 (MACs at the bottom) times the distinct children of every fan-out on the way up;
//   read-only:  reads = content, fills = own deltas;
//   read-write: updates = content, reads = temporal reductions = content − partition size (the first
//               write of each value needs no read), fills = own deltas − partition size;
//   the outermost level that keeps a data space has no fills.
#pragma once

#include <vector>

#include "sim/analysis/analysis.h"
#include "sim/analysis/loop_nest.h"

namespace cyclops::analysis {

// Result indexed [level][data space]; energy and bandwidth fields are left for later passes.
std::vector<std::vector<DataSpaceAccesses>> CountAccesses(const spec::Architecture& architecture,
                                                          const spec::Mapping& mapping, const LoopNest& nest);

// Throws SpecError at the level's temporal directive when its kept tiles exceed its capacity.
void CheckCapacities(const spec::Architecture& architecture, const spec::Mapping& mapping,
                     const std::vector<std::vector<DataSpaceAccesses>>& accesses);

}  // namespace cyclops::analysis
