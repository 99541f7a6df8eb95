// Tile reuse between consecutive tiles of one storage level, the way Timeloop's nest analysis (before its
// 2025 "Translation fix") decides what must be refilled, with the boxes themselves (the analytical model
// needs only sizes; the simulator moves the values). This is the one implementation of the rule: the
// simulator drives TileReuse with real boxes, the analytical model folds its walk over NextTile().
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

using Translation = std::array<int64_t, kMaxRanks>;

// Everything the rule remembers besides the previous tile itself. The rule looks at positions only
// through differences, so two walks whose memories are equal behave identically from then on wherever
// their tiles are: the analytical model relies on this to fold repeated stretches of a loop nest.
struct ReuseMemory {
  bool has_previous = false;
  bool has_translation = false;
  Translation translation{};  // zero unless has_translation, so equal states compare equal
  bool operator==(const ReuseMemory&) const = default;
};

// One step of the rule: `tile` follows `previous` (ignored while memory has no previous tile).
TileDelta NextTile(ReuseMemory& memory, const DataBox& tile, const DataBox& previous);

// The reuse state of one tile instance; Next() is called for every iteration of the loops above it.
class TileReuse {
 public:
  TileDelta Next(const DataBox& tile) {
    TileDelta delta = NextTile(memory_, tile, previous_);
    previous_ = tile;
    return delta;
  }
  // The tile stays where it is for one more iteration (a loop that does not index this data space).
  void Stay() { Next(previous_); }
  const DataBox& previous() const { return previous_; }
  const ReuseMemory& memory() const { return memory_; }

 private:
  ReuseMemory memory_;
  DataBox previous_;
};

}  // namespace cyclops::analysis
