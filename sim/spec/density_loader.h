// Reads the densities of a problem instance in Sparseloop's form, unchanged (sparse_spec.h):
//   densities: {A: 0.25, B: {distribution: hypergeometric, density: 0.5}, Z: {distribution: banded,
//               band_width: 2}}
// or `commonDensity: <the same>` for every data space. A bare number is a fixed_structured density.
// Strict: unknown data spaces, distributions and keys, densities outside [0, 1], a banded tensor that is
// not a square matrix are SpecErrors at the offending key.
#pragma once

#include <vector>

#include "sim/spec/specs.h"
#include "sim/spec/yaml_reader.h"

namespace cyclops::spec {

// One entry per data space of the workload (dense where none is named).
std::vector<DensitySpec> LoadDensities(const YamlNode& densities, const Workload& workload);
std::vector<DensitySpec> LoadCommonDensity(const YamlNode& density, const Workload& workload);

}  // namespace cyclops::spec
