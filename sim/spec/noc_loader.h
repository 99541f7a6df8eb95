// Reads the Cyclops-only `noc:` key of an architecture: {topology, params, modes, nodes, links}.
// Types and shapes are checked here; builder names and parameter values are checked by the builder itself
// (noc/topology), which knows them, and reported at the locations this loader keeps.
#pragma once

#include "sim/spec/specs.h"
#include "sim/spec/yaml_reader.h"

namespace cyclops::spec {

NocSpec LoadNoc(const YamlNode& noc);

}  // namespace cyclops::spec
