// Reads Timeloop's `mapping` directives into a Mapping that covers every storage level and dimension,
// and checks it against the architecture and workload: targets, dimensions, data spaces, factor
// products against the problem bounds, and spatial factors against each level's mesh fan-out.
// Capacity fit needs tile sizes and is checked by the analytical model, using the SourceLocations here.
#pragma once

#include "sim/spec/specs.h"
#include "sim/spec/yaml_reader.h"

namespace cyclops::spec {

Mapping LoadMapping(const YamlNode& mapping, const Architecture& architecture, const Workload& workload);

}  // namespace cyclops::spec
