// Testbench for the fill-engine block of one level (LevelController and the FillEngines it runs): the RF
// level of a hand-built two-level accelerator (fill_bench.h) on tiny matrix multiplies
// Z[M, N] += A[M, K] · B[K, N], its PEs scripted. Every expected count, value, group and cycle is worked out
// by hand in the test from the mapping, the tensors' values and the port bandwidths, with the timing rules
// of models/memory/storage_core.h (bandwidth in values per cycle; a transfer takes at least one cycle) and
// the engine's own rule (models/control/fill_engine.h): a version is ready when the parent's read, the
// members' writes and the network are all done, the slowest of them being the cause.
#include <gtest/gtest.h>

#include "tests/module/control/fill_bench.h"
#include "tests/support/test_shapes.h"

namespace cyclops::models::bench {
namespace {

// The multicast case (MulticastSpec): each PE (m, n) holds A[m][2v..2v+1] and B[2v..2v+1][n] in version
// v = 0, 1 (the Buffer's K loop moves both), and Z[m][n] for the whole layer (no loop above the RF moves it).
// A[m][k] = 10·m + k + 1, B[k][n] = 100·(n + 1) + k, Z starts at 0.
int64_t MulticastTensors(int d, const Point& p) {
  if (d == 0) return 10 * p[0] + p[1] + 1;
  if (d == 1) return 100 * (p[1] + 1) + p[0];
  return 0;
}

// Scripted PEs for the multicast case: A and B taken at cycles 0 and 10, Z for the whole layer.
void ConsumeMulticast(FillBench& bench) {
  bench.Consume(bench.DataSpace("A"), {0, 10}, 5);
  bench.Consume(bench.DataSpace("B"), {0, 10}, 5);
  bench.Consume(bench.DataSpace("Z"), {0}, 20);
}

TEST(FillEngine, ReadOnlyTilesAreMulticastOncePerGroupAndVersion) {
  FillBench bench(MulticastSpec(), Unlimited(), Unlimited(), 1, 32, MulticastTensors);
  ConsumeMulticast(bench);
  bench.Run();
  const int a = bench.DataSpace("A"), b = bench.DataSpace("B"), z = bench.DataSpace("Z");
  // A does not depend on N: the PEs with the same m need the same A tile, so A has 2 groups of 2 PEs (one
  // per m); B likewise 2 groups, one per n.
  ASSERT_EQ(bench.transfer(a).groups.size(), 2u);
  ASSERT_EQ(bench.transfer(b).groups.size(), 2u);
  for (int64_t p = 0; p < bench.pes(); ++p)
    for (int64_t q = 0; q < bench.pes(); ++q) {
      EXPECT_EQ(bench.GroupOf(p, a) == bench.GroupOf(q, a), bench.Origin(p, kM) == bench.Origin(q, kM));
      EXPECT_EQ(bench.GroupOf(p, b) == bench.GroupOf(q, b), bench.Origin(p, kN) == bench.Origin(q, kN));
    }
  // Per data space: 2 versions x 2 groups = 4 network fills of 2 values each, 8 Buffer reads (each value of
  // the 2 x 4 tensor once), and each RF member counts its own 2 x 2 = 4 fills.
  std::map<int, int> fills;
  for (const RecordingNetwork::Transfer& fill : bench.network().fills) {
    ++fills[fill.data_space];
    EXPECT_EQ(fill.values, 2);
  }
  EXPECT_EQ(fills[a], 4);
  EXPECT_EQ(fills[b], 4);
  EXPECT_EQ(fills.count(z), 0u);  // psums nobody wrote yet are not fetched
  for (int d : {a, b}) {
    EXPECT_EQ(bench.buffer().core().Count(Access::kRead, d), 8u);
    for (int64_t pe = 0; pe < bench.pes(); ++pe)
      EXPECT_EQ(bench.Rf(pe, d).core().Count(Access::kFill, d), 4u);
  }
}

// The expected tile of one PE and version: a box [row_low, row_high] x [col_low, col_high] and its values.
void ExpectTile(const Seen& seen, const DataBox& box, const std::vector<int64_t>& values) {
  ASSERT_EQ(seen.box.ranks, box.ranks);
  for (int r = 0; r < box.ranks; ++r) {
    EXPECT_EQ(seen.box.low[r], box.low[r]) << "rank " << r;
    EXPECT_EQ(seen.box.high[r], box.high[r]) << "rank " << r;
  }
  EXPECT_EQ(seen.values, values);
}

TEST(FillEngine, EachPeStoreHoldsItsOwnSliceOfEveryVersion) {
  FillBench bench(MulticastSpec(), Unlimited(), Unlimited(), 1, 32, MulticastTensors);
  ConsumeMulticast(bench);
  bench.Run();
  const int a = bench.DataSpace("A"), b = bench.DataSpace("B");
  for (int64_t pe = 0; pe < bench.pes(); ++pe) {
    const int64_t m = bench.Origin(pe, kM), n = bench.Origin(pe, kN);
    SCOPED_TRACE("PE at m=" + std::to_string(m) + " n=" + std::to_string(n));
    const std::vector<Seen>& seen_a = bench.seen(pe, a);
    const std::vector<Seen>& seen_b = bench.seen(pe, b);
    ASSERT_EQ(seen_a.size(), 2u);
    ASSERT_EQ(seen_b.size(), 2u);
    for (int64_t v = 0; v < 2; ++v) {
      // A[m][2v], A[m][2v+1] = 10m + 2v + 1, 10m + 2v + 2 (a 1 x 2 box); e.g. PE m=1, v=1: 13, 14.
      ExpectTile(seen_a[v], test::Box(m, m, 2 * v, 2 * v + 1), {10 * m + 2 * v + 1, 10 * m + 2 * v + 2});
      // B[2v][n], B[2v+1][n] = 100(n+1) + 2v, 100(n+1) + 2v + 1 (a 2 x 1 box); e.g. n=1, v=1: 202, 203.
      ExpectTile(seen_b[v], test::Box(2 * v, 2 * v + 1, n, n),
                 {100 * (n + 1) + 2 * v, 100 * (n + 1) + 2 * v + 1});
    }
  }
}

TEST(FillEngine, PsumsNeverWrittenAreNotFetchedAndComputedOnesGoBackOnce) {
  FillBench bench(MulticastSpec(), Unlimited(), Unlimited(), 1, 32, MulticastTensors);
  const int z = bench.DataSpace("Z");
  bench.Consume(bench.DataSpace("A"), {0, 10}, 5);
  bench.Consume(bench.DataSpace("B"), {0, 10}, 5);
  // Each PE (m, n) "computes" 7 · (2m + n + 1) into its one psum Z[m][n].
  bench.Consume(z, {0}, 20, [&](int64_t, int64_t pe, TileStore& store) {
    store.values()[0] += 7 * (2 * bench.Origin(pe, kM) + bench.Origin(pe, kN) + 1);
    store.fresh()[0] = 0;
  });
  bench.Run();
  // Z's one version moves no value down (all fresh: fills = deltas − partition size = 0), and K is not
  // spread over the PEs, so each PE is its own reduction group: 4 write-backs of 1 value, 4 updates.
  EXPECT_EQ(bench.buffer().core().Count(Access::kRead, z), 0u);
  for (int64_t pe = 0; pe < bench.pes(); ++pe) EXPECT_EQ(bench.Rf(pe, z).core().Count(Access::kFill, z), 0u);
  EXPECT_EQ(bench.network().write_backs.size(), 4u);
  EXPECT_EQ(bench.buffer().core().Count(Access::kUpdate, z), 4u);
  // Z = [[7, 14], [21, 28]] in the Buffer (rank-major: Z[0][0], Z[0][1], Z[1][0], Z[1][1]), none fresh.
  EXPECT_EQ(bench.buffer().Tile(z).values(), (std::vector<int64_t>{7, 14, 21, 28}));
  EXPECT_EQ(bench.buffer().Tile(z).fresh(), (std::vector<uint8_t>{0, 0, 0, 0}));
}

// The reduction case: M=2 N=1 K=4, the PEs split K in 2 (along X) and M in 2 (along Y), each RF walks
// the remaining K=2; nothing is walked above the RF, so every tile has one version. The two PEs of one m
// (k0 = 0 and k0 = 2) add into the same Z[m][0]: a spatial-reduction group of 2 per m.
std::string ReductionSpec() {
  return MatmulSpec("M: 2, N: 1, K: 4", "M=1 N=1 K=1", "M=2 N=1 K=2", "KMN", "M=1 N=1 K=2");
}
// Z starts at Z[0][0] = 5, Z[1][0] = 100; A and B do not matter here.
int64_t ReductionTensors(int d, const Point& p) {
  return d == 2 ? (p[0] == 0 ? 5 : 100) : 1;
}

// Runs the reduction case with 8-bit psums; `computes(m, k0)` says whether the PE at (m, k0) adds
// 10 · (k0 + 1) + m into its psum.
void RunReduction(FillBench& bench, const std::function<bool(int64_t, int64_t)>& computes) {
  bench.Consume(bench.DataSpace("A"), {0}, 5);
  bench.Consume(bench.DataSpace("B"), {0}, 5);
  bench.Consume(bench.DataSpace("Z"), {0}, 10, [&bench, computes](int64_t, int64_t pe, TileStore& store) {
    const int64_t m = bench.Origin(pe, kM), k0 = bench.Origin(pe, kK);
    if (!computes(m, k0)) return;
    store.values()[0] += 10 * (k0 + 1) + m;
    store.fresh()[0] = 0;
  });
  bench.Run();
}

TEST(FillEngine, WriteBackReducesEachGroupOnceAndWrapsAtThePsumWidth) {
  FillBench bench(ReductionSpec(), Unlimited(), Unlimited(), 1, 8, ReductionTensors);
  const int z = bench.DataSpace("Z");
  ASSERT_EQ(bench.transfer(z).groups.size(), 2u);
  for (int64_t p = 0; p < bench.pes(); ++p)  // a group per m, over both k0
    for (int64_t q = 0; q < bench.pes(); ++q)
      EXPECT_EQ(bench.GroupOf(p, z) == bench.GroupOf(q, z), bench.Origin(p, kM) == bench.Origin(q, kM));
  RunReduction(bench, [](int64_t, int64_t) { return true; });
  // Only a group's first member starts from the Buffer's value; the other starts from 0 — so the old value
  // is added once: Z[0] = 5 + (10 + 30) = 45, Z[1] = 100 + (11 + 31) = 142, which wraps at 8 bits to
  // 142 − 256 = −114. One reduced value per group crosses the network: 2 write-backs, 2 updates.
  EXPECT_EQ(bench.buffer().Tile(z).values(), (std::vector<int64_t>{45, -114}));
  ASSERT_EQ(bench.network().write_backs.size(), 2u);
  for (const RecordingNetwork::Transfer& write_back : bench.network().write_backs)
    EXPECT_EQ(write_back.values, 1);
  EXPECT_EQ(bench.buffer().core().Count(Access::kUpdate, z), 2u);
}

TEST(FillEngine, AGroupNoMemberComputedInWritesNothingBack) {
  FillBench bench(ReductionSpec(), Unlimited(), Unlimited(), 1, 8, ReductionTensors);
  const int z = bench.DataSpace("Z");
  // Only the PE at m=0, k0=0 computes: group m=0 goes back as 5 + 10 = 15 (the idle member's 0 adds
  // nothing); no member of group m=1 wrote its psum, so Z[1] stays 100 and nothing moves for it.
  RunReduction(bench, [](int64_t m, int64_t k0) { return m == 0 && k0 == 0; });
  EXPECT_EQ(bench.buffer().Tile(z).values(), (std::vector<int64_t>{15, 100}));
  EXPECT_EQ(bench.buffer().Tile(z).fresh(), (std::vector<uint8_t>{0, 1}));
  EXPECT_EQ(bench.buffer().core().Count(Access::kUpdate, z), 1u);
  ASSERT_EQ(bench.network().write_backs.size(), 1u);
  int64_t group_m0 = -1;
  for (int64_t pe = 0; pe < bench.pes(); ++pe)
    if (bench.Origin(pe, kM) == 0) group_m0 = static_cast<int64_t>(bench.GroupOf(pe, z));
  EXPECT_EQ(bench.network().write_backs[0].group, group_m0);
}

}  // namespace
}  // namespace cyclops::models::bench
