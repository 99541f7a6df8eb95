// The one "no mapping given: map first" step, shared by `cyclops run`, `cyclops network` and the
// analytical-only network path: the mapper's search (objective EDP, or latency without an ERT; seed
// cyclops.seed), optionally only among mappings the cycle-level simulator (and the architecture's NoC) can
// run. Deterministic for a seed and budget.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "sim/mapping/mapper.h"
#include "sim/spec/specs.h"

namespace cyclops::top {

struct MapFirstOptions {
  int64_t evaluations = mapping::MapperOptions{}.evaluations;
  int threads = 0;               // 0: one per hardware thread
  bool simulatable_only = true;  // keep only mappings the simulator can run
  bool use_noc = true;           // ... over the architecture's NoC (`--noc spec`)
  std::map<std::string, spec::NocParamValue> noc_params;
};

struct MapFirstResult {
  spec::Mapping mapping;
  std::string yaml;     // Timeloop mapping YAML
  std::string summary;  // "the mapper chose this one (objective edp, seed 1, ...)"
  mapping::Objective objective = mapping::Objective::kEdp;
  int64_t analytical_cycles = 0;
};

// `spec` needs an architecture and a workload. std::runtime_error when the mapper finds nothing the
// simulator can run in the budget, SpecError when the constraints leave no mapping.
MapFirstResult MapFirst(const spec::Spec& spec, const MapFirstOptions& options);

}  // namespace cyclops::top
