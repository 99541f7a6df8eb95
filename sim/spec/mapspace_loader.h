// Timeloop's mapspace constraints, in every form Timeloop's mapper reads them, into the same
// Architecture::constraints as `architecture_constraints` and the constraints written on components:
//  - `mapspace_constraints: {version: 0.4, targets: [...]}` (the v0.4 tutorial form);
//  - `mapspace_constraints: [...]` or `{version, constraints: [...]}` (the older forms);
//  - `mapspace: {version, template, targets | constraints}` (`template: uber` is Cyclops' mapspace;
//    `ruby`, Timeloop's imperfect factorisation, is searched as uber with a note).
// Timeloop refuses `mapspace` and `mapspace_constraints` together; so does Cyclops.
#pragma once

#include <string>
#include <vector>

#include "sim/spec/specs.h"
#include "sim/spec/yaml_reader.h"

namespace cyclops::spec {

// `key` is "mapspace" or "mapspace_constraints"; notes receive what is read but not used.
void LoadMapspaceConstraints(const YamlNode& node, const std::string& key, const Workload& workload,
                             Architecture& architecture, std::vector<std::string>& notes);

}  // namespace cyclops::spec
