// Tile reuse between consecutive tiles of one storage level, the way Timeloop's nest analysis (before its
// 2025 "Translation fix") decides what must be refilled, with the boxes themselves (the analytical model
// needs only sizes; the simulator moves the values):
//   - The part of the new tile not in the previous one is refilled, but only while the tile keeps moving
//     by the same translation. When the translation changes (an inner loop that leaves the tile in place,
//     then an outer loop that moves it), the whole tile is refilled and the translation is forgotten.
//   - A box difference that is not itself a box (the tile moved along two ranks) counts as the whole tile.
#pragma once

#include <array>
#include <cstdint>

#include "sim/analysis/loop_nest.h"

namespace cyclops::analysis {

// What a new tile needs from the level above.
struct TileDelta {
  enum class Kind { kNothing, kPart, kWhole };
  Kind kind = Kind::kWhole;
  DataBox part;      // for kPart: the box to fetch
  int64_t size = 0;  // values to fetch
};

// current \ previous as Timeloop subtracts boxes: a box when the tiles differ along one rank only.
TileDelta SubtractBoxes(const DataBox& current, const DataBox& previous);

// The reuse state of one tile instance; Next() is called for every iteration of the loops above it.
class TileReuse {
 public:
  TileDelta Next(const DataBox& tile);
  // The tile stays where it is for one more iteration (a loop that does not index this data space).
  void Stay() { Next(previous_); }
  const DataBox& previous() const { return previous_; }

 private:
  bool has_previous_ = false;
  bool has_translation_ = false;
  DataBox previous_;
  std::array<int64_t, kMaxRanks> translation_{};
};

}  // namespace cyclops::analysis
