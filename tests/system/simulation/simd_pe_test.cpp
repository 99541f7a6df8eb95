// Eyeriss v2's SIMD-2 PE (configs/arch/eyeriss_v2_simd2.yaml): two MACs under each PE's spads, 384 MACs
// on the 192-PE array with its hierarchical-mesh NoC, on GoogLeNet's inception 3a 1 × 1 layer
// (configs/mappings/eyeriss_v2_simd2_googlenet_3a_1x1.yaml: M2 over the two MACs of a PE).
#include <gtest/gtest.h>

#include "tests/support/paths.h"
#include "tests/system/simulation/simulation_support.h"

namespace cyclops::test {
namespace {

TEST(EyerissV2Simd2, TwoMacsPerPeShareEachIactAndKeepTheirOwnWeightsAndPsums) {
  const std::string configs = SourceDir() + "/configs/";
  const SimulatedLayer layer =
      SimulateFiles({configs + "arch/eyeriss_v2_simd2.yaml", configs + "energy/eyeriss_v2_65nm_relative.yaml",
                     configs + "workloads/layers/googlenet_3a_1x1.yaml",
                     configs + "mappings/eyeriss_v2_simd2_googlenet_3a_1x1.yaml"});
  const top::SimulationResult& s = layer.simulation;
  EXPECT_FALSE(s.mismatch) << *s.mismatch;
  ExpectCountersEqualAnalysis(layer);
  ExpectStallsAccountForCycles(s);
  EXPECT_EQ(s.noc_topology, "eyeriss_v2_hm");
  // C192 × M64 × P28 × Q28 = 9,633,792 MACs on 384 MACs: 25,088 each, one per cycle.
  const uint64_t macs = 9633792;
  EXPECT_EQ(s.macs, macs);
  EXPECT_EQ(s.compute_cycles, macs / 384);
  for (int pe = 0; pe < 2; ++pe)
    EXPECT_EQ(s.stats.Value("accelerator.cluster[0].pe[" + std::to_string(pe) + "].mac", "macs"), macs / 384);
  const spec::Architecture& arch = *layer.spec.architecture;
  const spec::Workload& workload = *layer.spec.workload;
  const int weights = workload.DataSpaceIndex("Weights"), inputs = workload.DataSpaceIndex("Inputs"),
            outputs = workload.DataSpaceIndex("Outputs");
  // The two MACs of a PE compute two output channels M of one iact: one iact read serves both, while
  // each reads its own weight and updates its own psum.
  EXPECT_EQ(s.accesses[arch.StorageIndex("iact_spad")][inputs].reads, macs / 2);
  EXPECT_EQ(s.accesses[arch.StorageIndex("weight_spad")][weights].reads, macs);
  EXPECT_EQ(s.accesses[arch.StorageIndex("psum_spad")][outputs].updates, macs);
  EXPECT_EQ(s.accesses[arch.StorageIndex("iact_spad")][inputs].instances, 192);
  // Twice the default preset's peak: the layer needs 9,633,792 / 192 = 50,176 MAC cycles per PE there.
  EXPECT_LT(s.cycles, macs / 192);
}

}  // namespace
}  // namespace cyclops::test
