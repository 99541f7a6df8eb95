#include "sim/analysis/box_reuse.h"

#include <algorithm>

namespace cyclops::analysis {

TileDelta SubtractBoxes(const DataBox& current, const DataBox& previous) {
  TileDelta whole{TileDelta::Kind::kWhole, current, current.Size()};
  int differing = 0, rank = -1;
  for (int r = 0; r < current.ranks; ++r) {
    if (previous.high[r] < current.low[r] || previous.low[r] > current.high[r]) return whole;
    if (previous.low[r] != current.low[r] || previous.high[r] != current.high[r]) {
      ++differing;
      rank = r;
    }
  }
  if (differing == 0) return {TileDelta::Kind::kNothing, current, 0};
  if (differing > 1) return whole;
  // One rank differs: the new part is the stretch of `current` outside `previous` along it, which is a
  // box only when `previous` does not cover both ends.
  DataBox part = current;
  if (current.low[rank] < previous.low[rank] && current.high[rank] > previous.high[rank]) return whole;
  if (current.low[rank] < previous.low[rank]) {
    part.high[rank] = previous.low[rank] - 1;
  } else if (current.high[rank] > previous.high[rank]) {
    part.low[rank] = previous.high[rank] + 1;
  } else {
    return {TileDelta::Kind::kNothing, current, 0};  // current lies inside previous
  }
  return {TileDelta::Kind::kPart, part, part.Size()};
}

TileDelta TileReuse::Next(const DataBox& tile) {
  std::array<int64_t, kMaxRanks> translation{};
  for (int r = 0; r < tile.ranks; ++r) translation[r] = tile.low[r] - previous_.low[r];
  TileDelta delta;
  if (!has_previous_) {
    delta = {TileDelta::Kind::kWhole, tile, tile.Size()};
  } else if (!has_translation_) {
    delta = SubtractBoxes(tile, previous_);
    has_translation_ = true;
    translation_ = translation;
  } else if (translation == translation_) {
    delta = SubtractBoxes(tile, previous_);
  } else {
    delta = {TileDelta::Kind::kWhole, tile, tile.Size()};  // the stride changed: discard the residual tile
    has_translation_ = false;
  }
  previous_ = tile;
  has_previous_ = true;
  return delta;
}

}  // namespace cyclops::analysis
