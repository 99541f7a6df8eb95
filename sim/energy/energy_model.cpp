#include "sim/energy/energy_model.h"

#include <algorithm>

namespace cyclops::energy {

namespace {
double ActionOrZero(const spec::EnergyTable* table, const std::string& component, const std::string& action) {
  if (table == nullptr) return 0;
  return table->Lookup(component, action).value_or(0);
}
}  // namespace

StorageEnergy LookupStorageEnergy(const spec::EnergyTable* table, const spec::StorageLevelSpec& level) {
  StorageEnergy costs;
  // A clustered level's row spans its cluster (block_size = width ÷ word bits). Timeloop instead spreads
  // the row over the used instances of each cluster; not modelled yet (see README).
  costs.values_per_row = std::max<int64_t>(1, level.block_size);
  costs.read = ActionOrZero(table, level.name, "read");
  costs.fill = ActionOrZero(table, level.name, "write");
  costs.update = ActionOrZero(table, level.name, "update");
  costs.leak_per_instance_cycle = ActionOrZero(table, level.name, "leak");
  return costs;
}

double LookupComputeEnergy(const spec::EnergyTable* table, const spec::ArithmeticSpec& arithmetic) {
  if (table == nullptr) return 0;
  for (const char* action : {"compute", "mac_random"})
    if (auto energy = table->Lookup(arithmetic.name, action)) return *energy;
  return 0;
}

double AccessEnergy(const StorageEnergy& costs, int64_t reads, int64_t fills, int64_t updates) {
  auto rows = [&](int64_t values) {
    return static_cast<double>((values + costs.values_per_row - 1) / costs.values_per_row);
  };
  return rows(reads) * costs.read + rows(fills) * costs.fill + rows(updates) * costs.update;
}

}  // namespace cyclops::energy
