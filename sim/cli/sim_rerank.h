// `cyclops map --sim-rerank K`: the analytical model misses stalls, so the best K analytical candidates
// are simulated cycle by cycle and re-ranked by the simulated objective — one after another on one
// accelerator, elaborated once in this process.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/cli/rerank_run.h"
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
  // > 0: the analytical rank of an earlier row with the same program (sim/cli/program_identity.h); this
  // row was not simulated again and holds that row's figures.
  int same_as = 0;
  // > 0 (latency objective, bounded): the analytical rank of the earlier row this one cannot beat, and
  // that row's simulated cycles. Its run was stopped once its cycles were sure to exceed those, or ended
  // slower (which of the two depends on what ran at the same time with --jobs: not shown).
  int beaten_by = 0;
  int64_t beaten_by_cycles = 0;
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

struct RerankOptions {
  int k = 1;  // candidates to rank (the first k the simulator can run)
  mapping::Objective objective = mapping::Objective::kEdp;
  // With the latency objective: stop a run once its cycles are sure to exceed the best so far (in
  // analytical order, so the best tends to come early). The choice is the one full runs would make: a
  // stopped candidate is slower than an earlier one, and ties go to the earlier rank anyway.
  bool bound = true;
  int jobs = 1;  // > 1: distinct candidates run on that many worker processes (sim/cli/rerank_run.h)
  CandidateSetting setting;  // the files the candidates run with
};

// Simulates the first k candidates the simulator can run, in analytical order, each distinct program once;
// each candidate's mapping and (when it ran to the end) summary go to work_dir/candidate_<analytical rank>/.
RerankResult SimRerank(const spec::Spec& spec, const std::vector<mapping::MappingCandidate>& candidates,
                       const RerankOptions& options, const std::string& work_dir);

// The table printed by `cyclops map --sim-rerank`.
std::string RerankTable(const RerankResult& result, mapping::Objective objective);

}  // namespace cyclops::cli
