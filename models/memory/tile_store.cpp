#include "models/memory/tile_store.h"

#include <algorithm>
#include <stdexcept>

namespace cyclops::models {

void TileStore::InitWhole(const DataBox& box, std::vector<int64_t> values, bool all_fresh) {
  box_ = box;
  version_ = 0;
  values_ = std::move(values);
  fresh_.assign(read_write_ ? values_.size() : 0, all_fresh ? 1 : 0);
}

Departure TileStore::Depart(const DataBox& next_box, bool whole) {
  Departure departure{box_, next_box, whole, Spare(spare_values_), Spare(spare_fresh_)};
  departure.values.assign(values_.begin(), values_.end());
  departure.fresh.assign(fresh_.begin(), fresh_.end());
  return departure;
}

// Spare storage keeps its stale values: every user overwrites all of it, and a resize to the same size
// (the usual case: a level's versions are all alike) then costs nothing instead of zeroing the values.
template <typename T>
void TileStore::Recycle(std::vector<std::vector<T>>& pool, std::vector<T>&& spare) {
  if (spare.capacity() == 0) return;
  pool.push_back(std::move(spare));
}

template <typename T>
std::vector<T> TileStore::Spare(std::vector<std::vector<T>>& pool) {
  if (pool.empty()) return {};
  std::vector<T> spare = std::move(pool.back());
  pool.pop_back();
  return spare;
}

void TileStore::Recycle(Departure&& departure) {
  Recycle(spare_values_, std::move(departure.values));
  Recycle(spare_fresh_, std::move(departure.fresh));
}

StagedVersion& TileStore::StagingSlot() {
  if (staged_count_ == staged_.size()) {
    std::vector<StagedVersion> grown(std::max<size_t>(2, 2 * staged_.size()));
    for (size_t i = 0; i < staged_count_; ++i)
      grown[i] = std::move(staged_[(staged_head_ + i) % staged_.size()]);
    staged_ = std::move(grown);
    staged_head_ = 0;
  }
  StagedVersion& slot = staged_[(staged_head_ + staged_count_) % staged_.size()];
  if (slot.values.capacity() == 0) slot.values = Spare(spare_values_);
  if (slot.fresh.capacity() == 0) slot.fresh = Spare(spare_fresh_);
  return slot;
}

void TileStore::Stage(StagedVersion version) {
  StagedVersion& slot = StagingSlot();
  Recycle(spare_values_, std::move(slot.values));
  Recycle(spare_fresh_, std::move(slot.fresh));
  slot = std::move(version);
  Stage();
}

void TileStore::Commit() {
  if (staged_count_ == 0) throw std::logic_error("tile buffer: commit without a staged version");
  // Used in place: only StagingSlot() writes slots, and never this one while it counts as staged.
  StagedVersion& next = staged_[staged_head_];
  ++version_;
  staged_head_ = (staged_head_ + 1) % staged_.size();
  --staged_count_;
  const bool whole = next.delta.kind == analysis::TileDelta::Kind::kWhole || box_.ranks == 0;
  const bool departs = read_write_ && box_.ranks != 0 && !next.departure_taken;
  available_at_ = std::max(available_at_, next.ready);
  ready_cause_ = next.cause;
  if (departs && departure_) Recycle(std::move(*departure_));  // never taken: superseded
  if (next.delta.kind == analysis::TileDelta::Kind::kNothing)
    StayInPlace(next, departs, whole);
  else
    MoveTo(next, departs, whole);
}

// The tile stayed where it was: its values stay; what departs is a copy of them.
void TileStore::StayInPlace(StagedVersion& next, bool departs, bool whole) {
  if (departs) departure_ = Depart(next.box, whole);
  Recycle(spare_values_, std::move(next.values));
  Recycle(spare_fresh_, std::move(next.fresh));
}

// The tile moved to next.box: the staged values are the new tile (whole) or its new part (relaid out with
// the old tile's values that stay). The old tile's storage leaves with the departure or is reused: the new
// tile never aliases it.
void TileStore::MoveTo(StagedVersion& next, bool departs, bool whole) {
  std::vector<int64_t> old_values = std::move(values_);
  std::vector<uint8_t> old_fresh = std::move(fresh_);
  const DataBox old_box = box_;
  if (whole) {  // every value is new: the staged values are the tile, already in its layout
    values_ = std::move(next.values);
    fresh_ = std::move(next.fresh);
  } else {
    values_ = Spare(spare_values_);
    fresh_ = Spare(spare_fresh_);
    Relayout(next, old_box, old_values, old_fresh);
    Recycle(spare_values_, std::move(next.values));
    Recycle(spare_fresh_, std::move(next.fresh));
  }
  box_ = next.box;
  if (departs) {
    departure_ = Departure{old_box, next.box, whole, std::move(old_values), std::move(old_fresh)};
  } else {
    Recycle(spare_values_, std::move(old_values));
    Recycle(spare_fresh_, std::move(old_fresh));
  }
}

// A shifted tile: each value comes from the new part if it is there, else from the old tile. Along a row
// the new part is one contiguous run, so each row is at most three block copies.
void TileStore::Relayout(const StagedVersion& next, const DataBox& old_box,
                         const std::vector<int64_t>& old_values, const std::vector<uint8_t>& old_fresh) {
  const DataBox& to = next.box;
  const DataBox& part = next.delta.part;
  const int ranks = to.ranks;
  const int last = ranks - 1;
  const bool has_part = part.ranks != 0;
  Point old_stride{}, part_stride{};
  old_stride[last] = part_stride[last] = 1;
  for (int r = last - 1; r >= 0; --r) {
    old_stride[r] = old_stride[r + 1] * (old_box.high[r + 1] - old_box.low[r + 1] + 1);
    if (has_part) part_stride[r] = part_stride[r + 1] * (part.high[r + 1] - part.low[r + 1] + 1);
  }
  values_.resize(to.Size());
  fresh_.resize(read_write_ ? values_.size() : 0);
  // Inner ranks that the old tile, the new tile and the part all span alike lie contiguously in all three
  // layouts: they fold into rank k, so a run covers them all (rows of one value would cost a copy each).
  auto alike = [&](int r) {
    return to.low[r] == old_box.low[r] && to.high[r] == old_box.high[r] &&
           (!has_part || (part.low[r] == to.low[r] && part.high[r] == to.high[r]));
  };
  int k = last;
  while (k > 0 && alike(k)) --k;
  const int64_t tail = old_stride[k];  // values per unit of rank k (the folded ranks' size)
  const int64_t inner = (to.high[k] - to.low[k] + 1) * tail;
  // The run of rank k inside the part, as indices [p0, p1) of a row.
  const int64_t p0 = has_part ? std::clamp<int64_t>((part.low[k] - to.low[k]) * tail, 0, inner) : 0;
  const int64_t p1 = has_part ? std::clamp<int64_t>((part.high[k] - to.low[k] + 1) * tail, p0, inner) : 0;
  const int64_t old_shift = (to.low[k] - old_box.low[k]) * tail;
  const int64_t part_shift = (to.low[k] - (has_part ? part.low[k] : 0)) * tail;
  Point index{};
  const int64_t size = static_cast<int64_t>(values_.size());
  auto copy = [&](int64_t out, int64_t from, int64_t count, const auto& source, auto& target) {
    std::copy(source.begin() + from, source.begin() + from + count, target.begin() + out);
  };
  for (int64_t out = 0; out < size; out += inner) {
    int64_t old_base = old_shift, part_base = part_shift;
    bool part_valid = has_part;
    for (int r = 0; r < k; ++r) {
      const int64_t x = to.low[r] + index[r];
      old_base += (x - old_box.low[r]) * old_stride[r];
      if (has_part) {
        part_valid = part_valid && x >= part.low[r] && x <= part.high[r];
        part_base += (x - part.low[r]) * part_stride[r];
      }
    }
    const int64_t a = part_valid ? p0 : inner, b = part_valid ? p1 : inner;
    copy(out, old_base, a, old_values, values_);
    copy(out + a, part_base + a, b - a, next.values, values_);
    copy(out + b, old_base + b, inner - b, old_values, values_);
    if (read_write_) {
      copy(out, old_base, a, old_fresh, fresh_);
      copy(out + a, part_base + a, b - a, next.fresh, fresh_);
      copy(out + b, old_base + b, inner - b, old_fresh, fresh_);
    }
    for (int r = k - 1; r >= 0; --r) {
      if (++index[r] < to.high[r] - to.low[r] + 1) break;
      index[r] = 0;
    }
  }
}

void TileStore::DropDeparture() {
  if (!departure_) return;
  Recycle(std::move(*departure_));
  departure_.reset();
}

std::optional<Departure> TileStore::TakeDeparture() {
  std::optional<Departure> taken = std::move(departure_);
  departure_.reset();
  return taken;
}

}  // namespace cyclops::models
