// The small notations shared by mapping directives and architecture constraints: loop factors
// ("R=3 P=16", "R=3,P=16", "C1 M8", or a list [R=3, P=16]), permutations ("MPCQ" or [M, P]) and lists of
// data-space names. Names are resolved against the workload here, so errors point at the directive.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/spec/specs.h"
#include "sim/spec/yaml_reader.h"

namespace cyclops::spec {

struct Factor {
  int dimension = 0;
  int64_t value = 1;
  int64_t residual = 0;  // Timeloop v3's imperfect form "Q=14,13": the residual (13); 0 = none written
};
// `minimum` is 1 for mappings; constraints also allow 0 (Timeloop: "whatever remains"). A residual follows
// its factor after a comma, as Timeloop writes it ("Q=14,13"; a number alone after a factor); it must lie in
// [1, factor].
std::vector<Factor> ParseFactors(const YamlNode& node, const Workload& workload, int64_t minimum = 1);
// Dimension indices innermost first, as written (not completed); no repeats.
std::vector<int> ParsePermutation(const YamlNode& node, const Workload& workload);
// Completes a partial permutation: dimensions not listed follow the listed ones (they are outer).
std::vector<int> CompletePermutation(const std::vector<int>& partial, int dimension_count);
// A mapping or constraint target: a storage level, or a container whose fan-out created
// `inter_<name>_spatial`. Returns the level's index in Architecture::storage.
int ResolveTarget(const YamlNode& target, const Architecture& architecture);
// Data-space indices; no repeats.
std::vector<int> ParseDataSpaceList(const YamlNode& node, const Workload& workload);

}  // namespace cyclops::spec
