#include "sim/top/tile_buffer.h"

#include <stdexcept>

namespace cyclops::top {

bool Contains(const DataBox& box, const Point& point) {
  for (int r = 0; r < box.ranks; ++r)
    if (point[r] < box.low[r] || point[r] > box.high[r]) return false;
  return true;
}

int64_t OffsetIn(const DataBox& box, const Point& point) {
  int64_t offset = 0;
  for (int r = 0; r < box.ranks; ++r) offset = offset * (box.high[r] - box.low[r] + 1) + (point[r] - box.low[r]);
  return offset;
}

void TileBuffer::InitWhole(const DataBox& box, std::vector<int64_t> values, bool all_fresh) {
  box_ = box;
  values_ = std::move(values);
  fresh_.assign(read_write_ ? values_.size() : 0, all_fresh ? 1 : 0);
}

Departure TileBuffer::Depart(const DataBox& next_box, bool whole) const {
  return Departure{box_, next_box, whole, values_, fresh_};
}

namespace {

// Per rank r and coordinate index i of `target`: the offset contribution of that coordinate in `source`'s
// rank-major layout, or -1 when outside `source`. A point's offset in `source` is then the sum over ranks,
// which lets a relayout walk the target with additions only.
std::vector<std::vector<int64_t>> Contributions(const DataBox& target, const DataBox& source) {
  std::vector<std::vector<int64_t>> table(target.ranks);
  int64_t stride = 1;
  for (int r = target.ranks - 1; r >= 0; --r) {
    for (int64_t x = target.low[r]; x <= target.high[r]; ++x)
      table[r].push_back(source.ranks && x >= source.low[r] && x <= source.high[r] ? (x - source.low[r]) * stride : -1);
    if (source.ranks) stride *= source.high[r] - source.low[r] + 1;
  }
  return table;
}

}  // namespace

void TileBuffer::Commit() {
  if (staged_.empty()) throw std::logic_error("tile buffer: commit without a staged version");
  StagedVersion next = std::move(staged_.front());
  staged_.pop_front();
  const bool whole = next.delta.kind == analysis::TileDelta::Kind::kWhole || box_.ranks == 0;
  if (read_write_ && box_.ranks != 0 && !next.departure_taken) departure_ = Depart(next.box, whole);
  available_at_ = std::max(available_at_, next.ready);
  ready_cause_ = next.cause;
  if (next.delta.kind == analysis::TileDelta::Kind::kNothing) return;  // the tile stayed where it was
  if (whole) {  // every value is new: the staged values are the tile, already in its layout
    box_ = next.box;
    values_ = std::move(next.values);
    fresh_ = std::move(next.fresh);
    return;
  }
  // A shifted tile: each value comes from the new part if it is there, else from the old tile.
  const DataBox& part = next.delta.part;
  const auto from_old = Contributions(next.box, box_);
  const auto from_part = Contributions(next.box, part);
  std::vector<int64_t> values(next.box.Size(), 0);
  std::vector<uint8_t> fresh(read_write_ ? values.size() : 0, 0);
  const int ranks = next.box.ranks;
  std::vector<int64_t> index(ranks, 0);
  const int64_t inner = next.box.high[ranks - 1] - next.box.low[ranks - 1] + 1;
  for (int64_t out = 0; out < static_cast<int64_t>(values.size());) {
    int64_t old_base = 0, part_base = 0;
    bool old_valid = true, part_valid = true;
    for (int r = 0; r + 1 < ranks; ++r) {
      const int64_t o = from_old[r][index[r]], q = from_part[r][index[r]];
      old_valid = old_valid && o >= 0, part_valid = part_valid && q >= 0;
      old_base += o, part_base += q;
    }
    for (int64_t i = 0; i < inner; ++i, ++out) {
      const int64_t q = from_part[ranks - 1][i];
      if (part_valid && q >= 0) {
        values[out] = next.values[part_base + q];
        if (read_write_) fresh[out] = next.fresh[part_base + q];
      } else {
        const int64_t o = old_base + from_old[ranks - 1][i];
        values[out] = values_[o];
        if (read_write_) fresh[out] = fresh_[o];
      }
    }
    (void)old_valid;
    for (int r = ranks - 2; r >= 0; --r) {
      if (++index[r] < static_cast<int64_t>(from_old[r].size())) break;
      index[r] = 0;
    }
  }
  box_ = next.box;
  values_ = std::move(values);
  fresh_ = std::move(fresh);
}

std::optional<Departure> TileBuffer::TakeDeparture() {
  std::optional<Departure> taken = std::move(departure_);
  departure_.reset();
  return taken;
}

}  // namespace cyclops::top
