#include "sim/analysis/box_reuse.h"

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

TileDelta NextTile(ReuseMemory& memory, const DataBox& tile, const DataBox& previous) {
  if (!memory.has_previous) {
    memory.has_previous = true;
    return {TileDelta::Kind::kWhole, tile, tile.Size()};
  }
  Translation translation{};
  for (int r = 0; r < tile.ranks; ++r) translation[r] = tile.low[r] - previous.low[r];
  if (!memory.has_translation) {
    memory.has_translation = true;
    memory.translation = translation;
  } else if (translation != memory.translation) {
    memory.has_translation = false;  // the stride changed: discard the residual tile
    memory.translation = {};
    return {TileDelta::Kind::kWhole, tile, tile.Size()};
  }
  return SubtractBoxes(tile, previous);
}

}  // namespace cyclops::analysis
