// The mapper: random sampling of the constrained mapspace (mapspace.h), each sample scored by the
// analytical model, the best K distinct mappings kept.
//
// Deterministic (DESIGN.md decision 12): the evaluation budget is split into a fixed number of streams
// with fixed shares, each drawing from its own std::mt19937_64 seeded from (seed, stream index); threads
// run streams in turn and the streams' results are merged ordered by (objective, tie-break, canonical key).
// So the same seed and budget give the same mappings whatever the thread count and scheduling. A time limit
// trades that away: when it stops the search early, what was found depends on the machine's speed.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "sim/analysis/analysis.h"
#include "sim/spec/specs.h"

namespace cyclops::mapping {

enum class Objective { kEdp, kEnergy, kLatency };

// "edp", "energy", "latency"; throws std::invalid_argument for anything else.
Objective ParseObjective(const std::string& name);
std::string ObjectiveName(Objective objective);
// Lower is better. EDP is Timeloop's energy × cycles (here in pJ·cycles).
double ObjectiveValue(Objective objective, const analysis::AnalysisResult& result);
// What decides between equal objectives, as Timeloop ranks by several metrics in turn: energy for
// latency, cycles for energy and EDP.
double TieBreakValue(Objective objective, const analysis::AnalysisResult& result);

struct MapperOptions {
  Objective objective = Objective::kEdp;
  uint64_t seed = 1;
  int64_t evaluations = 20000;    // total over all threads; 0 = no limit (then a time limit is needed)
  double time_limit_seconds = 0;  // 0 = none
  int threads = 1;
  int top = 5;  // how many distinct mappings to keep
  // When set, candidates it rejects count as invalid (e.g. ones the cycle-level simulator's NoC cannot
  // carry). Called from several threads; must be thread-safe and give the same answer for the same input.
  std::function<bool(const spec::Mapping&, const analysis::AnalysisResult&)> admissible;
  // When set, told now and then from the search threads: evaluations since that stream's last call, and
  // the best objective value the stream has kept (infinity before any). Must be thread-safe; the search's
  // result does not depend on it (`cyclops map`'s progress line).
  std::function<void(int64_t more_evaluations, double best_objective)> progress;
};

struct MappingCandidate {
  spec::Mapping mapping;
  analysis::AnalysisResult result;
  double objective = 0;
  double tie_break = 0;
  std::string key;  // CanonicalKey(mapping)
};

struct MapperResult {
  std::vector<MappingCandidate> best;  // best first, distinct by key, at most options.top
  int64_t evaluated = 0;               // samples given to the analytical model
  int64_t valid = 0;                   // of those, the ones whose tiles fit
  double seconds = 0;                  // wall time of the search
};

// Throws SpecError when the constraints leave no mapping, std::invalid_argument on bad options.
MapperResult SearchMappings(const spec::Architecture& architecture, const spec::Workload& workload,
                            const spec::EnergyTable* energy, const MapperOptions& options);

}  // namespace cyclops::mapping
