// TileStore: how a tile's values are laid out, carried over when the tile shifts, and handed back when a
// read-write tile departs. All boxes here are 2-rank (rows, columns); values are rank-major (columns
// fastest). Expected values are written out point by point in the comments.
#include "models/memory/tile_store.h"

#include <gtest/gtest.h>

#include <utility>
#include <vector>

#include "tests/support/test_shapes.h"

namespace cyclops::models {
namespace {

using test::Box;

using analysis::TileDelta;

StagedVersion Whole(const DataBox& box, std::vector<int64_t> values, std::vector<uint8_t> fresh = {}) {
  StagedVersion version;
  version.box = box;
  version.delta = {TileDelta::Kind::kWhole, box, box.Size()};
  version.values = std::move(values);
  version.fresh = std::move(fresh);
  return version;
}

StagedVersion Part(const DataBox& box, const DataBox& part, std::vector<int64_t> values,
                   std::vector<uint8_t> fresh = {}) {
  StagedVersion version;
  version.box = box;
  version.delta = {TileDelta::Kind::kPart, part, part.Size()};
  version.values = std::move(values);
  version.fresh = std::move(fresh);
  return version;
}

bool SameBox(const DataBox& a, const DataBox& b) {
  if (a.ranks != b.ranks) return false;
  for (int r = 0; r < a.ranks; ++r)
    if (a.low[r] != b.low[r] || a.high[r] != b.high[r]) return false;
  return true;
}

// The first tile of every commit test: rows 0..1, columns 0..2:
//   (0,0)=10 (0,1)=11 (0,2)=12
//   (1,0)=13 (1,1)=14 (1,2)=15
const DataBox kFirst = Box(0, 1, 0, 2);
const std::vector<int64_t> kFirstValues = {10, 11, 12, 13, 14, 15};

TEST(TileStoreTest, ForEachPointVisitsRankMajorWithRunningIndex) {
  // rows 2..3 x columns 5..7: 2 * 3 = 6 points, the last rank fastest.
  std::vector<std::pair<int64_t, int64_t>> points;
  std::vector<int64_t> indices;
  ForEachPoint(Box(2, 3, 5, 7), [&](const Point& point, int64_t index) {
    points.emplace_back(point[0], point[1]);
    indices.push_back(index);
  });
  const std::vector<std::pair<int64_t, int64_t>> expected = {{2, 5}, {2, 6}, {2, 7}, {3, 5}, {3, 6}, {3, 7}};
  EXPECT_EQ(points, expected);
  EXPECT_EQ(indices, (std::vector<int64_t>{0, 1, 2, 3, 4, 5}));
}

TEST(TileStoreTest, ForEachPointOnAnEmptyBoxVisitsNothing) {
  int visits = 0;
  ForEachPoint(DataBox{}, [&](const Point&, int64_t) { ++visits; });
  EXPECT_EQ(visits, 0);
}

TEST(TileStoreTest, OffsetInAndContainsFollowTheRankMajorLayout) {
  // rows 2..4 x columns 5..7 (3 x 3): offset = (row - 2) * 3 + (col - 5).
  const DataBox box = Box(2, 4, 5, 7);
  EXPECT_EQ(OffsetIn(box, Point{2, 5}), 0);
  EXPECT_EQ(OffsetIn(box, Point{3, 7}), 1 * 3 + 2);  // 5
  EXPECT_EQ(OffsetIn(box, Point{4, 5}), 2 * 3 + 0);  // 6
  EXPECT_EQ(OffsetIn(box, Point{4, 7}), 8);
  // ForEachPoint's index is OffsetIn of the point.
  ForEachPoint(box, [&](const Point& point, int64_t index) { EXPECT_EQ(OffsetIn(box, point), index); });
  EXPECT_TRUE(Contains(box, Point{3, 6}));
  EXPECT_FALSE(Contains(box, Point{1, 6}));
  EXPECT_FALSE(Contains(box, Point{3, 8}));
}

TEST(TileStoreTest, CommitWholeThenPartCarriesRetainedValuesAlongTheLastRank) {
  TileStore buffer(false);
  EXPECT_TRUE(buffer.empty());
  buffer.Stage(Whole(kFirst, kFirstValues));
  ASSERT_TRUE(buffer.HasStaged());
  buffer.Commit();
  EXPECT_FALSE(buffer.HasStaged());
  EXPECT_TRUE(SameBox(buffer.box(), kFirst));
  EXPECT_EQ(buffer.values(), kFirstValues);
  // Shift right by one column: new box columns 1..3; the new part is column 3: (0,3)=20, (1,3)=21.
  //   (0,1)=11 (0,2)=12 (0,3)=20
  //   (1,1)=14 (1,2)=15 (1,3)=21
  buffer.Stage(Part(Box(0, 1, 1, 3), Box(0, 1, 3, 3), {20, 21}));
  buffer.Commit();
  EXPECT_TRUE(SameBox(buffer.box(), Box(0, 1, 1, 3)));
  EXPECT_EQ(buffer.values(), (std::vector<int64_t>{11, 12, 20, 14, 15, 21}));
  EXPECT_TRUE(buffer.fresh().empty());  // read-only data keeps no fresh flags
  EXPECT_FALSE(buffer.TakeDeparture().has_value());
}

TEST(TileStoreTest, CommitPartAlongTheFirstRank) {
  TileStore buffer(false);
  buffer.Stage(Whole(kFirst, kFirstValues));
  buffer.Commit();
  // Shift down by one row: rows 1..2; the new part is row 2: (2,0)=30 (2,1)=31 (2,2)=32.
  //   (1,0)=13 (1,1)=14 (1,2)=15
  //   (2,0)=30 (2,1)=31 (2,2)=32
  buffer.Stage(Part(Box(1, 2, 0, 2), Box(2, 2, 0, 2), {30, 31, 32}));
  buffer.Commit();
  EXPECT_TRUE(SameBox(buffer.box(), Box(1, 2, 0, 2)));
  EXPECT_EQ(buffer.values(), (std::vector<int64_t>{13, 14, 15, 30, 31, 32}));
}

TEST(TileStoreTest, CommitPartShiftingTowardsLowerCoordinates) {
  TileStore buffer(false);
  buffer.Stage(Whole(kFirst, kFirstValues));
  buffer.Commit();
  // Shift left by one column: columns -1..1; the new part is column -1: (0,-1)=40, (1,-1)=41.
  //   (0,-1)=40 (0,0)=10 (0,1)=11
  //   (1,-1)=41 (1,0)=13 (1,1)=14
  buffer.Stage(Part(Box(0, 1, -1, 1), Box(0, 1, -1, -1), {40, 41}));
  buffer.Commit();
  EXPECT_EQ(buffer.values(), (std::vector<int64_t>{40, 10, 11, 41, 13, 14}));
}

TEST(TileStoreTest, StagedVersionsCommitInOrderAndReadyTimesOnlyGrow) {
  TileStore buffer(false);
  StagedVersion first = Whole(kFirst, kFirstValues);
  first.ready = 50;
  first.cause = 2;
  StagedVersion second = Part(Box(0, 1, 1, 3), Box(0, 1, 3, 3), {20, 21});
  second.ready = 30;  // arrived earlier than the first was complete: available when both are
  second.cause = 1;
  buffer.Stage(std::move(first));
  buffer.Stage(std::move(second));
  EXPECT_TRUE(SameBox(buffer.Next().box, kFirst));
  buffer.Commit();
  EXPECT_EQ(buffer.available_at(), 50u);
  EXPECT_EQ(buffer.ready_cause(), 2);
  buffer.Commit();
  EXPECT_EQ(buffer.available_at(), 50u);  // max(50, 30)
  EXPECT_EQ(buffer.ready_cause(), 1);
  EXPECT_EQ(buffer.values(), (std::vector<int64_t>{11, 12, 20, 14, 15, 21}));
  EXPECT_THROW(buffer.Commit(), std::logic_error);
}

TEST(TileStoreTest, ReadWriteCommitOfAPartHandsBackTheOldTile) {
  TileStore buffer(true);
  // First version: all six psums never written (fresh).
  buffer.Stage(Whole(kFirst, kFirstValues, {1, 1, 1, 1, 1, 1}));
  buffer.Commit();
  EXPECT_FALSE(buffer.TakeDeparture().has_value());  // nothing was there before
  // The MACs accumulate: values become 100..105; the first row has been written (no longer fresh).
  buffer.values() = {100, 101, 102, 103, 104, 105};
  buffer.fresh() = {0, 0, 0, 1, 1, 1};
  // Shift right by one column; the new column arrives fresh with values 0.
  buffer.Stage(Part(Box(0, 1, 1, 3), Box(0, 1, 3, 3), {0, 0}, {1, 1}));
  buffer.Commit();
  std::optional<Departure> departure = buffer.TakeDeparture();
  ASSERT_TRUE(departure.has_value());
  EXPECT_TRUE(SameBox(departure->old_box, kFirst));
  EXPECT_TRUE(SameBox(departure->kept_box, Box(0, 1, 1, 3)));  // only column 0 actually leaves
  EXPECT_FALSE(departure->whole);
  EXPECT_EQ(departure->values, (std::vector<int64_t>{100, 101, 102, 103, 104, 105}));
  EXPECT_EQ(departure->fresh, (std::vector<uint8_t>{0, 0, 0, 1, 1, 1}));
  EXPECT_FALSE(buffer.TakeDeparture().has_value());  // taken once
  // Kept: (0,1)=101 (0,2)=102 | (1,1)=104 (1,2)=105; new: (0,3)=0, (1,3)=0.
  // Fresh: (0,1)=0 (0,2)=0 (0,3)=1 | (1,1)=1 (1,2)=1 (1,3)=1.
  EXPECT_EQ(buffer.values(), (std::vector<int64_t>{101, 102, 0, 104, 105, 0}));
  EXPECT_EQ(buffer.fresh(), (std::vector<uint8_t>{0, 0, 1, 1, 1, 1}));
}

TEST(TileStoreTest, ReadWriteCommitOfAWholeTileHandsBackEverything) {
  TileStore buffer(true);
  buffer.Stage(Whole(kFirst, kFirstValues, {0, 0, 0, 0, 0, 0}));
  buffer.Commit();
  const DataBox next = Box(2, 3, 0, 2);
  buffer.Stage(Whole(next, {1, 2, 3, 4, 5, 6}, {1, 1, 1, 1, 1, 1}));
  buffer.Commit();
  std::optional<Departure> departure = buffer.TakeDeparture();
  ASSERT_TRUE(departure.has_value());
  EXPECT_TRUE(departure->whole);
  EXPECT_TRUE(SameBox(departure->old_box, kFirst));
  EXPECT_EQ(departure->values, kFirstValues);
  EXPECT_EQ(buffer.values(), (std::vector<int64_t>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(buffer.fresh(), (std::vector<uint8_t>(6, 1)));
}

TEST(TileStoreTest, DepartCollectsTheCurrentTileAndCommitThenSkipsIt) {
  TileStore buffer(true);
  buffer.Stage(Whole(kFirst, kFirstValues, {1, 0, 1, 0, 1, 0}));
  buffer.Commit();
  const DataBox next = Box(0, 1, 1, 3);
  const Departure departure = buffer.Depart(next, true);
  EXPECT_TRUE(departure.whole);
  EXPECT_TRUE(SameBox(departure.old_box, kFirst));
  EXPECT_TRUE(SameBox(departure.kept_box, next));
  EXPECT_EQ(departure.values, kFirstValues);
  EXPECT_EQ(departure.fresh, (std::vector<uint8_t>{1, 0, 1, 0, 1, 0}));
  // The controller already took the departing values: the commit must not hand them back twice.
  StagedVersion version = Part(next, Box(0, 1, 3, 3), {7, 8}, {1, 1});
  version.departure_taken = true;
  buffer.Stage(std::move(version));
  buffer.Commit();
  EXPECT_FALSE(buffer.TakeDeparture().has_value());
  // (0,1)=11 (0,2)=12 (0,3)=7 | (1,1)=14 (1,2)=15 (1,3)=8; fresh carried: (0,1)=0 (0,2)=1 new 1 |
  // (1,1)=1 (1,2)=0 new 1.
  EXPECT_EQ(buffer.values(), (std::vector<int64_t>{11, 12, 7, 14, 15, 8}));
  EXPECT_EQ(buffer.fresh(), (std::vector<uint8_t>{0, 1, 1, 1, 0, 1}));
}

TEST(TileStoreTest, InitWholeSetsFreshFlagsForReadWriteDataOnly) {
  TileStore psums(true);
  psums.InitWhole(kFirst, kFirstValues, true);
  EXPECT_EQ(psums.fresh(), (std::vector<uint8_t>(6, 1)));
  TileStore weights(false);
  weights.InitWhole(kFirst, kFirstValues, true);
  EXPECT_TRUE(weights.fresh().empty());
  EXPECT_EQ(weights.values(), kFirstValues);
}

// ForEachGather over a 3 x 4 layout (rows 0..2, columns 0..3; offset = 4·row + column).
struct GatherRun {
  int64_t from, step, index, length;
  bool operator==(const GatherRun&) const = default;
};
std::vector<GatherRun> Gathered(const DataBox& region, const DataBox& layout) {
  std::vector<GatherRun> runs;
  ForEachGather(region, layout, [&](int64_t from, int64_t step, int64_t index, int64_t length) {
    runs.push_back({from, step, index, length});
  });
  return runs;
}

TEST(TileStoreTest, ForEachGatherWalksAColumnAsOneStridedRun) {
  // Column 1, rows 0..2: offsets 1, 5, 9.
  EXPECT_EQ(Gathered(Box(0, 2, 1, 1), Box(0, 2, 0, 3)), (std::vector<GatherRun>{{1, 4, 0, 3}}));
}

TEST(TileStoreTest, ForEachGatherMergesRowsContiguousInTheLayout) {
  // Rows 1..2, every column: offsets 4..11 in one run.
  EXPECT_EQ(Gathered(Box(1, 2, 0, 3), Box(0, 2, 0, 3)), (std::vector<GatherRun>{{4, 1, 0, 8}}));
}

TEST(TileStoreTest, ForEachGatherWalksAPartialBlockRowByRow) {
  // Rows 0..1, columns 1..2: offsets 1, 2 then 5, 6.
  EXPECT_EQ(Gathered(Box(0, 1, 1, 2), Box(0, 2, 0, 3)), (std::vector<GatherRun>{{1, 1, 0, 2}, {5, 1, 2, 2}}));
  // A single value: offset 4·2 + 3 = 11.
  EXPECT_EQ(Gathered(Box(2, 2, 3, 3), Box(0, 2, 0, 3)), (std::vector<GatherRun>{{11, 1, 0, 1}}));
  EXPECT_TRUE(Gathered(DataBox{}, Box(0, 2, 0, 3)).empty());
}

TEST(TileStoreTest, ContainsBoxChecksBothCorners) {
  EXPECT_TRUE(ContainsBox(Box(0, 2, 0, 3), Box(1, 2, 0, 3)));
  EXPECT_FALSE(ContainsBox(Box(0, 2, 0, 3), Box(1, 3, 0, 3)));
  EXPECT_FALSE(ContainsBox(Box(0, 2, 0, 3), Box(0, 2, -1, 0)));
}

TEST(TileStoreTest, APendingDepartureIsReadInPlaceAndDroppedOnce) {
  TileStore buffer(true);
  buffer.Stage(Whole(kFirst, kFirstValues, std::vector<uint8_t>(6, 0)));
  buffer.Commit();
  EXPECT_EQ(buffer.pending_departure(), nullptr);  // nothing was there before
  buffer.Stage(Whole(Box(2, 3, 0, 2), {1, 2, 3, 4, 5, 6}, std::vector<uint8_t>(6, 1)));
  buffer.Commit();
  const Departure* departure = buffer.pending_departure();
  ASSERT_NE(departure, nullptr);
  EXPECT_TRUE(SameBox(departure->old_box, kFirst));
  EXPECT_EQ(departure->values, kFirstValues);  // the first tile's values leave
  buffer.DropDeparture();
  EXPECT_EQ(buffer.pending_departure(), nullptr);
  EXPECT_FALSE(buffer.TakeDeparture().has_value());
}

}  // namespace
}  // namespace cyclops::models
