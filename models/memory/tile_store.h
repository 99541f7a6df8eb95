// The values one instance of a storage level holds for one data space (or one store shared by every
// member of a multicast group, which always holds the same values): the current tile (a box, laid out
// densely, rank-major) and at most one staged next version whose new part has already arrived while the
// current tile is still in use (Timeloop's perfect overlap of fills with compute). Plain C++.
//
// Read-write data (psums) also keep a "fresh" flag per value: a value no level has ever written starts at
// zero without being read from above, which is why Timeloop counts fills = deltas − partition size.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "models/common/cycle.h"
#include "sim/analysis/box_reuse.h"

namespace cyclops::models {

using analysis::DataBox;
using Point = std::array<int64_t, analysis::kMaxRanks>;

// Calls visit(point, index) for every point of `box` in rank-major order (index = 0, 1, ...). A template,
// not a std::function: it runs for every value a tile moves.
template <typename Visit>
void ForEachPoint(const DataBox& box, Visit&& visit) {
  if (box.ranks == 0) return;
  Point point = box.low;
  const int64_t size = box.Size();
  for (int64_t index = 0; index < size; ++index) {
    visit(point, index);
    for (int r = box.ranks - 1; r >= 0; --r) {
      if (++point[r] <= box.high[r]) break;
      point[r] = box.low[r];
    }
  }
}
// Calls visit(point, index, length) for every run of `box` along its last rank, in rank-major order: the
// run's first point, its index in the layout and its length. Runs are contiguous in any rank-major box
// that holds them, so tiles move run by run.
template <typename Visit>
void ForEachRun(const DataBox& box, Visit&& visit) {
  if (box.ranks == 0) return;
  const int last = box.ranks - 1;
  const int64_t length = box.high[last] - box.low[last] + 1;
  const int64_t size = box.Size();
  Point point = box.low;
  for (int64_t index = 0; index < size; index += length) {
    visit(point, index, length);
    for (int r = last - 1; r >= 0; --r) {
      if (++point[r] <= box.high[r]) break;
      point[r] = box.low[r];
    }
  }
}
// Inline: asked per fill and per run of every fill.
inline bool Contains(const DataBox& box, const Point& point) {
  for (int r = 0; r < box.ranks; ++r)
    if (point[r] < box.low[r] || point[r] > box.high[r]) return false;
  return true;
}
// Index of `point` in the rank-major layout of `box`.
inline int64_t OffsetIn(const DataBox& box, const Point& point) {
  int64_t offset = 0;
  for (int r = 0; r < box.ranks; ++r)
    offset = offset * (box.high[r] - box.low[r] + 1) + (point[r] - box.low[r]);
  return offset;
}
// Whether every point of `inner` lies in `outer` (its two corners do: boxes are convex).
inline bool ContainsBox(const DataBox& outer, const DataBox& inner) {
  return Contains(outer, inner.low) && Contains(outer, inner.high);
}

// `region` (inside `layout`) as strided runs of `layout`'s rank-major layout: calls visit(from, step, index,
// length) so that layout offsets from + j·step (j < length) hold the region's values index + j, in the
// region's own rank-major order. Ranks of extent 1 are dropped and ranks contiguous in `layout` merged, so
// a tile's delta of one value per row is one strided run rather than a run per value.
template <typename Visit>
void ForEachGather(const DataBox& region, const DataBox& layout, Visit&& visit) {
  if (region.ranks == 0) return;
  Point extent{}, stride{};
  int kept = 0;
  int64_t layout_stride = 1;
  Point rank_stride{};
  for (int r = region.ranks - 1; r >= 0; --r)
    rank_stride[r] = layout_stride, layout_stride *= layout.high[r] - layout.low[r] + 1;
  for (int r = 0; r < region.ranks; ++r) {
    const int64_t e = region.high[r] - region.low[r] + 1;
    if (e == 1) continue;
    if (kept > 0 && stride[kept - 1] == rank_stride[r] * e) {  // contiguous with the rank outside it
      extent[kept - 1] *= e, stride[kept - 1] = rank_stride[r];
      continue;
    }
    extent[kept] = e, stride[kept] = rank_stride[r], ++kept;
  }
  if (kept == 0) extent[0] = 1, stride[0] = 1, kept = 1;
  const int last = kept - 1;
  const int64_t length = extent[last], step = stride[last];
  const int64_t size = region.Size();
  Point index{};
  int64_t from = OffsetIn(layout, region.low);
  for (int64_t at = 0; at < size; at += length) {
    visit(from, step, at, length);
    for (int r = last - 1; r >= 0; --r) {
      from += stride[r];
      if (++index[r] < extent[r]) break;
      from -= stride[r] * index[r];
      index[r] = 0;
    }
  }
}

// What a new version brings.
struct StagedVersion {
  DataBox box;
  analysis::TileDelta delta;     // relative to the previous version
  std::vector<int64_t> values;   // the delta's values, rank-major over the delta's region
  std::vector<uint8_t> fresh;    // read-write data: per delta value, 1 = never written anywhere yet
  models::Cycle ready = 0;       // when the last value arrived
  int cause = -1;                // what set `ready` (an index into the simulator's stall causes)
  bool departure_taken = false;  // the controller already collected what leaves (no staging overlap)
};

// The values that leave when a tile moves (read-write data only): written back to the level above.
struct Departure {
  DataBox old_box;
  DataBox kept_box;  // points of old_box inside kept_box stay (ignored when `whole`)
  bool whole = true;
  std::vector<int64_t> values;  // over old_box
  std::vector<uint8_t> fresh;   // over old_box
};

class TileStore {
 public:
  explicit TileStore(bool read_write) : read_write_(read_write) {}

