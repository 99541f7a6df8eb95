// The mapper: random sampling of the constrained mapspace (mapspace.h), each sample scored by the
// analytical model, the best K distinct mappings kept.
//
// Deterministic (DESIGN.md decision 12): the evaluation budget is split into a fixed number of streams
// with fixed shares, each drawing from its own std::mt19937_64 seeded from (seed, stream index); threads
// run streams in turn and the streams' results are merged ordered by (objective, tie-break, canonical key).
// So the same seed and budget give the same mappings whatever the thread count and scheduling. A time limit
// trades that away: when it stops the search early, what was found depends on the machine's speed.
//
// Timeloop's mapper settings (`mapper:`) map onto this search as follows: optimisation metrics compare
// mappings metric by metric (Timeloop's order; exactly, where Timeloop treats values within 0.1 % as
// equal); `search_size` is a budget of valid mappings shared by the streams; `timeout` ends a stream after
// that many invalid mappings in a row (0: at the first, as in Timeloop); `victory_condition` ends a
// stream after that many valid mappings in a row that do not improve its best (0: never). A stream plays
// the part of one of Timeloop's threads, so these per-thread limits apply per stream.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "sim/analysis/analysis.h"
#include "sim/spec/specs.h"

namespace cyclops::mapping {

enum class Objective { kEdp, kEnergy, kLatency };

// "edp", "energy", "latency"; throws std::invalid_argument for anything else.
Objective ParseObjective(const std::string& name);
std::string ObjectiveName(Objective objective);
// Lower is better. EDP is Timeloop's energy × cycles (here in pJ·cycles). Where the analysis carries a NoC
// bound (sim/analysis/noc_bound.h), cycles are the larger of Timeloop's and the NoC's, and leakage is paid
// over them; without one this is Timeloop's objective exactly.
double ObjectiveValue(Objective objective, const analysis::AnalysisResult& result);
// What decides between equal objectives, as Timeloop ranks by several metrics in turn: energy for
// latency, cycles for energy and EDP.
double TieBreakValue(Objective objective, const analysis::AnalysisResult& result);

// One of Timeloop's optimisation metrics (its mapper's Cost()): cycles, energy, their product, the
// accesses (reads + fills + updates over all instances and data spaces) of the outermost level, or of
// storage level `level` (0 innermost, as Timeloop numbers storage levels).
struct Metric {
  enum class Kind { kDelay, kEnergy, kEdp, kLastLevelAccesses, kAccesses };
  Kind kind = Kind::kEdp;
  int level = 0;
  bool operator==(const Metric&) const = default;
};
// Timeloop's metric names: delay, energy, edp, last_level_accesses, accesses-N, and ordered_accesses
// (accesses of every level, outermost first). Throws std::invalid_argument for anything else or a level
// the architecture does not have.
std::vector<Metric> ParseMetrics(const std::vector<std::string>& names, int storage_levels);
double MetricValue(const Metric& metric, const analysis::AnalysisResult& result);
std::string MetricName(const Metric& metric);

struct MapperOptions {
  Objective objective = Objective::kEdp;
  // When not empty: Timeloop's optimisation metrics, compared in order; they replace `objective` and
  // its tie-break.
  std::vector<Metric> metrics;
  uint64_t seed = spec::CyclopsSettings::kDefaultSeed;
  int64_t evaluations = 20000;    // total over all threads; 0 = no limit (then a time limit is needed)
  double time_limit_seconds = 0;  // 0 = none
  int threads = 1;
  int top = 5;                     // how many distinct mappings to keep
  int64_t search_size = 0;         // valid mappings to evaluate in all, over all streams; 0 = no limit
  std::optional<int64_t> timeout;  // per stream: stop after this many invalid mappings in a row
  int64_t victory_condition = 0;   // per stream: stop after this many valid non-improving ones; 0 = off
  // When set, candidates it rejects count as invalid (e.g. ones the cycle-level simulator's NoC cannot
  // carry). Called from several threads; must be thread-safe and give the same answer for the same input.
  // It sees every figure of the analysis except the levels' `loop_nest` lines (text the search leaves
  // out but for the mappings it keeps).
  std::function<bool(const spec::Mapping&, const analysis::AnalysisResult&)> admissible;
  // Search imperfect factors too (Timeloop v3's Ruby mapspace, mapspace.h); also when the architecture's
  // mapspace says `template: ruby`.
  bool imperfect = false;
  // When set, called on every candidate's analysis before it is judged (e.g. the NoC bound of
  // sim/top/noc_bound_model.h, which ObjectiveValue then includes). Thread-safe and deterministic.
  std::function<void(const spec::Mapping&, analysis::AnalysisResult&)> refine;
  // When set, candidates are scored by the sparse model (Sparseloop's) with these optimizations.
  const spec::SparseOptimizations* sparse = nullptr;
  // When set, told now and then from the search threads: evaluations since that stream's last call, and
  // the best objective value the stream has kept (infinity before any). Must be thread-safe; the search's
  // result does not depend on it (`cyclops map`'s progress line).
  std::function<void(int64_t more_evaluations, double best_objective)> progress;
};

struct MappingCandidate {
  spec::Mapping mapping;
  analysis::AnalysisResult result;
  double objective = 0;        // the first metric (or the objective)
  double tie_break = 0;        // the second
  std::vector<double> scores;  // every metric in order (objective and tie-break without metrics)
  std::string key;             // CanonicalKey(mapping)
};

struct MapperResult {
  std::vector<MappingCandidate> best;  // best first, distinct by key, at most options.top
  int64_t evaluated = 0;               // samples given to the analytical model
  int64_t valid = 0;                   // of those, the ones whose tiles fit
  double seconds = 0;                  // wall time of the search
  // Why the streams stopped: the evaluation budget (or time limit), search_size, timeout, victory_condition.
  int streams_done_by_budget = 0;
  int streams_done_by_search_size = 0;
  int streams_done_by_timeout = 0;
  int streams_done_by_victory = 0;
};

// Throws SpecError when the constraints leave no mapping, std::invalid_argument on bad options.
MapperResult SearchMappings(const spec::Architecture& architecture, const spec::Workload& workload,
                            const spec::EnergyTable* energy, const MapperOptions& options);

}  // namespace cyclops::mapping
