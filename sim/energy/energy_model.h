// Energy from action counts: counts × Accelergy ERT entries (DESIGN.md decision 8). A storage access
// moves one value; the ERT prices one row (vector) of block_size values, and like Timeloop a level pays
// for whole rows: ceil(values ÷ block_size) row accesses per action and instance. Leakage is per
// instance per cycle; MACs have no leakage in Timeloop's model.
#pragma once

#include <cstdint>
#include <string>

#include "sim/spec/specs.h"

namespace cyclops::energy {

// Per-row costs in pJ of one storage level (zero when the table has no entry).
struct StorageEnergy {
  int64_t values_per_row = 1;
  double read = 0;
  double fill = 0;    // ERT action `write`
  double update = 0;  // ERT action `update`
  double leak_per_instance_cycle = 0;
};

StorageEnergy LookupStorageEnergy(const spec::EnergyTable* table, const spec::StorageLevelSpec& level);

// pJ per MAC (ERT action `compute`, else `mac_random`), zero without a table.
double LookupComputeEnergy(const spec::EnergyTable* table, const spec::ArithmeticSpec& arithmetic);

// Dynamic energy of one instance's reads, fills and updates (counts in values), in pJ.
double AccessEnergy(const StorageEnergy& costs, int64_t reads, int64_t fills, int64_t updates);

}  // namespace cyclops::energy
