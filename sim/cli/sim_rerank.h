// `cyclops map --sim-rerank K`: the analytical model misses stalls, so the best K analytical candidates
// are simulated cycle by cycle and re-ranked by the simulated objective — one after another on one
// accelerator, elaborated once in this process.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/mapping/mapper.h"
#include "sim/spec/specs.h"

namespace cyclops::cli {

struct SimulatedCandidate {
  int analytical_rank = 0;  // 1-based, in the analytical ranking
  int64_t analytical_cycles = 0;
  double analytical_energy_pj = 0;
  int64_t simulated_cycles = 0;
  double simulated_energy_pj = 0;
  bool outputs_match = false;
  double objective = 0;  // the simulated objective (lower is better)
  std::string error;     // non-empty when the run failed; such candidates are not chosen
};

struct RerankResult {
  std::vector<SimulatedCandidate> rows;  // in analytical order
  int chosen = -1;                       // index into rows; -1 when every run failed
  // Candidates passed over because the cycle-level simulator cannot run them (mapping::LayerPlan
  // refuses them, e.g. several MACs under one innermost buffer): (analytical rank, reason).
  std::vector<std::pair<int, std::string>> skipped;
};

// SpecError when the files already hold a non-empty mapping: the candidates' mappings replace it, which
// would hide it (an empty `mapping: []` is fine).
void CheckNoMappingGiven(const spec::Spec& spec);

// Simulates the first k candidates the simulator can run, in analytical order; each candidate's mapping
// and summary go to work_dir/candidate_<analytical rank>/.
RerankResult SimRerank(const spec::Spec& spec, const std::vector<mapping::MappingCandidate>& candidates,
                       int k, mapping::Objective objective, const std::string& work_dir);

// The table printed by `cyclops map --sim-rerank`.
std::string RerankTable(const RerankResult& result, mapping::Objective objective);

}  // namespace cyclops::cli
