#include "sim/top/tile_buffer.h"

#include <stdexcept>

namespace cyclops::top {

void ForEachPoint(const DataBox& box, const std::function<void(const Point&, int64_t)>& visit) {
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

void TileBuffer::Commit() {
  if (staged_.empty()) throw std::logic_error("tile buffer: commit without a staged version");
  StagedVersion next = std::move(staged_.front());
  staged_.pop_front();
  const bool whole = next.delta.kind == analysis::TileDelta::Kind::kWhole || box_.ranks == 0;
  if (read_write_ && box_.ranks != 0 && !next.departure_taken) departure_ = Depart(next.box, whole);
  std::vector<int64_t> values(next.box.Size(), 0);
  std::vector<uint8_t> fresh(read_write_ ? values.size() : 0, 0);
  const DataBox& part = next.delta.kind == analysis::TileDelta::Kind::kPart ? next.delta.part : next.box;
  ForEachPoint(next.box, [&](const Point& point, int64_t index) {
    if (next.delta.kind != analysis::TileDelta::Kind::kNothing && (whole || Contains(part, point))) {
      const int64_t from = OffsetIn(part, point);
      values[index] = next.values[from];
      if (read_write_) fresh[index] = next.fresh[from];
    } else {
      const int64_t from = OffsetIn(box_, point);
      values[index] = values_[from];
      if (read_write_) fresh[index] = fresh_[from];
    }
  });
  box_ = next.box;
  values_ = std::move(values);
  fresh_ = std::move(fresh);
  available_at_ = std::max(available_at_, next.ready);
  ready_cause_ = next.cause;
}

std::optional<Departure> TileBuffer::TakeDeparture() {
  std::optional<Departure> taken = std::move(departure_);
  departure_.reset();
  return taken;
}

}  // namespace cyclops::top
