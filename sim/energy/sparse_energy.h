// Sparseloop's fine-grained actions priced with the Accelergy ERT. Each action takes the first ERT
// action of its list that the table has (Sparseloop's storageOperationMappings and
// arithmeticOperationMappings); an action none of whose names is in the table costs nothing. So a gated
// read costs `gated_read` (if the ERT prices it), a skipped read `skipped_read` or else `gated_read`, a
// metadata read `metadata_read`; a gated compute costs `compute` unless the ERT names a gated one.
#pragma once

#include <array>
#include <vector>

#include "sim/spec/specs.h"

namespace cyclops::energy {

// Index into the per-action arrays: actual (Sparseloop's "random"), gated, skipped.
enum SparseActionKind { kActual = 0, kGated = 1, kSkipped = 2 };

struct SparseStorageEnergy {  // pJ per row (data) or per metadata-storage row (metadata)
  std::array<double, 3> read{}, fill{}, update{};
  std::array<double, 3> metadata_read{}, metadata_fill{}, metadata_update{};
  double decompression = 0;  // per value
  double compression = 0;
};
SparseStorageEnergy LookupSparseStorageEnergy(const spec::EnergyTable* table,
                                              const spec::StorageLevelSpec& level);

struct SparseComputeEnergy {  // pJ per compute
  std::array<double, 3> compute{};
};
SparseComputeEnergy LookupSparseComputeEnergy(const spec::EnergyTable* table,
                                              const spec::ArithmeticSpec& arithmetic);

// Every price the sparse model needs, looked up once: the mapper's evaluator prices thousands of mappings
// with one table, and a lookup by name per action and level was a fifth of each evaluation.
struct SparseEnergyPrices {
  std::vector<SparseStorageEnergy> storage;  // per storage level
  std::vector<double> leak_per_instance_cycle;
  SparseComputeEnergy compute;
};
SparseEnergyPrices LookupSparseEnergyPrices(const spec::EnergyTable* table,
                                            const spec::Architecture& architecture);

}  // namespace cyclops::energy
