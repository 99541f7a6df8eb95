// Reads Timeloop's `problem` (v0.4: `shape` + `instance`) into a Workload.
#pragma once

#include <string>
#include <vector>

#include "sim/spec/specs.h"
#include "sim/spec/yaml_reader.h"

namespace cyclops::spec {

// Instance keys that are neither dimensions nor coefficients (Timeloop ignores them; the example designs
// carry derived sizes such as H, W, Hpad) are reported in `notes`.
Workload LoadWorkload(const YamlNode& problem, std::vector<std::string>& notes);

}  // namespace cyclops::spec
