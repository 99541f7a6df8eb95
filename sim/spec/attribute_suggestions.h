// Component attributes are free-form in Accelergy, so an unknown name cannot be refused — but one a
// letter or two off a name Cyclops, Timeloop or an Accelergy class uses (`read_bandwdith`) is almost
// certainly a typo whose limit would silently vanish. Those become warnings naming the file, line and
// column and the likely meant name; `--strict` makes them errors.
#pragma once

#include <string>
#include <vector>

#include "sim/spec/specs.h"
#include "sim/spec/yaml_reader.h"

namespace cyclops::spec {

// Optimal-string-alignment distance (insertions, deletions, substitutions, adjacent transpositions).
int EditDistance(const std::string& a, const std::string& b);

// The known name closest to `name` when it is close enough to be a typo of it; "" otherwise (also when
// `name` itself is known).
std::string ClosestKnownName(const std::string& name, const std::vector<std::string>& known);

// Attribute names known without any compound class: Cyclops', Timeloop's and Accelergy's primitives'.
const std::vector<std::string>& KnownAttributeNames();

// Checks every `attributes:` map in the architecture tree (nodes, subtree and local forms) against the
// known names and the attributes the compound classes declare.
void SuggestAttributeNames(const YamlNode& architecture, const std::vector<ComponentClassSpec>& classes,
                           std::vector<SpecWarning>& warnings);

}  // namespace cyclops::spec
