// Reads Timeloop's `problem` (v0.4: `shape` + `instance`) into a Workload.
#pragma once

#include "sim/spec/specs.h"
#include "sim/spec/yaml_reader.h"

namespace cyclops::spec {

Workload LoadWorkload(const YamlNode& problem);

}  // namespace cyclops::spec
