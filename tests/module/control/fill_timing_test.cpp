// Testbench for when the fill engine of one level (LevelController / FillEngine) has a version's values in
// its PEs' stores, and why: the RF level of the bench in fill_bench.h keeping only A (B and Z bypass it, so
// one engine alone books the ports), with the Buffer's read port, the RFs' write ports and the network set
// per test. Expected cycles are worked out by hand from storage_core.h's rules (a port moves its bandwidth
// in values per cycle; a transfer takes at least one cycle; bookings queue on a port in the order made)
// and the engine's: a group's fill starts when the version is issued, and its values are ready when the
// read, the members' writes and the network are all done — the last of them is the stall cause.
#include <gtest/gtest.h>

#include "tests/module/control/fill_bench.h"

namespace cyclops::models::bench {
namespace {

// The multicast case (PE (m, n) holds A[m][2v..2v+1] in version v = 0, 1; the 2 PEs of one m share a
// multicast group), but the RF keeps only A.
std::string AOnlySpec() {
  return MulticastSpec("- {target: RF, type: bypass, keep: [A], bypass: [B, Z]}\n");
}
int64_t AnyTensors(int, const Point& p) {
  return p[0] + p[1];
}

StorageConfig Port(std::optional<double> read, std::optional<double> write) {
  StorageConfig config = Unlimited();
  config.read_bandwidth = read;
  config.write_bandwidth = write;
  return config;
}

int Cause(StallKind kind) {
  return StallCause(kRf, kA, 3, kind);
}

// Per multicast group (in the program's order, the order the engine books them) and version: the cycle
// each PE of the group has its values, and the cause.
struct Expected {
  Cycle ready[2][2];  // [group][version]
  int cause[2][2];
};

void ExpectReady(FillBench& bench, const Expected& expected) {
  for (int64_t pe = 0; pe < bench.pes(); ++pe) {
    const size_t g = bench.GroupOf(pe, kA);
    const std::vector<Seen>& seen = bench.seen(pe, kA);
    ASSERT_EQ(seen.size(), 2u);
    for (size_t v = 0; v < 2; ++v) {
      EXPECT_EQ(seen[v].available_at, expected.ready[g][v])
          << "PE " << pe << " group " << g << " version " << v;
      EXPECT_EQ(seen[v].ready_cause, expected.cause[g][v])
          << "PE " << pe << " group " << g << " version " << v;
    }
  }
}

// The bench with the given ports, PEs taking A's versions at `take_at`, run with `depth` versions ahead.
void RunAOnly(FillBench& bench, std::vector<Cycle> take_at, int depth = 1) {
  ASSERT_EQ(bench.transfer(kA).groups.size(), 2u);
  bench.Consume(kA, std::move(take_at), 1);
  bench.Run(depth);
}

TEST(FillTiming, GroupsQueueOnTheParentsReadPort) {
  // Buffer reads 1 value/cycle, everything else unlimited, network 1 cycle. Each group moves 2 values.
  // Version 0, issued at 0: group 0 reads [0, 2) -> ready 2; group 1 queues behind it, [2, 4) -> 4 (its
  // writes (done at 1) and network (0 + 1) are earlier). Version 1 is issued as soon as version 0 is taken
  // (cycle 0, depth 1): [4, 6) -> 6 and [6, 8) -> 8. All held up by the parent's read.
  FillBench bench(AOnlySpec(), Unlimited(), Port(1.0, std::nullopt), 1, 32, AnyTensors);
  RunAOnly(bench, {0, 0});
  const int read = Cause(StallKind::kParentRead);
  ExpectReady(bench, {{{2, 6}, {4, 8}}, {{read, read}, {read, read}}});
  EXPECT_EQ(bench.buffer().core().Count(Access::kRead, kA), 8u);
}

TEST(FillTiming, GroupsWritingDifferentStoresOverlap) {
  // RF writes 0.5 value/cycle, the rest unlimited: 2 values take 4 cycles in each member's write port. The
  // groups write different RFs, so both finish version 0 at 4; version 1 queues behind it in the same
  // ports: [4, 8) -> 8. The second member of a group books as its leader did (same calendar state).
  FillBench bench(AOnlySpec(), Port(std::nullopt, 0.5), Unlimited(), 1, 32, AnyTensors);
  RunAOnly(bench, {0, 0});
  const int write = Cause(StallKind::kChildWrite);
  ExpectReady(bench, {{{4, 8}, {4, 8}}, {{write, write}, {write, write}}});
  for (int64_t pe = 0; pe < bench.pes(); ++pe)
    EXPECT_EQ(bench.Rf(pe, kA).core().Count(Access::kFill, kA), 4u);
}

TEST(FillTiming, TheSlowestStageOfEachFillIsItsCause) {
  // Buffer reads 1 value/cycle, network 5 cycles. Version 0: reads done at 2 and 4, network at 0 + 5 = 5
  // for both groups -> 5, the network's fault. Version 1 (issued at 0): reads [4, 6) and [6, 8), network 5
  // -> 6 and 8, now the read port's.
  FillBench bench(AOnlySpec(), Unlimited(), Port(1.0, std::nullopt), 5, 32, AnyTensors);
  RunAOnly(bench, {0, 0});
  const int network = Cause(StallKind::kNetwork), read = Cause(StallKind::kParentRead);
  ExpectReady(bench, {{{5, 6}, {5, 8}}, {{network, read}, {network, read}}});
  // Each fill went to the network once per group and version, ready at its issue cycle 0.
  ASSERT_EQ(bench.network().fills.size(), 4u);
  for (const RecordingNetwork::Transfer& fill : bench.network().fills) EXPECT_EQ(fill.at, 0u);
}

TEST(FillTiming, WithOneVersionAheadTheNextFillWaitsUntilTheCurrentIsTaken) {
  // Buffer reads 1 value/cycle; the PEs take version 0 at cycle 10 and version 1 at 20. Version 0 is issued
  // and published at 0 (ready 2 and 4). Depth 1: version 1 is issued only when every PE has taken version
  // 0, at 10, so it is published at 10 and read [10, 12) and [12, 14).
  FillBench bench(AOnlySpec(), Unlimited(), Port(1.0, std::nullopt), 1, 32, AnyTensors);
  RunAOnly(bench, {10, 20});
  const int read = Cause(StallKind::kParentRead);
  ExpectReady(bench, {{{2, 12}, {4, 14}}, {{read, read}, {read, read}}});
  EXPECT_EQ(bench.seen(0, kA)[0].published_at, 0u);
  EXPECT_EQ(bench.seen(0, kA)[1].published_at, 10u);
  EXPECT_EQ(bench.seen(0, kA)[1].taken_at, 20u);
}

TEST(FillTiming, WithTwoVersionsAheadTheNextFillDoesNotWait) {
  // The same, depth 2: version 1 waits for version 1 − 2 (none), so it is issued at 0 right behind version
  // 0: published at 0, read [4, 6) and [6, 8).
  FillBench bench(AOnlySpec(), Unlimited(), Port(1.0, std::nullopt), 1, 32, AnyTensors);
  RunAOnly(bench, {10, 20}, 2);
  const int read = Cause(StallKind::kParentRead);
  ExpectReady(bench, {{{2, 6}, {4, 8}}, {{read, read}, {read, read}}});
  EXPECT_EQ(bench.seen(0, kA)[1].published_at, 0u);
}

}  // namespace
}  // namespace cyclops::models::bench
