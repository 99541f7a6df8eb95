// Reads an Accelergy energy reference table (`ERT:`) into an EnergyTable keyed by component short name.
#pragma once

#include "sim/spec/specs.h"
#include "sim/spec/yaml_reader.h"

namespace cyclops::spec {

EnergyTable LoadEnergyTable(const YamlNode& ert);

}  // namespace cyclops::spec
