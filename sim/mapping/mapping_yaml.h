// Writing a Mapping back out as Timeloop mapping YAML (the `timeloop-mapper.map.yaml` form), so that a
// mapper's choice can be fed to `cyclops analyze`/`cyclops run` or to Timeloop itself. The text is built
// by hand: only sim/spec may include yaml-cpp (DESIGN.md decision 2), and the form is small and fixed.
#pragma once

#include <string>

#include "sim/spec/specs.h"

namespace cyclops::mapping {

// `mapping:` with one datatype directive per level (keep/bypass), then per level outermost-last a
// spatial directive (with split) where the level fans out, and a temporal directive.
std::string MappingYaml(const spec::Architecture& architecture, const spec::Workload& workload,
                        const spec::Mapping& mapping);

// A string equal for two mappings exactly when they describe the same loop nest and storage: factors,
// keep bits, X/Y sides of spatial factors, and the orders of the loops whose factor is not 1 (the
// place of a 1-iteration loop changes nothing). Used to tell mappings apart and to break ties.
std::string CanonicalKey(const spec::Workload& workload, const spec::Mapping& mapping);
// The same written into `key`, reusing its storage (the mapper asks for many).
void CanonicalKey(const spec::Workload& workload, const spec::Mapping& mapping, std::string& key);

}  // namespace cyclops::mapping
