#include "sim/analysis/imperfect_tiles.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <tuple>

#include "sim/analysis/box_reuse.h"

namespace cyclops::analysis {

namespace {

using Mask = uint64_t;  // one bit per problem dimension: that dimension's outer loops all stand at their last
// An instance's class at one spatial loop of an imperfect dimension: its digit below the residual's last
// digit (it never runs short), at it, or past it (idle while the dimension's outer loops are at their last).
enum Class : int8_t { kAny = 0, kBelow = 1, kEqual = 2, kAbove = 3 };
using Classes = std::vector<int8_t>;  // per loop position

Mask Bit(int d) {
  return Mask{1} << d;
}

// What every walk needs of the nest: per loop whether an imperfect loop of its dimension sits at or inside it
// ("live": being at the last digits still matters there), the dimensions with imperfect loops, the bounds.
struct NestFacts {
  const LoopNest& nest;
  std::vector<char> live;
  Mask imperfect = 0;
  std::vector<int64_t> bounds;

  explicit NestFacts(const LoopNest& n) : nest(n), bounds(n.workload().bounds) {
    const std::vector<Loop>& loops = nest.loops();
    live.assign(loops.size(), 0);
    std::vector<char> seen(bounds.size(), 0);
    for (size_t p = 0; p < loops.size(); ++p) {  // innermost first
      const Loop& loop = loops[p];
      if (loop.residual != loop.factor) seen[loop.dimension] = 1, imperfect |= Bit(loop.dimension);
      live[p] = seen[loop.dimension];
    }
  }
  int size() const { return static_cast<int>(live.size()); }
  const Loop& loop(int p) const { return nest.loops()[p]; }
  bool Tight(Mask tight, int p) const { return (tight & Bit(loop(p).dimension)) && live[p]; }
};

// Temporal iterations of the loops at positions [first, end) an instance of the given classes is busy in.
class AliveCounter {
 public:
  AliveCounter(const NestFacts& facts, const Classes& classes, int first)
      : facts_(facts), classes_(classes), first_(first) {}
  int64_t Count() { return Count(facts_.size() - 1, facts_.imperfect); }

 private:
  int64_t Count(int p, Mask tight) {
    if (p < first_) return 1;
    auto key = std::make_pair(p, tight);
    auto it = memo_.find(key);
    if (it != memo_.end()) return it->second;
    const Loop& loop = facts_.loop(p);
    const Mask bit = Bit(loop.dimension);
    int64_t count = 0;
    if (!facts_.Tight(tight, p)) {
      count = (loop.spatial ? 1 : loop.factor) * Count(p - 1, tight);
    } else if (loop.spatial) {
      const int8_t c = classes_[p];
      count = c == kAbove ? 0 : Count(p - 1, c == kBelow ? tight & ~bit : tight);
    } else {
      count = (loop.residual - 1) * Count(p - 1, tight & ~bit) + Count(p - 1, tight);
    }
    return memo_[key] = count;
  }

