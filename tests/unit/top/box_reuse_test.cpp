// Timeloop's (pre-2025) tile reuse rule with real boxes: what a new tile must fetch from the level above.
// Tiles are 2-rank boxes (rows, columns) of 3 x 3 = 9 values unless said otherwise.
#include "sim/analysis/box_reuse.h"
#include "tests/support/test_shapes.h"

#include <gtest/gtest.h>

namespace cyclops::analysis {
namespace {

using test::Box;

using Kind = TileDelta::Kind;

// A 3 x 3 tile whose top-left corner is (row, col).
DataBox Tile(int64_t row, int64_t col) {
  return Box(row, row + 2, col, col + 2);
}

void ExpectPart(const TileDelta& delta, const DataBox& part) {
  ASSERT_EQ(delta.kind, Kind::kPart);
  EXPECT_EQ(delta.size, part.Size());
  for (int r = 0; r < part.ranks; ++r) {
    EXPECT_EQ(delta.part.low[r], part.low[r]) << "rank " << r;
    EXPECT_EQ(delta.part.high[r], part.high[r]) << "rank " << r;
  }
}

void ExpectWhole(const TileDelta& delta) {
  EXPECT_EQ(delta.kind, Kind::kWhole);
  EXPECT_EQ(delta.size, 9);
}

TEST(SubtractBoxesTest, ShiftAlongOneRankLeavesTheNewStripe) {
  // Columns 1..3 minus columns 0..2: column 3, rows 0..2 (3 values).
  ExpectPart(SubtractBoxes(Tile(0, 1), Tile(0, 0)), Box(0, 2, 3, 3));
  // Columns 0..2 minus columns 2..4 (moved back by 2): columns 0..1 (6 values).
  ExpectPart(SubtractBoxes(Tile(0, 0), Tile(0, 2)), Box(0, 2, 0, 1));
  // Rows 1..3 minus rows 0..2: row 3.
  ExpectPart(SubtractBoxes(Tile(1, 0), Tile(0, 0)), Box(3, 3, 0, 2));
}

TEST(SubtractBoxesTest, IdenticalOrContainedBoxNeedsNothing) {
  EXPECT_EQ(SubtractBoxes(Tile(4, 4), Tile(4, 4)).kind, Kind::kNothing);
  EXPECT_EQ(SubtractBoxes(Tile(4, 4), Tile(4, 4)).size, 0);
  // Columns 1..2 inside columns 0..3.
  EXPECT_EQ(SubtractBoxes(Box(0, 2, 1, 2), Box(0, 2, 0, 3)).kind, Kind::kNothing);
}

TEST(SubtractBoxesTest, NonBoxDifferencesCountAsTheWholeTile) {
  // Diagonal move: the difference is an L shape (5 values), not a box: whole tile, 9.
  ExpectWhole(SubtractBoxes(Tile(1, 1), Tile(0, 0)));
  // Disjoint: whole.
  ExpectWhole(SubtractBoxes(Tile(0, 5), Tile(0, 0)));
  // Previous covers neither end along the rank: columns 0..4 minus 1..3 is two stripes: whole (15).
  const TileDelta delta = SubtractBoxes(Box(0, 2, 0, 4), Box(0, 2, 1, 3));
  EXPECT_EQ(delta.kind, Kind::kWhole);
  EXPECT_EQ(delta.size, 15);
}

TEST(TileReuseTest, SlidingWindowRefillsOnlyTheNewColumn) {
  // Translation (0, +1) every step: first tile whole (9), then one new column of 3 values each time.
  TileReuse reuse;
  ExpectWhole(reuse.Next(Tile(0, 0)));
  ExpectPart(reuse.Next(Tile(0, 1)), Box(0, 2, 3, 3));
  ExpectPart(reuse.Next(Tile(0, 2)), Box(0, 2, 4, 4));
  ExpectPart(reuse.Next(Tile(0, 3)), Box(0, 2, 5, 5));
  EXPECT_TRUE(reuse.memory().has_translation);
  EXPECT_EQ(reuse.memory().translation[0], 0);
  EXPECT_EQ(reuse.memory().translation[1], 1);
}

TEST(TileReuseTest, ChangedTranslationRefillsTheWholeTileAndForgetsIt) {
  // (0,+1), (0,+1), then (+1, 0): the translation changed, so the whole tile (9) is refilled although
  // it overlaps the previous one in 6 values. The translation is forgotten: the next (+1, 0) is
  // recorded afresh and refills only the new row.
  TileReuse reuse;
  ExpectWhole(reuse.Next(Tile(0, 0)));
  ExpectPart(reuse.Next(Tile(0, 1)), Box(0, 2, 3, 3));
  ExpectWhole(reuse.Next(Tile(1, 1)));
  EXPECT_FALSE(reuse.memory().has_translation);
  ExpectPart(reuse.Next(Tile(2, 1)), Box(4, 4, 1, 3));
  ExpectPart(reuse.Next(Tile(3, 1)), Box(5, 5, 1, 3));
}

TEST(TileReuseTest, MoveAfterAStayRefillsTheWholeTile) {
  // A loop that leaves the tile in place inside a loop that slides it (level_controller's pattern:
  // Next(tile) then Stay() per step). Translations: 0 (stay), then +1 (move) != 0: whole; the move
  // forgets the translation, the stay records 0 again, the next move differs again: whole, every time.
  TileReuse reuse;
  ExpectWhole(reuse.Next(Tile(0, 0)));
  reuse.Stay();
  EXPECT_TRUE(reuse.memory().has_translation);  // translation 0 recorded
  ExpectWhole(reuse.Next(Tile(0, 1)));
  reuse.Stay();
  ExpectWhole(reuse.Next(Tile(0, 2)));
  reuse.Stay();
  ExpectWhole(reuse.Next(Tile(0, 3)));
}

TEST(TileReuseTest, StayDoesNotMoveTheTile) {
  TileReuse reuse;
  reuse.Next(Tile(2, 3));
  reuse.Stay();
  EXPECT_EQ(reuse.previous().low[0], 2);
  EXPECT_EQ(reuse.previous().low[1], 3);
  // A zero move reported through Next while translation 0 is recorded: nothing to fetch.
  EXPECT_EQ(reuse.Next(Tile(2, 3)).kind, Kind::kNothing);
}

TEST(TileReuseTest, EqualMemoriesBehaveAlikeWhereverTheTilesAre) {
  // The rule only sees differences: two walks with the same memory give the same delta sizes after the
  // same relative moves (the analytical model folds repeated stretches on this).
  TileReuse near, far;
  near.Next(Tile(0, 0));
  near.Next(Tile(0, 1));
  far.Next(Tile(40, 70));
  far.Next(Tile(40, 71));
  EXPECT_EQ(near.memory(), far.memory());
  EXPECT_EQ(near.Next(Tile(0, 2)).size, far.Next(Tile(40, 72)).size);
  EXPECT_EQ(near.Next(Tile(1, 2)).size, far.Next(Tile(41, 72)).size);
}

}  // namespace
}  // namespace cyclops::analysis
