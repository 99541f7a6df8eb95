// Builds the typed Architecture (storage innermost first, then the arithmetic unit) from the flattened
// tree, type-checking the attributes Cyclops uses and keeping every attribute as text for reports.
// Component constraints are resolved against the workload when one is given.
#pragma once

#include "sim/spec/specs.h"
#include "sim/spec/yaml_reader.h"

namespace cyclops::spec {

Architecture LoadArchitecture(const YamlNode& architecture, const Workload* workload);

}  // namespace cyclops::spec