  const NestFacts& facts_;
  const Classes& classes_;
  int first_;
  std::map<std::pair<int, Mask>, int64_t> memo_;
};

// Coordinates along dimension d an instance covers over the run: its classes fix the spatial digits above
// `boundary`, every other digit of d is free (mixed radix: distinct digits are distinct coordinates).
int64_t Coverage(const NestFacts& facts, const Classes& classes, int boundary, int d) {
  std::vector<int> positions;  // d's loops, outermost first
  for (int p = facts.size() - 1; p >= 0; --p)
    if (facts.loop(p).dimension == d) positions.push_back(p);
  // count[tight]: coordinates of the loops from here inwards
  int64_t loose = 1, tight = 1;
  for (size_t i = positions.size(); i-- > 0;) {
    const int p = positions[i];
    const Loop& loop = facts.loop(p);
    const bool fixed = loop.spatial && p >= boundary;
    const bool live = facts.live[p];
    int64_t next_loose = fixed ? loose : loop.factor * loose;
    int64_t next_tight;
    if (!live) {
      next_tight = next_loose;
    } else if (fixed) {
      const int8_t c = classes[p];
      next_tight = c == kAbove ? 0 : c == kBelow ? loose : tight;
    } else {
      next_tight = (loop.residual - 1) * loose + tight;
    }
    loose = next_loose, tight = next_tight;
  }
  return (facts.imperfect & Bit(d)) ? tight : loose;
}

// The walk of one instance's tiles at one level, for one data space: tile_analysis.cpp's folded walk with
// per-dimension "at the last digits" flags, which clip the tile and stop loops at their residuals.
class ImperfectWalk {
 public:
  ImperfectWalk(const NestFacts& facts, int level, int data_space, const Classes& classes, bool exact)
      : facts_(facts), data_space_(data_space), classes_(classes), exact_(exact) {
    const LoopNest& nest = facts.nest;
    const int dims = static_cast<int>(facts.bounds.size());
    for (int p = facts.size() - 1; p >= nest.EndLoop(level); --p) events_.push_back(p);
    full_.assign(dims, 1);
    short_.assign(dims, 1);
    for (int d = 0; d < dims; ++d) full_[d] = std::min(nest.TileExtent(level)[d], facts.bounds[d]);
    for (int p = 0; p < nest.EndLoop(level); ++p) {
      const Loop& loop = facts.loop(p);
      short_[loop.dimension] += (loop.residual - 1) * loop.stride;
      if (loop.residual != loop.factor) clip_dims_ |= Bit(loop.dimension);
    }
    memo_.resize(events_.size());
  }

  int64_t Total() {
    bool dead = false;
    const Mask first = FirstState(0, facts_.imperfect, dead);
    if (dead) return 0;
    ReuseMemory memory;
    const std::vector<int64_t> origin(full_.size(), 0);
    const int64_t placed = Place(memory, origin, 0, origin, first & clip_dims_);
    return placed + Rest(0, facts_.imperfect, memory).sum;
  }

 private:
  struct Result {
    int64_t sum = 0;
    ReuseMemory memory;
    std::vector<int64_t> offset;  // of the last tile, from the subtree's first one (problem space)
    Mask clip = 0;                // the dimensions that tile is cut short along
  };
  struct Entry {
    Mask tight;
    ReuseMemory memory;
    Result result;
  };

  // The state after events [k, end) at digit 0 each: the subtree's first tile (and whether it is idle).
  Mask FirstState(size_t k, Mask tight, bool& dead) const {
    dead = false;
    for (; k < events_.size(); ++k) {
      const int p = events_[k];
      if (!facts_.Tight(tight, p)) continue;
      const Loop& loop = facts_.loop(p);
      const Mask bit = Bit(loop.dimension);
      if (!loop.spatial) {
        if (loop.residual > 1) tight &= ~bit;  // digit 0 is not its last
      } else if (classes_[p] == kBelow) {
        tight &= ~bit;
      } else if (classes_[p] == kAbove) {
        dead = true;
        return tight;
      }
    }
    return tight;
  }

  int64_t Place(ReuseMemory& memory, const std::vector<int64_t>& previous_offset, Mask previous_clip,
                const std::vector<int64_t>& offset, Mask clip) const {
    return NextTile(memory, Box(offset, clip), Box(previous_offset, previous_clip)).size;
  }
  DataBox Box(const std::vector<int64_t>& offset, Mask clip) const {
    std::vector<int64_t> extent = full_;
    for (size_t d = 0; d < extent.size(); ++d)
      if (clip & Bit(static_cast<int>(d))) extent[d] = short_[d];
    return facts_.nest.Project(data_space_, offset, extent);
  }

  // The subtree of events [k, end) after its first tile, which left `memory`.
  Result Rest(size_t k, Mask tight, const ReuseMemory& memory) {
    if (k == events_.size()) return {0, memory, std::vector<int64_t>(full_.size(), 0), tight & clip_dims_};
    for (const Entry& entry : memo_[k])
      if (entry.tight == tight && entry.memory == memory) return entry.result;
    const int p = events_[k];
    const Loop& loop = facts_.loop(p);
    const Mask bit = Bit(loop.dimension);
    const bool at_last = facts_.Tight(tight, p);
    Result result;
    if (loop.spatial) {
      result = Rest(k + 1, at_last && classes_[p] == kBelow ? tight & ~bit : tight, memory);
    } else {
      result = TemporalLoop(k, loop, at_last ? tight & ~bit : tight,
                            at_last ? loop.residual - 1 : loop.factor, at_last, tight, memory);
    }
    memo_[k].push_back({tight, memory, result});
    return result;
  }

