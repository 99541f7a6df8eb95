// Several MACs under one innermost buffer (a vector MAC, as in Simba's PEs and Eyeriss v2's SIMD PE): the
// MACs read their operands straight from a buffer above a spatial fan-out, share a value where the mapping
// gives them the same one, and reduce their psums in the buffer. A case small enough to work out by hand
// (data/vector_mac.yaml).
#include <gtest/gtest.h>

#include "tests/support/paths.h"
#include "tests/system/simulation/simulation_support.h"

namespace cyclops::test {
namespace {

std::vector<std::string> VectorMacFiles() {
  return {SourceDir() + "/tests/system/simulation/data/vector_mac.yaml"};
}

TEST(VectorMac, FourMacsUnderOneBufferCountedByHand) {
  const SimulatedLayer layer = SimulateFiles(VectorMacFiles());
  const top::SimulationResult& s = layer.simulation;
  EXPECT_FALSE(s.mismatch) << *s.mismatch;
  ExpectCountersEqualAnalysis(layer);
  ExpectStallsAccountForCycles(s);
  // Z[M4, N4] += A[M4, K4] * B[K4, N4]: 64 MACs. The four MACs are (n, k) for n, k in {0, 1}; the buffer
  // walks M4 N2 K2 = 16 steps, one MAC each per step.
  EXPECT_EQ(s.macs, 64u);
  for (int pe = 0; pe < 4; ++pe) {
    const std::string mac = "accelerator.cluster[0].pe[" + std::to_string(pe) + "].MACC";
    EXPECT_EQ(s.stats.Value(mac, "macs"), 16u) << mac;
    EXPECT_EQ(s.stats.Value(mac, "busy_cycles"), 16u) << mac;
  }
  EXPECT_EQ(s.compute_cycles, 16u);
  const int buffer = layer.spec.architecture->StorageIndex("Buffer");
  const auto& at = s.accesses[buffer];
  // A[m, k]: MACs (0, k) and (1, k) read the same value, so 2 reads per step: 16 x 2 = 32.
  EXPECT_EQ(at[0].reads, 32u);
  // B[k, n]: four different values per step: 16 x 4 = 64.
  EXPECT_EQ(at[1].reads, 64u);
  // Z[m, n]: MACs (n, 0) and (n, 1) add into one value, reduced before the buffer: 16 x 2 = 32 updates.
  // Each of the 16 outputs is updated K4 / K2 = 2 times; the first starts from zero without a read, so
  // reads = 32 - 16 = 16.
  EXPECT_EQ(at[2].updates, 32u);
  EXPECT_EQ(at[2].reads, 16u);
  // The buffer holds every tensor whole: one fill per A and B value, the 16 outputs written back once.
  EXPECT_EQ(at[0].fills, 16u);
  EXPECT_EQ(at[1].fills, 16u);
  EXPECT_EQ(at[2].fills, 0u);
  const int dram = layer.spec.architecture->StorageIndex("DRAM");
  EXPECT_EQ(s.accesses[dram][2].updates, 16u);
  // Compute-bound: 16 cycles plus the first tiles' fill and the drain.
  EXPECT_EQ(layer.analysis.cycles, 16);
}

// The same layer with a buffer that reads 4 values per cycle, shared by the four MACs. The buffer never moves
// a tile (it holds every tensor whole), so each MAC runs one burst of 16 MACs, during which the MACs read
// A 2 x 16 = 32, B 4 x 16 = 64 and Z 32 - 16 = 16 values: 112 values at 4 per cycle = 28 cycles, so each
// MAC's 16 MACs are spread over 28 cycles, 12 of them waiting for the buffer. The analytical model's bound:
// read demand 112 / 16 = 7 values per cycle against 4, 16 x 7 / 4 = 28 cycles.
TEST(VectorMac, TheBuffersReadBandwidthIsSharedByItsMacs) {
  SimulatedLayer layer{spec::LoadSpecFiles(VectorMacFiles()), {}, {}};
  const int buffer = layer.spec.architecture->StorageIndex("Buffer");
  layer.spec.architecture->storage[buffer].read_bandwidth = 4.0;
  layer.analysis =
      analysis::Analyze(*layer.spec.architecture, *layer.spec.workload, *layer.spec.mapping, nullptr);
  layer.simulation =
      top::LayerSimulation(*layer.spec.architecture, *layer.spec.workload, *layer.spec.mapping, {}).Run();
  const top::SimulationResult& s = layer.simulation;
  EXPECT_FALSE(s.mismatch) << *s.mismatch;
  ExpectCountersEqualAnalysis(layer);
  ExpectStallsAccountForCycles(s);
  EXPECT_EQ(layer.analysis.cycles, 28);
  EXPECT_EQ(s.compute_cycles, 16u);
  models::Cycle waited = 0;
  for (const top::StallEntry& stall : s.stalls)
    if (stall.cause.find("read bandwidth of Buffer (feeding the MACs)") != std::string::npos)
      waited += stall.cycles;
  EXPECT_EQ(waited, 12u);
  EXPECT_EQ(s.pe_finished_at - FillStall(s), 28u);
}

}  // namespace
}  // namespace cyclops::test
