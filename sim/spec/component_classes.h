// Accelergy compound component classes (`compound_components: {version, classes: [...]}`). Timeloop and
// Accelergy take them from several files (tutorial-06/-07 keep one class per file in arch/components/),
// so every file's classes are merged into one list. As in Accelergy, a class defined again replaces the
// earlier one, with a warning naming both places; each class needs name, attributes, subcomponents and
// actions. Cyclops reads what it needs to recognise classes and their attributes: the class's attribute
// names and the classes of its subcomponents (the energy estimate follows them to a primitive class).
#pragma once

#include <vector>

#include "sim/spec/specs.h"
#include "sim/spec/yaml_reader.h"

namespace cyclops::spec {

// One node per file that gives `compound_components` (or Accelergy's older key `components`), in file
// order.
std::vector<ComponentClassSpec> LoadComponentClasses(const std::vector<YamlNode>& nodes,
                                                     std::vector<SpecWarning>& warnings);

}  // namespace cyclops::spec