  // The outermost level: the whole tensor, present from the start.
  void InitWhole(const DataBox& box, std::vector<int64_t> values, bool all_fresh);

  void Stage(StagedVersion version);
  // Staging in place (a version is a few hundred bytes of boxes around a handful of values): fill every
  // field of the slot StagingSlot() returns (its vectors are spare storage with stale contents), then
  // Stage() makes it the newest staged version. Until then Commit() never sees it.
  StagedVersion& StagingSlot();
  void Stage() { ++staged_count_; }
  const StagedVersion& Next() const { return staged_[staged_head_]; }
  bool HasStaged() const { return staged_count_ > 0; }
  // Makes the staged version current. For read-write data the departing values are kept for the
  // controller to write back (TakeDeparture), unless it already took them.
  void Commit();
  // Commits staged versions until `version` is current: the consumers of a store shared by a multicast
  // group each ask for the version they acquire, and only the first one commits it.
  void CommitThrough(int64_t version) {
    while (version_ < version) Commit();
  }
  int64_t version() const { return version_; }  // -1 before the first commit
  std::optional<Departure> TakeDeparture();
  // The departure TakeDeparture would hand over, left in place (null: none); DropDeparture consumes it
  // (its storage is reused), so a write-back reads the values where they are.
  const Departure* pending_departure() const { return departure_ ? &*departure_ : nullptr; }
  void DropDeparture();
  // Collects the departing values now, before the next version is committed (used when the next
  // version's fill must wait for the write-back).
  Departure Depart(const DataBox& next_box, bool whole);
  // Hands a consumed departure's storage back, so the next versions reuse it instead of allocating.
  void Recycle(Departure&& departure);

  const DataBox& box() const { return box_; }
  bool empty() const { return box_.ranks == 0; }
  std::vector<int64_t>& values() { return values_; }
  std::vector<uint8_t>& fresh() { return fresh_; }
  // When the current version's values had all arrived from above.
  models::Cycle available_at() const { return available_at_; }
  // When the last write-back from below landed here (the values a write-back further up must wait for).
  models::Cycle landed_at() const { return landed_at_; }
  void SetLandedAt(models::Cycle at) { landed_at_ = std::max(landed_at_, at); }
  int ready_cause() const { return ready_cause_; }

 private:
  void StayInPlace(StagedVersion& next, bool departs, bool whole);
  void MoveTo(StagedVersion& next, bool departs, bool whole);
  void Relayout(const StagedVersion& next, const DataBox& old_box, const std::vector<int64_t>& old_values,
                const std::vector<uint8_t>& old_fresh);
  template <typename T>
  static void Recycle(std::vector<std::vector<T>>& pool, std::vector<T>&& spare);
  template <typename T>
  static std::vector<T> Spare(std::vector<std::vector<T>>& pool);

  bool read_write_;
  int64_t version_ = -1;
  // What the PEs check at every step, kept beside version_ (one cache line for all three).
  models::Cycle available_at_ = 0;
  int ready_cause_ = -1;
  DataBox box_;
  std::vector<int64_t> values_;
  std::vector<uint8_t> fresh_;
  // Staged versions, oldest first, in a ring that only grows (a deque would allocate per version).
  std::vector<StagedVersion> staged_;
  size_t staged_head_ = 0;
  size_t staged_count_ = 0;
  std::optional<Departure> departure_;
  models::Cycle landed_at_ = 0;
  // Storage of versions gone by: every version of a tile has the same size, so a few vectors circulate
  // between the staged versions, the current tile and the departures without reallocating.
  std::vector<std::vector<int64_t>> spare_values_;
  std::vector<std::vector<uint8_t>> spare_fresh_;
};

}  // namespace cyclops::models