  // A temporal loop: `uniform` iterations in state `uniform_state` (iteration 1 standing for the rest, as in
  // Timeloop), then, when `special`, its last iteration in `last_state` (the dimension still at its last).
  Result TemporalLoop(size_t k, const Loop& loop, Mask uniform_state, int64_t uniform, bool special,
                      Mask last_state, const ReuseMemory& memory) {
    const size_t dims = full_.size();
    auto step = [&](int64_t iterations) {
      std::vector<int64_t> offset(dims, 0);
      offset[loop.dimension] = iterations * loop.stride;
      return offset;
    };
    auto plus = [](std::vector<int64_t> a, const std::vector<int64_t>& b) {
      for (size_t d = 0; d < a.size(); ++d) a[d] += b[d];
      return a;
    };
    bool dead = false;
    const Result first = Rest(k + 1, uniform >= 1 ? uniform_state : last_state, memory);
    Result exit = first;  // what the caller sees next (Timeloop's sampled last tile)
    std::vector<int64_t> true_last = first.offset;  // where the uniform block really ends
    int64_t sum = first.sum;
    if (uniform >= 2 && exact_) {  // every iteration, each tile following the true previous one
      const Mask clip = FirstState(k + 1, uniform_state, dead) & clip_dims_;
      for (int64_t i = 1; i < uniform; ++i) {
        ReuseMemory next = exit.memory;
        const int64_t placed = Place(next, true_last, exit.clip, step(i), clip);
        const Result tile = Rest(k + 1, uniform_state, next);
        sum += placed + tile.sum;
        true_last = plus(step(i), tile.offset);
        exit = {0, tile.memory, true_last, tile.clip};
      }
    } else if (uniform >= 2) {
      ReuseMemory next = first.memory;
      const Mask clip = FirstState(k + 1, uniform_state, dead) & clip_dims_;
      const int64_t placed = Place(next, first.offset, first.clip, step(1), clip);
      const Result second = Rest(k + 1, uniform_state, next);
      sum += (uniform - 1) * (placed + second.sum);
      exit = {0, second.memory, plus(step(1), second.offset), second.clip};
      true_last = plus(step(uniform - 1), second.offset);
    }
    if (special && uniform >= 1) {
      const Mask first_state = FirstState(k + 1, last_state, dead);
      if (dead) {
        exit.offset = true_last;  // idle in its last iteration: its last tile is the uniform block's
      } else {
        ReuseMemory next = exit.memory;
        const int64_t placed = Place(next, true_last, exit.clip, step(uniform), first_state & clip_dims_);
        const Result last = Rest(k + 1, last_state, next);
        sum += placed + last.sum;
        exit = {0, last.memory, plus(step(uniform), last.offset), last.clip};
      }
    }
    exit.sum = sum;
    return exit;
  }

