// Testbench for the hand-over of tile versions from a fill to its consumers: the TileBoard (publish /
// acquire / release, one event per version; models/memory/tile_board.h) driven by SystemC threads acting
// at known cycles, and the TileStore's staged versions (models/memory/tile_store.h), which keep a filled
// version aside until a consumer commits it. Expected cycles and values follow by hand from the rules the
// two headers state; each test elaborates once (its own process under ctest).
#include <gtest/gtest.h>

#include <functional>
#include <systemc>
#include <vector>

#include "models/common/cycle_time.h"
#include "models/common/layer_processes.h"
#include "models/memory/tile_board.h"
#include "models/memory/tile_store.h"

namespace cyclops::models {
namespace {

// The test's threads, spawned as the layer's blocks are (models/common/layer_processes.h).
LayerProcesses threads;
void Spawn(const char* name, std::function<void()> body) {
  threads.Spawn(name, std::move(body));
}
Cycle Now() {
  return ToCycles(sc_core::sc_time_stamp());
}
// Runs the threads to the end; a thread's exception fails the test.
void Simulate() {
  sc_core::sc_start();
  if (threads.failure()) std::rethrow_exception(threads.failure());
}
void WaitUntil(Cycle at) {
  if (at > Now()) sc_core::wait(Cycles(at - Now()));
}

TEST(TileBoard, AVersionIsVisibleFromItsPublicationOnAndKeepsItsCycle) {
  TileBoard board("RF tiles", 1);
  Cycle early_woke = 0, late_returned = 0, late_saw = 0;
  Spawn("producer", [&] {
    WaitUntil(3);
    board.Publish(0, Now());
    WaitUntil(8);
    board.Publish(1, Now());
  });
  // Waiting for version 1 from cycle 0: woken at 8, when it is published (version 0 at 3 is not enough).
  Spawn("early", [&] {
    board.WaitPublished(1);
    early_woke = Now();
  });
  // Arriving at 12 for version 0: no wait, and the board still says it was published at 3.
  Spawn("late", [&] {
    WaitUntil(12);
    board.WaitPublished(0);
    late_returned = Now();
    late_saw = board.published_at(0);
  });
  Simulate();
  EXPECT_EQ(early_woke, 8u);
  EXPECT_EQ(late_returned, 12u);
  EXPECT_EQ(late_saw, 3u);
  EXPECT_EQ(board.published(), 1);
}

TEST(TileBoard, TheProducerResumesWhenTheLastConsumerHasAcquired) {
  // 3 consumers: a cluster of 2 PEs reports at 4, the third PE at 7. The producer waiting for version 0
  // to be taken resumes at 7; waiting for version −1 (none: depth ahead of the first) it does not wait.
  TileBoard board("RF tiles", 3);
  Cycle none_waited = 99, resumed = 0;
  Spawn("producer", [&] {
    board.Publish(0, 0);
    board.WaitAllAcquired(-1);
    none_waited = Now();
    board.WaitAllAcquired(0);
    resumed = Now();
  });
  Spawn("cluster", [&] {
    WaitUntil(4);
    board.Acquired(0, 2);
  });
  Spawn("pe", [&] {
    WaitUntil(7);
    board.Acquired(0);
  });
  Simulate();
  EXPECT_EQ(none_waited, 0u);
  EXPECT_EQ(resumed, 7u);
}

TEST(TileBoard, ReleasesCountPerVersion) {
  // 2 consumers. Version 1's releases do not finish version 0: the write-back of version 0 waits for
  // version 0's own, which the second consumer gives at 9.
  TileBoard board("RF psums", 2);
  Cycle written_back = 0;
  Spawn("consumers", [&] {
    WaitUntil(2);
    board.Released(0);
    board.Released(1, 2);
    WaitUntil(9);
    board.Released(0);
  });
  Spawn("producer", [&] {
    board.WaitAllReleased(0);
    written_back = Now();
  });
  Simulate();
  EXPECT_EQ(written_back, 9u);
  EXPECT_TRUE(board.AllReleased(0));
  EXPECT_TRUE(board.AllReleased(1));
  EXPECT_FALSE(board.AllReleased(2));
}

// A 1-rank box [low, high].
DataBox Range(int64_t low, int64_t high) {
  DataBox box;
  box.ranks = 1, box.low[0] = low, box.high[0] = high;
  return box;
}

// Stages a whole new tile `box` with `values`, there at `ready` for `cause`.
void StageWhole(TileStore& store, DataBox box, std::vector<int64_t> values, Cycle ready, int cause) {
  StagedVersion version;
  version.box = box;
  version.delta = analysis::TileDelta{analysis::TileDelta::Kind::kWhole, box, box.Size()};
  version.fresh.assign(values.size(), 1);
  version.values = std::move(values);
  version.ready = ready, version.cause = cause;
  store.Stage(std::move(version));
}

TEST(TileStore, AStagedVersionLeavesTheTileInUseAloneUntilCommitted) {
  TileStore store(false);
  StageWhole(store, Range(0, 3), {1, 2, 3, 4}, 5, 7);
  store.CommitThrough(0);
  StageWhole(store, Range(4, 7), {5, 6, 7, 8}, 9, 8);  // the next version arrives while 0 is in use
  EXPECT_EQ(store.version(), 0);
  EXPECT_EQ(store.values(), (std::vector<int64_t>{1, 2, 3, 4}));
  EXPECT_EQ(store.available_at(), 5u);
  EXPECT_EQ(store.ready_cause(), 7);
  store.CommitThrough(1);
  // A group's members sharing the store each ask for version 1: only the first commit moves it.
  store.CommitThrough(1);
  EXPECT_EQ(store.version(), 1);
  EXPECT_EQ(store.box().low[0], 4);
  EXPECT_EQ(store.values(), (std::vector<int64_t>{5, 6, 7, 8}));
  EXPECT_EQ(store.available_at(), 9u);
  EXPECT_EQ(store.ready_cause(), 8);
  EXPECT_THROW(store.Commit(), std::logic_error);  // nothing staged
}

TEST(TileStore, VersionsStagedAheadAreCommittedInOrder) {
  // Depth 2: versions 1 and 2 both staged while 0 is in use. Committing through 2 passes 1 on the way:
  // the arrival cycle only grows (max of 4, 12, 6 = 12).
  TileStore store(false);
  StageWhole(store, Range(0, 1), {1, 2}, 4, 0);
  store.CommitThrough(0);
  StageWhole(store, Range(2, 3), {3, 4}, 12, 1);
  StageWhole(store, Range(4, 5), {5, 6}, 6, 2);
  store.CommitThrough(1);
  EXPECT_EQ(store.values(), (std::vector<int64_t>{3, 4}));
  store.CommitThrough(2);
  EXPECT_EQ(store.values(), (std::vector<int64_t>{5, 6}));
  EXPECT_EQ(store.available_at(), 12u);
  EXPECT_EQ(store.ready_cause(), 2);
  EXPECT_FALSE(store.HasStaged());
}

TEST(TileStore, PsumsLeavingAShiftedTileWaitForTheirWriteBack) {
  // Psums over [0, 1], computed to 10 and 11; the tile moves by one to [1, 2], only psum 2 new (a part).
  // After the commit the tile is {11, 12} (11 stays where it is), and the departure keeps the old tile with
  // the box that stays, until the fill engine drops it after writing psum 0 back.
  TileStore store(true);
  StageWhole(store, Range(0, 1), {0, 0}, 0, 0);
  store.CommitThrough(0);
  store.values() = {10, 11};
  store.fresh() = {0, 0};
  StagedVersion shifted;
  shifted.box = Range(1, 2);
  shifted.delta = analysis::TileDelta{analysis::TileDelta::Kind::kPart, Range(2, 2), 1};
  shifted.values = {12};
  shifted.fresh = {1};
  store.Stage(std::move(shifted));
  store.CommitThrough(1);
  EXPECT_EQ(store.values(), (std::vector<int64_t>{11, 12}));
  EXPECT_EQ(store.fresh(), (std::vector<uint8_t>{0, 1}));
  const Departure* departure = store.pending_departure();
  ASSERT_NE(departure, nullptr);
  EXPECT_FALSE(departure->whole);
  EXPECT_EQ(departure->old_box.low[0], 0);
  EXPECT_EQ(departure->kept_box.low[0], 1);
  EXPECT_EQ(departure->values, (std::vector<int64_t>{10, 11}));
  store.DropDeparture();
  EXPECT_EQ(store.pending_departure(), nullptr);
}

}  // namespace
}  // namespace cyclops::models
