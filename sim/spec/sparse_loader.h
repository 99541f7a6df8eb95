// Reads Sparseloop's sparse optimizations, unchanged (sparse_spec.h): `sparse_optimizations` written on
// components of the architecture or in the resolved top-level form `sparse_optimizations: {targets: [{name,
// representation_format, action_optimization, compute_optimization}]}`. Strict: unknown keys, names and
// formats, metadata word widths that do not fit the level's metadata storage, a level given twice, and what
// Sparseloop itself refuses (a compressed rank above an uncompressed one, runtime tile partitioning,
// overbooking, spatial skipping) are SpecErrors at the offending key.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sim/spec/specs.h"
#include "sim/spec/yaml_reader.h"

namespace cyclops::spec {

// Empty when neither the components nor `top_level` write any sparse optimization. Notes (word widths
// Sparseloop widens to avoid fragmenting the metadata storage) are appended to `notes`.
std::optional<SparseOptimizations> LoadSparseOptimizations(const YamlNode& architecture,
                                                           const std::optional<YamlNode>& top_level,
                                                           const Architecture& typed_architecture,
                                                           const Workload& workload,
                                                           std::vector<std::string>& notes);

}  // namespace cyclops::spec
