#include "sim/energy/sparse_energy.h"

#include <initializer_list>
#include <string>

#include "sim/energy/energy_model.h"

namespace cyclops::energy {

namespace {

double FirstOf(const spec::EnergyTable* table, const std::string& component,
               std::initializer_list<const char*> actions) {
  if (table == nullptr) return 0;
  for (const char* action : actions)
    if (auto energy = table->Lookup(component, action)) return *energy;
  return 0;
}

}  // namespace

SparseStorageEnergy LookupSparseStorageEnergy(const spec::EnergyTable* table,
                                              const spec::StorageLevelSpec& level) {
  const std::string& name = level.name;
  SparseStorageEnergy costs;
  costs.read = {FirstOf(table, name, {"random_read", "read"}), FirstOf(table, name, {"gated_read"}),
                FirstOf(table, name, {"skipped_read", "gated_read"})};
  costs.fill = {FirstOf(table, name, {"random_fill", "random_write", "fill", "write"}),
                FirstOf(table, name, {"gated_fill", "gated_write"}),
                FirstOf(table, name, {"skipped_fill", "skipped_write", "gated_fill", "gated_write"})};
  costs.update = {FirstOf(table, name, {"random_update", "random_write", "update", "write"}),
                  FirstOf(table, name, {"gated_update", "gated_write"}),
                  FirstOf(table, name, {"skipped_update", "skipped_write", "gated_update", "gated_write"})};
  costs.metadata_read = {FirstOf(table, name, {"random_metadata_read", "metadata_read"}),
                         FirstOf(table, name, {"gated_metadata_read"}),
                         FirstOf(table, name, {"skipped_metadata_read", "gated_metadata_read"})};
  costs.metadata_fill = {
      FirstOf(table, name,
              {"random_metadata_fill", "random_metadata_write", "metadata_fill", "metadata_write"}),
      FirstOf(table, name, {"gated_metadata_fill", "gated_metadata_write"}),
      FirstOf(table, name,
              {"skipped_metadata_fill", "skipped_metadata_write", "gated_metadata_fill",
               "gated_metadata_write"})};
  costs.metadata_update = {
      FirstOf(table, name,
              {"random_metadata_update", "random_metadata_write", "metadata_update", "metadata_write"}),
      FirstOf(table, name, {"gated_metadata_update", "gated_metadata_write"}),
      FirstOf(table, name,
              {"skipped_metadata_update", "skipped_metadata_write", "gated_metadata_update",
               "gated_metadata_write"})};
  costs.decompression = FirstOf(table, name, {"decompression_count"});
  costs.compression = FirstOf(table, name, {"compression_count"});
  return costs;
}

SparseComputeEnergy LookupSparseComputeEnergy(const spec::EnergyTable* table,
                                              const spec::ArithmeticSpec& arithmetic) {
  const std::string& name = arithmetic.name;
  SparseComputeEnergy costs;
  costs.compute = {
      FirstOf(table, name, {"mac_random", "mult_random", "mac", "mult", "compute"}),
      FirstOf(table, name, {"mac_gated", "mult_gated", "compute_gated", "mac", "mult", "compute"}),
      FirstOf(table, name,
              {"mac_skipped", "mult_skipped", "compute_skipped", "mac_gated", "mult_gated", "compute_gated",
               "mac", "mult", "compute"})};
  return costs;
}

SparseEnergyPrices LookupSparseEnergyPrices(const spec::EnergyTable* table,
                                            const spec::Architecture& architecture) {
  SparseEnergyPrices prices;
  for (const spec::StorageLevelSpec& level : architecture.storage) {
    prices.storage.push_back(LookupSparseStorageEnergy(table, level));
    prices.leak_per_instance_cycle.push_back(LookupStorageEnergy(table, level).leak_per_instance_cycle);
  }
  prices.compute = LookupSparseComputeEnergy(table, architecture.arithmetic);
  return prices;
}

}  // namespace cyclops::energy
