#include "sim/mapping/mapper.h"

#include <algorithm>
#include <chrono>
#include <limits>
#include <random>
#include <stdexcept>
#include <thread>

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

using Score = std::pair<double, double>;  // (objective, tie-break): lower is better

bool Better(const MappingCandidate& a, const MappingCandidate& b) {
  if (a.objective != b.objective) return a.objective < b.objective;
  if (a.tie_break != b.tie_break) return a.tie_break < b.tie_break;
  return a.key < b.key;
}

// The best `top` distinct candidates, kept sorted by Better.
class TopList {
 public:
  explicit TopList(int top) : top_(top) {}
  // Whether a candidate with this objective could enter, before paying for its key.
  bool MayEnter(Score score) const {
    return static_cast<int>(list_.size()) < top_ ||
           score <= Score{list_.back().objective, list_.back().tie_break};
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

struct ThreadOutcome {
  std::vector<MappingCandidate> best;
  int64_t evaluated = 0;
  int64_t valid = 0;
};

// One stream: random samples first (to land somewhere good), then hill climbing from the best point
// with local moves, restarting from a fresh sample when the climb stalls. Random sampling alone rarely
// fills a fan-out exactly; the moves tune that in a few hundred steps.
ThreadOutcome SearchShare(const MapSpace& space, const spec::Architecture& architecture,
                          const spec::Workload& workload, const spec::EnergyTable* energy,
                          const MapperOptions& options, uint64_t stream, int64_t share,
                          Clock::time_point deadline, bool has_deadline) {
  constexpr int64_t kStallSteps = 300;  // climb steps without improvement before a restart
  constexpr int kMoveAttempts = 100;    // draws of a move before giving up on this step
  std::mt19937_64 rng(MixSeed(options.seed, stream));
  TopList top(options.top);
  ThreadOutcome outcome;
  const int64_t explore = share == 0 ? 2000 : std::max<int64_t>(1, share * 3 / 10);
  std::optional<spec::Mapping> current;
  Score current_score;
  int64_t stalled = 0;
  for (int64_t n = 0; share == 0 || n < share; ++n) {
    if (has_deadline && n % 32 == 0 && Clock::now() >= deadline) break;
    std::optional<spec::Mapping> mapping;
    const bool climbing = current && n >= explore;
    if (climbing) {
      for (int attempt = 0; attempt < kMoveAttempts && !mapping; ++attempt)
        mapping = space.Mutate(*current, rng);
    }
    if (!mapping) mapping = space.Sample(rng);
    if (!mapping) continue;  // every draw overflowed a fan-out: the step is spent, so no endless loop
    if (++outcome.evaluated % kProgressEvery == 0 && options.progress)
      options.progress(kProgressEvery, top.Items().empty() ? kInfinity : top.Items().front().objective);
    analysis::AnalysisResult result;
    try {
      result = analysis::Analyze(architecture, workload, *mapping, energy);
    } catch (const SpecError&) {
      if (climbing && ++stalled > kStallSteps) current.reset(), stalled = 0;
      continue;  // a tile does not fit its level: an invalid mapping, as in Timeloop's search
    }
    if (options.admissible && !options.admissible(*mapping, result)) {
      if (climbing && ++stalled > kStallSteps) current.reset(), stalled = 0;
      continue;
    }
    ++outcome.valid;
    const Score score{ObjectiveValue(options.objective, result), TieBreakValue(options.objective, result)};
    if (!current || score < current_score || (climbing && score == current_score)) {
      stalled = current && score < current_score ? 0 : stalled + 1;
      current = *mapping;
      current_score = score;
    } else if (climbing && ++stalled > kStallSteps) {
      current.reset();
      stalled = 0;
    }
    if (!top.MayEnter(score)) continue;
    std::string key = CanonicalKey(workload, *mapping);
    top.Offer({std::move(*mapping), std::move(result), score.first, score.second, std::move(key)});
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
  switch (objective) {
    case Objective::kEdp:
      return result.energy_pj * static_cast<double>(result.cycles);
    case Objective::kEnergy:
      return result.energy_pj;
    case Objective::kLatency:
      return static_cast<double>(result.cycles);
  }
  return 0;
}

double TieBreakValue(Objective objective, const analysis::AnalysisResult& result) {
  return objective == Objective::kLatency ? result.energy_pj : static_cast<double>(result.cycles);
}

MapperResult SearchMappings(const spec::Architecture& architecture, const spec::Workload& workload,
                            const spec::EnergyTable* energy, const MapperOptions& options) {
  if (options.threads < 1 || options.top < 1 || options.evaluations < 0)
    throw std::invalid_argument("mapper needs threads >= 1, top >= 1 and evaluations >= 0");
  const bool has_deadline = options.time_limit_seconds > 0;
  if (options.evaluations == 0 && !has_deadline)
    throw std::invalid_argument("mapper needs an evaluation budget or a time limit");
  const MapSpace space(architecture, workload);
  const Clock::time_point start = Clock::now();
  const Clock::time_point deadline = start + std::chrono::duration_cast<Clock::duration>(
                                                 std::chrono::duration<double>(options.time_limit_seconds));

  // The budget is cut into a fixed number of streams, each with its own generator and a fixed share
  // (the first `remainder` take one more), run by threads in turn: the outcome depends on neither the
  // thread count nor the timing. Without a budget, one endless stream per thread until the deadline.
  const int streams = options.evaluations > 0 ? kStreams : options.threads;
  std::vector<ThreadOutcome> outcomes(streams);
  std::vector<std::thread> workers;
  for (int t = 0; t < std::min(options.threads, streams); ++t) {
    workers.emplace_back([&, t] {
      for (int s = t; s < streams; s += options.threads) {
        const int64_t share = options.evaluations / streams + (s < options.evaluations % streams);
        if (options.evaluations > 0 && share == 0) continue;
        outcomes[s] = SearchShare(space, architecture, workload, energy, options, static_cast<uint64_t>(s),
                                  share, deadline, has_deadline);
      }
    });
  }
  for (std::thread& worker : workers) worker.join();

  MapperResult merged;
  TopList top(options.top);
  for (ThreadOutcome& outcome : outcomes) {  // stream order, then Better: no dependence on timing
    merged.evaluated += outcome.evaluated;
    merged.valid += outcome.valid;
    for (MappingCandidate& candidate : outcome.best) top.Offer(std::move(candidate));
  }
  merged.best = std::move(top.Items());
  merged.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return merged;
}

}  // namespace cyclops::mapping
