// Timeloop mapper constraints, in both places Timeloop v0.4 accepts them, into Architecture::constraints
// (one LevelConstraints per constrained level, innermost level first):
//  - on a component: `constraints: {dataspace: {keep, bypass}, temporal: {factors, permutation},
//    spatial: {factors, permutation, split}}`;
//  - at the top level: `architecture_constraints: {targets: [{target, type, factors, permutation, split,
//    keep, bypass}, ...]}` (what Timeloop's front end dumps into parsed-processed-input.yaml).
// Names (targets, dimensions, data spaces) are resolved here, so every error points at the constraint.
#pragma once

#include "sim/spec/specs.h"
#include "sim/spec/yaml_reader.h"

namespace cyclops::spec {

// A component's `constraints:` for storage level `level`.
LevelConstraints LoadComponentConstraints(const YamlNode& node, int level, const Workload& workload);

// Top-level `architecture_constraints:`, merged into architecture.constraints.
void LoadArchitectureConstraints(const YamlNode& node, const Workload& workload, Architecture& architecture);

// A list of constraint targets [{target, type, ...}], merged into architecture.constraints (also used for
// Timeloop's mapspace constraints, mapspace_loader.h). Constraints from every source complement each
// other; constraining the same factor, permutation, split or data space of a level twice is an error
// (Timeloop's "re-specification").
void LoadConstraintTargets(const YamlNode& targets, const Workload& workload, Architecture& architecture);

}  // namespace cyclops::spec