  const NestFacts& facts_;
  int data_space_;
  const Classes& classes_;
  bool exact_ = false;
  std::vector<int> events_;            // loop positions above the level, outermost first
  std::vector<int64_t> full_, short_;  // per dimension: the tile's extent, and when cut short
  Mask clip_dims_ = 0;                 // dimensions with an imperfect loop inside the tile
  std::vector<std::vector<Entry>> memo_;
};

// The instance classes of the spatial loops at positions >= boundary, with how many instances each has.
void EnumerateClasses(const NestFacts& facts, int boundary, Classes& classes, int64_t weight, int p,
                      const std::function<void(const Classes&, int64_t)>& visit) {
  for (; p >= boundary; --p)
    if (facts.loop(p).spatial && facts.live[p]) break;
  if (p < boundary) {
    visit(classes, weight);
    return;
  }
  const Loop& loop = facts.loop(p);
  const int64_t last = loop.residual - 1;
  const std::pair<int8_t, int64_t> options[] = {
      {kBelow, last}, {kEqual, 1}, {kAbove, loop.factor - 1 - last}};
  for (const auto& [c, count] : options) {
    if (count <= 0) continue;
    classes[p] = c;
    EnumerateClasses(facts, boundary, classes, weight * count, p - 1, visit);
  }
  classes[p] = kAny;
}

// Multicast groups among the children of one instance of `level`'s fan-out, for data space d: children
// with equal data offsets share one group, which acts as its most active member. Per group class (the
// classes of the level's spatial loops), how many groups.
std::map<Classes, int64_t> GroupClasses(const NestFacts& facts, int level, int d) {
  const LoopNest& nest = facts.nest;
  std::vector<int> spatial;
  for (int p = nest.FirstLoop(level); p < nest.EndLoop(level); ++p)
    if (facts.loop(p).spatial) spatial.push_back(p);
  std::map<std::array<int64_t, kMaxRanks>, Classes> groups;  // offset → the group's class
  std::vector<int64_t> digits(spatial.size(), 0);
  const int ranks = static_cast<int>(nest.workload().data_spaces[d].projection.size());
  while (true) {
    std::array<int64_t, kMaxRanks> offset{};
    Classes classes(facts.size(), kAny);
    for (size_t i = 0; i < spatial.size(); ++i) {
      const Loop& loop = facts.loop(spatial[i]);
      for (int r = 0; r < ranks; ++r)
        offset[r] += digits[i] * loop.stride * nest.UnitShift(d, loop.dimension)[r];
      if (facts.live[spatial[i]]) {
        const int64_t last = loop.residual - 1;
        classes[spatial[i]] = digits[i] < last ? kBelow : digits[i] == last ? kEqual : kAbove;
      }
    }
    auto [it, added] = groups.emplace(offset, classes);
    if (!added)
      for (int p : spatial)
        if (classes[p] != kAny)
          it->second[p] = std::min(it->second[p], classes[p]);  // below beats equal beats above
    size_t i = 0;
    for (; i < spatial.size(); ++i) {
      if (++digits[i] < facts.loop(spatial[i]).factor) break;
      digits[i] = 0;
    }
    if (i == spatial.size()) break;
  }
  std::map<Classes, int64_t> counts;
  for (const auto& [offset, classes] : groups) ++counts[classes];
  return counts;
}

// Merges the classes set in `part` (non-kAny) into `into`.
Classes Merged(Classes into, const Classes& part) {
  for (size_t p = 0; p < part.size(); ++p)
    if (part[p] != kAny) into[p] = part[p];
  return into;
}

}  // namespace

ImperfectCounts CountImperfectAccesses(const spec::Architecture& architecture, const spec::Mapping& mapping,
                                       const LoopNest& nest, bool exact_walk) {
  const NestFacts facts(nest);
  const spec::Workload& workload = nest.workload();
  const int levels = nest.levels();
  const int data_spaces = static_cast<int>(workload.data_spaces.size());
  ImperfectCounts counts;
  counts.accesses.assign(levels, std::vector<DataSpaceAccesses>(data_spaces));
  const std::vector<int64_t> origin(workload.dimensions.size(), 0);
  auto boundary = [&](int level) { return level < 0 ? 0 : nest.EndLoop(level); };

  // The instance classes of a level (-1: the MACs) and how many instances each has: a class fixes the live
  // spatial loops' digits to below / at / past their last; the other spatial factors multiply every class.
  auto classes_of = [&](int level, const std::function<void(const Classes&, int64_t)>& visit) {
    int64_t live_product = 1;
    for (int p = boundary(level); p < facts.size(); ++p)
      if (facts.loop(p).spatial && facts.live[p]) live_product *= facts.loop(p).factor;
    Classes classes(facts.size(), kAny);
    EnumerateClasses(facts, boundary(level), classes, nest.UtilizedInstances(level) / live_product,
                     facts.size() - 1, visit);
  };
  // Instances ever busy, per level; the MACs' busiest count of iterations.
  auto used = [&](int level) {
    int64_t instances = 0;
    classes_of(level, [&](const Classes& c, int64_t count) {
      const int64_t alive = AliveCounter(facts, c, boundary(level)).Count();
      if (alive > 0) instances += count;
      if (level < 0) counts.cycles = std::max(counts.cycles, alive);
    });
    return instances;
  };
  counts.mac_instances = used(-1);
  counts.used_instances.resize(levels);
  for (int level = 0; level < levels; ++level) counts.used_instances[level] = used(level);

  // Per (level, data space, classes): the walk's total deltas of one instance (cached).
  std::map<std::tuple<int, int, Classes>, int64_t> walks;
  auto walk = [&](int level, int d, const Classes& classes) {
    if (level < 0) return AliveCounter(facts, classes, 0).Count();  // a MAC reads its operand every iteration
    auto key = std::make_tuple(level, d, classes);
    auto it = walks.find(key);
    if (it != walks.end()) return it->second;
    return walks[key] = ImperfectWalk(facts, level, d, classes, exact_walk).Total();
  };

  for (int d = 0; d < data_spaces; ++d) {
    const bool read_write = workload.data_spaces[d].read_write;
    std::vector<int> keepers;
    for (int level = 0; level < levels; ++level)
      if (mapping.levels[level].keep[d] && !architecture.storage[level].is_dummy) keepers.push_back(level);
    for (size_t k = 0; k < keepers.size(); ++k) {
      const int level = keepers[k], child = k == 0 ? -1 : keepers[k - 1];
      const bool outermost = k + 1 == keepers.size();
      DataSpaceAccesses& a = counts.accesses[level][d];
      a.kept = true;
      a.utilized_instances = counts.used_instances[level];
      a.utilized_clusters = a.utilized_instances;
      std::vector<int64_t> tile(workload.dimensions.size());
      for (size_t dim = 0; dim < tile.size(); ++dim)
        tile[dim] = std::min(nest.TileExtent(level)[dim], facts.bounds[dim]);
      a.utilized_capacity = nest.Project(d, origin, tile).Size();
      // What arrives from below: per group of children with equal data at every fan-out in between.
      std::vector<std::map<Classes, int64_t>> fanouts;
      for (int f = child + 1; f <= level; ++f)
        if (f >= 0 && nest.SpatialFanout(f) > 1) fanouts.push_back(GroupClasses(facts, f, d));
      int64_t content = 0, own = 0, partition = 0;
      classes_of(level, [&](const Classes& mine, int64_t weight) {
        std::function<void(size_t, Classes, int64_t)> over = [&](size_t i, Classes classes, int64_t n) {
          if (i == fanouts.size()) {
            content += n * walk(child, d, classes);
            return;
          }
          for (const auto& [group, count] : fanouts[i]) over(i + 1, Merged(classes, group), n * count);
        };
        over(0, mine, weight);
        if (!outermost) own += weight * walk(level, d, mine);
        std::vector<int64_t> covered(workload.dimensions.size());
        for (size_t dim = 0; dim < covered.size(); ++dim)
          covered[dim] = Coverage(facts, mine, boundary(level), static_cast<int>(dim));
        if (std::all_of(covered.begin(), covered.end(), [](int64_t c) { return c > 0; }))
          partition += weight * nest.Project(d, origin, covered).Size();
      });
      const int64_t n = std::max<int64_t>(1, a.utilized_instances);
      auto average = [n](int64_t total) {
        return static_cast<int64_t>(std::llround(double(total) / double(n)));
      };
      if (read_write) {
        a.updates_total = content;
        a.reads_total = content - partition;
        a.fills_total = outermost ? 0 : own - partition;
      } else {
        a.reads_total = content;
        a.fills_total = own;
      }
      a.reads = average(a.reads_total);
      a.fills = average(a.fills_total);
      a.updates = average(a.updates_total);
      a.partition_size = average(partition);
      a.temporal_reductions = read_write ? a.reads : 0;
      a.address_generations = read_write ? a.updates + a.fills : a.reads + a.fills;
    }
  }
  return counts;
}

}  // namespace cyclops::analysis
