// Reads, fills, updates and reductions per storage level and data space, from tile deltas, fan-out
// multicast and partition sizes (Timeloop's CollapseTiles semantics):
//   content(m)  = accesses arriving at m from below, per instance: the deltas of the next inner level
//                 (MACs at the bottom) times the distinct children of every fan-out on the way up;
//   read-only:  reads = content, fills = own deltas;
//   read-write: updates = content, reads = temporal reductions = content − partition size (the first
//               write of each value needs no read), fills = own deltas − partition size;
//   the outermost level that keeps a data space has no fills.
// Done in two steps so that a mapping whose tiles do not fit is known as early and as cheaply as possible:
// the footprints (what each level keeps, and its tiles' sizes), the capacity check, then the counts.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "sim/analysis/analysis.h"
#include "sim/analysis/loop_nest.h"
#include "sim/analysis/tile_analysis.h"

namespace cyclops::analysis {

// `storage` sized like the architecture, its data spaces like the workload's, all zero; `tiles` from
// ProjectTiles. Sets `kept` and `utilized_capacity` (the tile) where a level keeps a data space.
void CountFootprints(const spec::Architecture& architecture, const spec::Mapping& mapping,
                     const std::vector<DataBox>& tiles, std::vector<StorageLevelResult>& storage);

// A level whose kept tiles exceed its capacity.
struct CapacityExcess {
  int level = 0;
  int64_t needed = 0;  // values
  int64_t usable = 0;  // capacity ÷ multiple buffering
};
// The innermost such level, from the footprints; nothing when every tile fits.
std::optional<CapacityExcess> FindCapacityExcess(const spec::Architecture& architecture,
                                                 const std::vector<StorageLevelResult>& storage);
// SpecError at the level's temporal directive, naming the level and the overshoot.
[[noreturn]] void ThrowCapacityExcess(const spec::Architecture& architecture, const spec::Mapping& mapping,
                                      const CapacityExcess& excess);

// Completes the per-level counts after CountFootprints; energy and bandwidth fields are left for later.
void CountAccesses(const spec::Architecture& architecture, const spec::Mapping& mapping, const LoopNest& nest,
                   const std::vector<DataBox>& tiles, TileScratch& scratch, std::vector<int64_t>& partition,
                   std::vector<StorageLevelResult>& storage);

}  // namespace cyclops::analysis
