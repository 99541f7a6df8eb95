// Testbench for the PE cluster (PeCluster) and its MAC units: the cluster of pe_bench.h's 4 PEs runs a
// 2 x 2 x 4 matrix multiply (PE (m, n) does 2 bursts of 2 MACs into Z[m][n]) on tiles a scripted producer
// hands over at known cycles. Expected burst cycles, stalls and their causes, MAC results and per-PE
// counters are worked out by hand from the timing rules in models/pe/mac_unit.h (a burst of k MACs
// starting at t issues until t + k − 1, is done L − 1 later) and pe_cluster.h (a PE starts a burst when
// its operands are published and have arrived and its MAC is free; the wait is booked on the cause of the
// last operand it waited for — the pipeline-fill cause before the first burst).
#include <gtest/gtest.h>

#include <map>

#include "tests/module/pe/pe_bench.h"
#include "tests/support/test_shapes.h"

namespace cyclops::models::bench {
namespace {

// A[m][k] = 4m + k + 1 (rows 1 2 3 4 and 5 6 7 8), B[k][n] = 10(n + 1) + k (columns 10..13, 20..23), Z = 0.
int64_t Tensors(int d, const Point& p) {
  if (d == kA) return 4 * p[0] + p[1] + 1;
  if (d == kB) return 10 * (p[1] + 1) + p[0];
  return 0;
}

// The tiles of PE (m, n) in version v: A[m][2v..2v+1], B[2v..2v+1][n], Z[m][n].
std::function<DataBox(int64_t)> TileOf(const PeBench& bench, int d, int64_t v) {
  return [&bench, d, v](int64_t pe) {
    const int64_t m = bench.Origin(pe, kM), n = bench.Origin(pe, kN);
    if (d == kA) return test::Box(m, m, 2 * v, 2 * v + 1);
    if (d == kB) return test::Box(2 * v, 2 * v + 1, n, n);
    return test::Box(m, m, n, n);
  };
}

// Every tile handed over at `publish[d][v]`, its values there at once unless `ready` says otherwise.
void HandOver(PeBench& bench, const std::array<std::vector<Cycle>, 3>& publish,
              const std::function<Handover(int d, int64_t v, Handover)>& adjust = nullptr) {
  for (int d : {kA, kB, kZ}) {
    std::vector<Handover> versions;
    for (size_t v = 0; v < publish[d].size(); ++v) {
      Handover handover{publish[d][v], nullptr, bench.StallCauseOf(d, StallKind::kParentTile),
                        TileOf(bench, d, static_cast<int64_t>(v))};
      versions.push_back(adjust ? adjust(d, static_cast<int64_t>(v), handover) : handover);
    }
    bench.Produce(d, std::move(versions));
  }
}

// PE pe's stall cycles: `by_cause` for the causes named, none for the others.
void ExpectStalls(const PeCluster::PeOutcome& outcome, const std::map<int, Cycle>& by_cause, int64_t pe) {
  std::vector<Cycle> expected(outcome.stalls.size(), 0);
  for (const auto& [cause, cycles] : by_cause) expected.at(static_cast<size_t>(cause)) = cycles;
  EXPECT_EQ(outcome.stalls, expected) << "PE " << pe;
}

TEST(PeCluster, EveryPeComputesItsPsumOnTheRealValues) {
  PeBench bench(MacConfig{1, 64}, std::nullopt, Tensors);
  HandOver(bench, {{{0, 0}, {0, 0}, {0}}});
  bench.Run();
  // Z[m][n] = sum over k of A[m][k] B[k][n]:
  //   Z[0][0] = 1·10 + 2·11 + 3·12 + 4·13 = 10 + 22 + 36 + 52 = 120
  //   Z[0][1] = 1·20 + 2·21 + 3·22 + 4·23 = 20 + 42 + 66 + 92 = 220
  //   Z[1][0] = 5·10 + 6·11 + 7·12 + 8·13 = 50 + 66 + 84 + 104 = 304
  //   Z[1][1] = 5·20 + 6·21 + 7·22 + 8·23 = 100 + 126 + 154 + 184 = 564
  const int64_t expected[2][2] = {{120, 220}, {304, 564}};
  for (int64_t pe = 0; pe < bench.pes(); ++pe) {
    const int64_t m = bench.Origin(pe, kM), n = bench.Origin(pe, kN);
    EXPECT_EQ(bench.Rf(pe, kZ).Tile(kZ).values(), (std::vector<int64_t>{expected[m][n]})) << m << ", " << n;
    EXPECT_EQ(bench.Rf(pe, kZ).Tile(kZ).fresh(), (std::vector<uint8_t>{0}));  // written: goes back up
  }
}

TEST(PeCluster, EachPeCountsItsOwnOperandAccessesAndMacs) {
  PeBench bench(MacConfig{1, 64}, std::nullopt, Tensors);
  HandOver(bench, {{{0, 0}, {0, 0}, {0}}});
  bench.Run();
  // Per PE: 2 bursts x 2 MACs = 4 MACs, each reading one A and one B and updating Z; Z is read 4 − 1 = 3
  // times (its first touch starts from zero, as Timeloop counts it). All in the PE's own RF.
  for (int64_t pe = 0; pe < bench.pes(); ++pe) {
    const StorageCore& rf = bench.Rf(pe, kA).core();
    EXPECT_EQ(rf.Count(Access::kRead, kA), 4u);
    EXPECT_EQ(rf.Count(Access::kRead, kB), 4u);
    EXPECT_EQ(rf.Count(Access::kUpdate, kZ), 4u);
    EXPECT_EQ(rf.Count(Access::kRead, kZ), 3u);
    EXPECT_EQ(bench.pe(pe).mac().macs(), 4u);
    EXPECT_EQ(bench.pe(pe).mac().busy_cycles(), 4u);
  }
}

TEST(PeCluster, BurstsStartWhenTheirTilesAreThereAndWaitsAreBookedOnTheirCause) {
  // MAC latency 3. All first versions published (and there) at 4: the first burst runs [4, 6), the 4
  // cycles before it are pipeline fill. Version 1 of A is published at 10 (there at once); B's at 12 but
  // its values arrive at 15 over the network. The second burst starts at 15: 15 − 6 = 9 cycles waiting,
  // the last thing waited for being B's network; it issues [15, 17) and is done at 17 + 3 − 1 = 19.
  PeBench bench(MacConfig{3, 64}, std::nullopt, Tensors);
  HandOver(bench, {{{4, 10}, {4, 12}, {4}}}, [&bench](int d, int64_t v, Handover handover) {
    if (d == kB && v == 1) {
      handover.ready_at = [](int64_t) { return Cycle{15}; };
      handover.cause = bench.StallCauseOf(kB, StallKind::kNetwork);
    }
    return handover;
  });
  bench.Run();
  for (int64_t pe = 0; pe < bench.pes(); ++pe) {
    const PeCluster::PeOutcome outcome = bench.Outcome(pe);
    EXPECT_EQ(outcome.finished_at, 19u);
    EXPECT_EQ(outcome.busy_cycles, 4u);
    ExpectStalls(outcome, {{bench.FillCause(), 4}, {bench.StallCauseOf(kB, StallKind::kNetwork), 9}}, pe);
  }
}

TEST(PeCluster, ALateTileIsBookedOnThePublicationItWaitedFor) {
  // Everything there at 0 but A's version 1, published at 20: the first burst runs [0, 2) with no wait,
  // the second waits from 2 to 20 for A's tile (18 cycles, the parent's tile: it was published late) and
  // issues [20, 22); MAC latency 1, so the PE is done at 22 + 1 − 1 = 22.
  PeBench bench(MacConfig{1, 64}, std::nullopt, Tensors);
  HandOver(bench, {{{0, 20}, {0, 0}, {0}}});
  bench.Run();
  for (int64_t pe = 0; pe < bench.pes(); ++pe) {
    const PeCluster::PeOutcome outcome = bench.Outcome(pe);
    EXPECT_EQ(outcome.finished_at, 22u);
    ExpectStalls(outcome, {{bench.StallCauseOf(kA, StallKind::kParentTile), 18}}, pe);
  }
}

TEST(PeCluster, EachPeWaitsOnlyForItsOwnOperands) {
  // All published at 0; A's version 1 reaches the PEs of row m = 1 at 30 (child write), those of m = 0 at
  // once. m = 0: bursts [0, 2), [2, 4), done at 4, no stall. m = 1: [0, 2), then waits 30 − 2 = 28 on
  // the RF's write of A, [30, 32), done at 32. Each PE's MAC still ran 4 MACs in 4 busy cycles.
  PeBench bench(MacConfig{1, 64}, std::nullopt, Tensors);
  const int write_a = bench.StallCauseOf(kA, StallKind::kChildWrite);
  HandOver(bench, {{{0, 0}, {0, 0}, {0}}}, [&bench, write_a](int d, int64_t v, Handover handover) {
    if (d == kA && v == 1) {
      handover.ready_at = [&bench](int64_t pe) { return Cycle{bench.Origin(pe, kM) == 1 ? 30u : 0u}; };
      handover.cause = write_a;
    }
    return handover;
  });
  bench.Run();
  for (int64_t pe = 0; pe < bench.pes(); ++pe) {
    const bool late = bench.Origin(pe, kM) == 1;
    const PeCluster::PeOutcome outcome = bench.Outcome(pe);
    EXPECT_EQ(outcome.finished_at, late ? 32u : 4u) << "PE " << pe;
    EXPECT_EQ(outcome.stalls[static_cast<size_t>(write_a)], late ? 28u : 0u) << "PE " << pe;
    EXPECT_EQ(outcome.busy_cycles, 4u);
    EXPECT_EQ(bench.pe(pe).mac().busy_cycles(), 4u);
  }
}

TEST(PeCluster, AnRfReadPortSlowerThanTheMacsStretchesEveryBurst) {
  // The RF reads 2 values/cycle; a MAC step reads A, B and Z (3 > 2), so the port paces the bursts. Burst
  // 1 reads 2 A + 2 B + 1 Z (its first touch reads nothing) = 5 values: ceil(5 / 2) = 3 cycles for 2 MACs,
  // [0, 3). Burst 2 reads 2 + 2 + 2 = 6: 3 cycles, [3, 6). Each burst's extra cycle is a stall on the RF's
  // read port, booked on its first data space, A: 2 cycles. Done at 6 + 1 − 1 = 6, 4 busy cycles.
  PeBench bench(MacConfig{1, 64}, 2.0, Tensors);
  HandOver(bench, {{{0, 0}, {0, 0}, {0}}});
  bench.Run();
  for (int64_t pe = 0; pe < bench.pes(); ++pe) {
    const PeCluster::PeOutcome outcome = bench.Outcome(pe);
    EXPECT_EQ(outcome.finished_at, 6u);
    EXPECT_EQ(outcome.busy_cycles, 4u);
    ExpectStalls(outcome, {{bench.StallCauseOf(kA, StallKind::kMacRead), 2}}, pe);
  }
}

}  // namespace
}  // namespace cyclops::models::bench
