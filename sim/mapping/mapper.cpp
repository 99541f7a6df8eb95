#include "sim/mapping/mapper.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <limits>
#include <random>
#include <stdexcept>
#include <thread>

#include "sim/analysis/noc_bound.h"
#include "sim/core/error.h"
#include "sim/mapping/mapping_yaml.h"
#include "sim/mapping/mapspace.h"

namespace cyclops::mapping {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int kStreams = 16;             // enough for 16 threads; each stream long enough to climb
constexpr int64_t kProgressEvery = 256;  // evaluations between progress reports of a stream
constexpr double kInfinity = std::numeric_limits<double>::infinity();

// SplitMix64: turns (seed, thread) into well-separated generator seeds, so that neighbouring seeds or
// threads do not start correlated streams.
uint64_t MixSeed(uint64_t seed, uint64_t stream) {
  uint64_t z = seed + 0x9E3779B97F4A7C15ull * (stream + 1);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

using Score = std::vector<double>;  // metric values in order, compared lexicographically: lower is better

bool Better(const MappingCandidate& a, const MappingCandidate& b) {
  if (a.scores != b.scores) return a.scores < b.scores;
  return a.key < b.key;
}

void ScoreInto(const MapperOptions& options, const analysis::AnalysisResult& result, Score& score) {
  score.clear();
  if (options.metrics.empty()) {
    score.push_back(ObjectiveValue(options.objective, result));
    score.push_back(TieBreakValue(options.objective, result));
    return;
  }
  for (const Metric& metric : options.metrics) score.push_back(MetricValue(metric, result));
}

// True when two mappings describe the same loop nest and storage as CanonicalKey sees them (same factors
// in the same order where they are not 1, same X/Y sides, same keep bits): then their keys are equal.
// Comparing costs far less than building a key, which most candidates that tie a kept one would need.
bool SameLoopNest(const spec::Mapping& a, const spec::Mapping& b) {
  for (size_t i = 0; i < a.levels.size(); ++i) {
    const spec::LevelMapping& x = a.levels[i];
    const spec::LevelMapping& y = b.levels[i];
    if (x.keep != y.keep) return false;
    auto same_loops = [](const std::vector<int>& x_order, const std::vector<int64_t>& x_factors,
                         const std::vector<int>& y_order, const std::vector<int64_t>& y_factors, int x_split,
                         int y_split) {
      size_t p = 0, q = 0;
      while (true) {
        while (p < x_order.size() && x_factors[x_order[p]] == 1) ++p;
        while (q < y_order.size() && y_factors[y_order[q]] == 1) ++q;
        if (p == x_order.size() || q == y_order.size()) return p == x_order.size() && q == y_order.size();
        if (x_order[p] != y_order[q] || x_factors[x_order[p]] != y_factors[y_order[q]] ||
            (static_cast<int>(p) < x_split) != (static_cast<int>(q) < y_split))
          return false;
        ++p, ++q;
      }
    };
    constexpr int kNoSplit = 1 << 30;  // temporal loops have no X/Y side
    if (!same_loops(x.temporal_permutation, x.temporal_factors, y.temporal_permutation, y.temporal_factors,
                    kNoSplit, kNoSplit) ||
        !same_loops(x.spatial_permutation, x.spatial_factors, y.spatial_permutation, y.spatial_factors,
                    x.spatial_split, y.spatial_split))
      return false;
  }
  return true;
}

int64_t Accesses(const analysis::StorageLevelResult& level) {
  int64_t total = 0;
  for (const analysis::DataSpaceAccesses& counts : level.data_spaces)
    total += (counts.reads + counts.fills + counts.updates) * counts.utilized_instances;
  return total;
}

// The best `top` distinct candidates, kept sorted by Better.
class TopList {
 public:
  explicit TopList(int top) : top_(top) {}
  // Whether a candidate with this objective could enter, before paying for its key.
  bool MayEnter(const Score& score) const {
    return static_cast<int>(list_.size()) < top_ || score <= list_.back().scores;
  }
  // Whether a kept candidate has this mapping's loop nest (so Offer would turn it away).
  bool Holds(const spec::Mapping& mapping, const Score& score) const {
    for (const MappingCandidate& kept : list_)
      if (kept.scores == score && SameLoopNest(kept.mapping, mapping)) return true;
    return false;
  }
  // Whether Offer would keep a candidate with this score and key, before paying for its copy.
  bool Admits(const Score& score, const std::string& key) const {
    for (const MappingCandidate& kept : list_)
      if (kept.key == key) return false;
    if (static_cast<int>(list_.size()) < top_) return true;
    const MappingCandidate& last = list_.back();
    return score != last.scores ? score < last.scores : key < last.key;
  }
  void Offer(MappingCandidate candidate) {
    for (const MappingCandidate& kept : list_)
      if (kept.key == candidate.key) return;
    auto at = std::lower_bound(list_.begin(), list_.end(), candidate, Better);
    list_.insert(at, std::move(candidate));
    if (static_cast<int>(list_.size()) > top_) list_.pop_back();
  }
  std::vector<MappingCandidate>& Items() { return list_; }

 private:
  int top_;
  std::vector<MappingCandidate> list_;
};

enum class StopReason { kBudget, kSearchSize, kTimeout, kVictory };

struct ThreadOutcome {
  std::vector<MappingCandidate> best;
  int64_t evaluated = 0;
  int64_t valid = 0;
  StopReason stopped = StopReason::kBudget;
};

// Timeloop's termination conditions for one stream (applications/mapper/mapper-thread.cpp).
class StopRules {
 public:
  StopRules(const MapperOptions& options, int64_t valid_share)
      : options_(options), valid_share_(valid_share) {}
  void Invalid() { ++invalid_in_a_row_; }
  void Valid(bool improved) {
    invalid_in_a_row_ = 0;
    ++valid_;
    since_best_ = improved ? 0 : since_best_ + 1;
  }
  std::optional<StopReason> Stop() const {
    if (options_.search_size > 0 && valid_ >= valid_share_) return StopReason::kSearchSize;
    if (options_.victory_condition > 0 && since_best_ >= options_.victory_condition)
      return StopReason::kVictory;
    if (options_.timeout && invalid_in_a_row_ > 0 && invalid_in_a_row_ >= *options_.timeout)
      return StopReason::kTimeout;
    return std::nullopt;
  }

 private:
  const MapperOptions& options_;
  int64_t valid_share_;
  int64_t valid_ = 0;
  int64_t invalid_in_a_row_ = 0;
  int64_t since_best_ = 0;
};

// One stream: random samples first (to land somewhere good), then hill climbing from the best point
// with local moves, restarting from a fresh sample when the climb stalls. Random sampling alone rarely
// fills a fan-out exactly; the moves tune that in a few hundred steps. The candidate, the current point,
// the analysis and the scores live in buffers reused from one step to the next.
ThreadOutcome SearchShare(const MapSpace& space, const spec::Architecture& architecture,
                          const spec::Workload& workload, const spec::EnergyTable* energy,
                          const MapperOptions& options, uint64_t stream, int64_t share, int64_t valid_share,
                          Clock::time_point deadline, bool has_deadline) {
  constexpr int64_t kStallSteps = 300;  // climb steps without improvement before a restart
  constexpr int kMoveAttempts = 100;    // draws of a move before giving up on this step
  std::mt19937_64 rng(MixSeed(options.seed, stream));
  analysis::Evaluator evaluator(architecture, workload, energy, options.sparse);
  TopList top(options.top);
  ThreadOutcome outcome;
  const int64_t explore = share == 0 ? 2000 : std::max<int64_t>(1, share * 3 / 10);
  spec::Mapping candidate, current;
  bool has_current = false;
  analysis::AnalysisResult result;
  Score score, current_score, best_score;
  std::string key;
  bool has_best = false;
  StopRules rules(options, valid_share);
  int64_t stalled = 0;
  for (int64_t n = 0; share == 0 || n < share; ++n) {
    if (has_deadline && n % 32 == 0 && Clock::now() >= deadline) break;
    if (const std::optional<StopReason> stop = rules.Stop()) {
      outcome.stopped = *stop;
      break;
    }
    bool drawn = false;
    const bool climbing = has_current && n >= explore;
    if (climbing) {
      candidate = current;  // a failed move leaves it so: one copy for all attempts
      for (int attempt = 0; attempt < kMoveAttempts && !drawn; ++attempt)
        drawn = space.MutateInPlace(candidate, rng);
    }
    if (!drawn) drawn = space.SampleInto(rng, candidate);
    if (!drawn) {       // every draw overflowed a fan-out (Timeloop's mapspace-constraint invalid); the step
      rules.Invalid();  // is spent, so no endless loop
      continue;
    }
    if (++outcome.evaluated % kProgressEvery == 0 && options.progress)
      options.progress(kProgressEvery, top.Items().empty() ? kInfinity : top.Items().front().objective);
    bool fits;
    try {
      fits = evaluator.Evaluate(candidate, result, /*describe=*/false);
    } catch (const SpecError&) {
      fits = false;
    }
    if (fits && options.refine) options.refine(candidate, result);
    // A tile that does not fit its level is an invalid mapping, as in Timeloop's search; so is one the
    // caller does not admit.
    if (!fits || (options.admissible && !options.admissible(candidate, result))) {
      rules.Invalid();
      if (climbing && ++stalled > kStallSteps) has_current = false, stalled = 0;
      continue;
    }
    ++outcome.valid;
    ScoreInto(options, result, score);
    const bool improved = !has_best || score < best_score;
    if (improved) best_score = score, has_best = true;
    rules.Valid(improved);
    const spec::Mapping* evaluated = &candidate;
    if (!has_current || score < current_score || (climbing && score == current_score)) {
      stalled = has_current && score < current_score ? 0 : stalled + 1;
      std::swap(current, candidate);  // the candidate's old contents are overwritten before use
      evaluated = &current;
      current_score = score;
      has_current = true;
    } else if (climbing && ++stalled > kStallSteps) {
      has_current = false;
      stalled = 0;
    }
    // The key is paid for only by a candidate that could enter and is not already there, the loop text
    // and the copies only by one that does enter.
    if (!top.MayEnter(score) || top.Holds(*evaluated, score)) continue;
    CanonicalKey(workload, *evaluated, key);
    if (!top.Admits(score, key)) continue;
    evaluator.Describe(result);
    const double first = score[0], second = score.size() > 1 ? score[1] : 0;
    top.Offer({*evaluated, result, first, second, score, key});
  }
  if (options.progress)
    options.progress(outcome.evaluated % kProgressEvery,
                     top.Items().empty() ? kInfinity : top.Items().front().objective);
  outcome.best = std::move(top.Items());
  return outcome;
}

}  // namespace

Objective ParseObjective(const std::string& name) {
  if (name == "edp") return Objective::kEdp;
  if (name == "energy") return Objective::kEnergy;
  if (name == "latency") return Objective::kLatency;
  throw std::invalid_argument("unknown objective '" + name + "' (valid: edp, energy, latency)");
}

std::string ObjectiveName(Objective objective) {
  switch (objective) {
    case Objective::kEdp:
      return "edp";
    case Objective::kEnergy:
      return "energy";
    case Objective::kLatency:
      return "latency";
  }
  return "";
}

double ObjectiveValue(Objective objective, const analysis::AnalysisResult& result) {
  const double cycles = static_cast<double>(analysis::BoundedCycles(result));
  switch (objective) {
    case Objective::kEdp:
      return analysis::BoundedEnergy(result) * cycles;
    case Objective::kEnergy:
      return analysis::BoundedEnergy(result);
    case Objective::kLatency:
      return cycles;
  }
  return 0;
}

double TieBreakValue(Objective objective, const analysis::AnalysisResult& result) {
  return objective == Objective::kLatency ? analysis::BoundedEnergy(result)
                                          : static_cast<double>(analysis::BoundedCycles(result));
}

std::vector<Metric> ParseMetrics(const std::vector<std::string>& names, int storage_levels) {
  std::vector<Metric> metrics;
  for (const std::string& name : names) {
    if (name == "delay")
      metrics.push_back({Metric::Kind::kDelay});
    else if (name == "energy")
      metrics.push_back({Metric::Kind::kEnergy});
    else if (name == "edp")
      metrics.push_back({Metric::Kind::kEdp});
    else if (name == "last_level_accesses")
      metrics.push_back({Metric::Kind::kLastLevelAccesses});
    else if (name == "ordered_accesses")
      for (int level = storage_levels - 1; level >= 0; --level)
        metrics.push_back({Metric::Kind::kAccesses, level});
    else if (name.rfind("accesses-", 0) == 0 && name.size() > 9 &&
             name.find_first_not_of("0123456789", 9) == std::string::npos) {
      const int level = std::stoi(name.substr(9));
      if (level >= storage_levels)
        throw std::invalid_argument("metric " + name + ": the architecture has storage levels 0.." +
                                    std::to_string(storage_levels - 1));
      metrics.push_back({Metric::Kind::kAccesses, level});
    } else {
      throw std::invalid_argument(
          "unknown metric '" + name +
          "' (valid: delay, energy, edp, last_level_accesses, accesses-N, ordered_accesses)");
    }
  }
  return metrics;
}

double MetricValue(const Metric& metric, const analysis::AnalysisResult& result) {
  switch (metric.kind) {
    case Metric::Kind::kDelay:
      return static_cast<double>(result.cycles);
    case Metric::Kind::kEnergy:
      return result.energy_pj;
    case Metric::Kind::kEdp:
      return result.energy_pj * static_cast<double>(result.cycles);
    case Metric::Kind::kLastLevelAccesses:
      return static_cast<double>(Accesses(result.storage.back()));
    case Metric::Kind::kAccesses:
      return static_cast<double>(Accesses(result.storage[metric.level]));
  }
  return 0;
}

std::string MetricName(const Metric& metric) {
  switch (metric.kind) {
    case Metric::Kind::kDelay:
      return "delay";
    case Metric::Kind::kEnergy:
      return "energy";
    case Metric::Kind::kEdp:
      return "edp";
    case Metric::Kind::kLastLevelAccesses:
      return "last_level_accesses";
    case Metric::Kind::kAccesses:
      return "accesses-" + std::to_string(metric.level);
  }
  return "";
}

MapperResult SearchMappings(const spec::Architecture& architecture, const spec::Workload& workload,
                            const spec::EnergyTable* energy, const MapperOptions& options) {
  if (options.threads < 1 || options.top < 1 || options.evaluations < 0 || options.search_size < 0 ||
      options.victory_condition < 0 || (options.timeout && *options.timeout < 0))
    throw std::invalid_argument(
        "mapper needs threads >= 1, top >= 1, and evaluations, search_size, timeout, victory_condition >= 0");
  const bool has_deadline = options.time_limit_seconds > 0;
  if (options.evaluations == 0 && !has_deadline)
    throw std::invalid_argument("mapper needs an evaluation budget or a time limit");
  const MapSpace space(architecture, workload, options.imperfect || architecture.imperfect_mapspace);
  const Clock::time_point start = Clock::now();
  const Clock::time_point deadline = start + std::chrono::duration_cast<Clock::duration>(
                                                 std::chrono::duration<double>(options.time_limit_seconds));

  // The budget is cut into a fixed number of streams, each with its own generator and a fixed share
  // (the first `remainder` take one more), run by threads in turn: the outcome depends on neither the
  // thread count nor the timing. Without a budget, one endless stream per thread until the deadline.
  const int streams = options.evaluations > 0 ? kStreams : options.threads;
  // Threads take the next stream as they finish one, so a stream that stops early (victory_condition,
  // timeout) leaves no thread idle; which thread runs a stream does not change what it finds.
  std::vector<ThreadOutcome> outcomes(streams);
  std::vector<std::thread> workers;
  std::atomic<int> next_stream{0};
  for (int t = 0; t < std::min(options.threads, streams); ++t) {
    workers.emplace_back([&] {
      for (int s; (s = next_stream.fetch_add(1)) < streams;) {
        const int64_t share = options.evaluations / streams + (s < options.evaluations % streams);
        const int64_t valid_share = options.search_size / streams + (s < options.search_size % streams);
        if (options.evaluations > 0 && share == 0) continue;
        if (options.search_size > 0 && valid_share == 0) continue;
        outcomes[s] = SearchShare(space, architecture, workload, energy, options, static_cast<uint64_t>(s),
                                  share, valid_share, deadline, has_deadline);
      }
    });
  }
  for (std::thread& worker : workers) worker.join();

  MapperResult merged;
  TopList top(options.top);
  for (ThreadOutcome& outcome : outcomes) {  // stream order, then Better: no dependence on timing
    merged.evaluated += outcome.evaluated;
    merged.valid += outcome.valid;
    switch (outcome.stopped) {
      case StopReason::kBudget:
        ++merged.streams_done_by_budget;
        break;
      case StopReason::kSearchSize:
        ++merged.streams_done_by_search_size;
        break;
      case StopReason::kTimeout:
        ++merged.streams_done_by_timeout;
        break;
      case StopReason::kVictory:
        ++merged.streams_done_by_victory;
        break;
    }
    for (MappingCandidate& candidate : outcome.best) top.Offer(std::move(candidate));
  }
  merged.best = std::move(top.Items());
  merged.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return merged;
}

}  // namespace cyclops::mapping
