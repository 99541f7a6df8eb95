// The cycle-level simulator on imperfectly factorised mappings (Timeloop v3's "Ruby" form, spec/specs.h): the
// programs walk the perfect super-nest of the factors and clip every tile and MAC burst at the bounds. Each
// case: outputs bit-exact with the reference kernel, every per-level counter equal to the analytical model's
// exact walk (TileWalk::kExact, what `cyclops run` holds the simulation to), and counts worked out by hand.
#include <gtest/gtest.h>

#include "tests/support/paths.h"
#include "tests/system/simulation/simulation_support.h"

namespace cyclops::test {
namespace {

SimulatedLayer Simulate(const std::vector<std::string>& files) {
  SimulatedLayer layer = SimulateFiles(files);
  EXPECT_TRUE(layer.spec.mapping->Imperfect());
  EXPECT_FALSE(layer.simulation.mismatch) << *layer.simulation.mismatch;
  // Held to the exact walk, as totals: the instances of an imperfect nest differ, so its per-instance
  // figures are averages.
  const analysis::AnalysisResult exact =
      analysis::Analyze(*layer.spec.architecture, *layer.spec.workload, *layer.spec.mapping, nullptr, nullptr,
                        analysis::TileWalk::kExact);
  const auto& storage = layer.spec.architecture->storage;
  for (size_t level = 0; level < storage.size(); ++level)
    for (size_t d = 0; d < layer.spec.workload->data_spaces.size(); ++d) {
      const analysis::DataSpaceAccesses& a = exact.storage[level].data_spaces[d];
      const top::SimulatedAccesses& s = layer.simulation.accesses[level][d];
      EXPECT_EQ(a.kept, s.kept) << storage[level].name;
      if (!a.kept) continue;
      const std::string where = storage[level].name + " " + layer.spec.workload->data_spaces[d].name;
      EXPECT_EQ(static_cast<int64_t>(s.reads), a.reads_total) << where << " reads";
      EXPECT_EQ(static_cast<int64_t>(s.fills), a.fills_total) << where << " fills";
      EXPECT_EQ(static_cast<int64_t>(s.updates), a.updates_total) << where << " updates";
    }
  EXPECT_EQ(static_cast<int64_t>(layer.simulation.macs), layer.spec.workload->TotalOperations());
  ExpectStallsAccountForCycles(layer.simulation);
  return layer;
}

std::vector<std::string> Synthetic(const std::string& mapping) {
  return {SourceDir() + "/configs/workloads/synthetic/small_array.yaml",
          SourceDir() + "/tests/system/simulation/data/" + mapping + ".yaml"};
}

uint64_t Count(const SimulatedLayer& layer, const std::string& level, int d, char action) {
  const top::SimulatedAccesses& s =
      layer.simulation.accesses[static_cast<size_t>(layer.spec.architecture->StorageIndex(level))]
                               [static_cast<size_t>(d)];
  return action == 'r' ? s.reads : action == 'f' ? s.fills : s.updates;
}

TEST(ImperfectSimulation, OneStripOf14AndOneOf13) {
  // P = 27 as P=14,13 in the register files under DRAM's P = 2; 4 × 2 PEs (M across, C down), R = 3.
  const SimulatedLayer layer = Simulate(Synthetic("imperfect_conv27"));
  constexpr int kWeights = 0, kInputs = 1, kOutputs = 2;
  EXPECT_EQ(layer.simulation.macs, 4u * 2 * 3 * 27);  // 648, none past P = 27
  // A register file's inputs (one channel, P + R − 1): strip 0 [0,15] whole, 16; strip 1 [14,28] after
  // it (the first translation, +14): the new part [16,28], 13. Per PE 29, 8 PEs: 232. The glb sends them
  // once per channel (the 4 M columns share them): 2 × 29 = 58, all of its inputs, read once from DRAM.
  EXPECT_EQ(Count(layer, "RegisterFile", kInputs, 'f'), 232u);
  EXPECT_EQ(Count(layer, "GlobalBuffer", kInputs, 'r'), 58u);
  EXPECT_EQ(Count(layer, "DRAM", kInputs, 'r'), 58u);
  // Weights (M, C, R = 3 per PE) stay over both strips: 8 × 3.
  EXPECT_EQ(Count(layer, "RegisterFile", kWeights, 'f'), 24u);
  // Psums: one update per MAC; each output written back once, reduced over C: 4 × 27 into the glb and DRAM.
  EXPECT_EQ(Count(layer, "RegisterFile", kOutputs, 'u'), 648u);
  EXPECT_EQ(Count(layer, "GlobalBuffer", kOutputs, 'u'), 108u);
  EXPECT_EQ(Count(layer, "DRAM", kOutputs, 'u'), 108u);
}

TEST(ImperfectSimulation, AResidualAtTheSpatialLevel) {
  // M = 13 as the glb's M = 4 over the PE array's "M=4,1": in the last M iteration only column 0 computes.
  const SimulatedLayer layer = Simulate(Synthetic("imperfect_spatial"));
  constexpr int kA = 0, kB = 1;
  EXPECT_EQ(layer.simulation.macs, 13u * 8 * 32);
  // Every glb iteration (64) refills each busy PE's A tile (M 1 × K 8: K is innermost, so it moves every
  // time): busy PEs per N step (3 × 4 + 1) × 2 = 26, over 4 N steps × 32 K values: 3,328. The glb sends
  // each once per group of the 2 N rows: 13 × 4 × 32 = 1,664.
  EXPECT_EQ(Count(layer, "RegisterFile", kA, 'f'), 3328u);
  EXPECT_EQ(Count(layer, "GlobalBuffer", kA, 'r'), 1664u);
  // B (K 8 × N 1) goes to each N row's busy PEs (4, or 1 in the last M iteration): (3 × 4 + 1) × 4 × 4 × 8
  // × 2 rows = 3,328 fills; the glb reads it once per row and iteration: 2 × 64 × 8 = 1,024.
  EXPECT_EQ(Count(layer, "RegisterFile", kB, 'f'), 3328u);
  EXPECT_EQ(Count(layer, "GlobalBuffer", kB, 'r'), 1024u);
  EXPECT_EQ(Count(layer, "DRAM", 2, 'u'), 13u * 8);
}

TEST(ImperfectSimulation, TwoLevelsOfOneDimensionCutShort) {
  // K = 23: DRAM K=2, glb "K=2,1", register files "K=8,7". A register file's A tiles (M 1 × K 8):
  //   DRAM K 0: per (M, N) step of the glb, K [0,8) whole after [8,16), then [8,16): 16; × 16 = 256;
  //   DRAM K 1: K [16,23), 7 values, whole when M moves, nothing new while only N moves: 4 × 7 = 28.
  // 284 per PE, 8 PEs: 2,272; the glb reads it once per pair of N rows: 4 × 284 = 1,136.
  const SimulatedLayer layer = Simulate(Synthetic("imperfect_two_levels"));
  constexpr int kA = 0, kZ = 2;
  EXPECT_EQ(layer.simulation.macs, 16u * 8 * 23);
  EXPECT_EQ(Count(layer, "RegisterFile", kA, 'f'), 2272u);
  EXPECT_EQ(Count(layer, "GlobalBuffer", kA, 'r'), 1136u);
  // Psums go back to the glb once per DRAM K iteration (2 × 128) and are read back for the second (128).
  EXPECT_EQ(Count(layer, "GlobalBuffer", kZ, 'u'), 256u);
  EXPECT_EQ(Count(layer, "GlobalBuffer", kZ, 'r'), 128u);
  EXPECT_EQ(Count(layer, "DRAM", kZ, 'u'), 128u);
}

std::vector<std::string> JsscPlan(int layer) {
  const std::string configs = SourceDir() + "/configs/";
  const std::string name = "alexnet_conv" + std::to_string(layer);
  return {configs + "arch/eyeriss_v1.yaml", configs + "workloads/layers/" + name + ".yaml",
          configs + "mappings/eyeriss_v1_" + name + ".yaml"};
}

TEST(ImperfectSimulation, AlexNetConv1AsTheChipStripMinesIt) {
  // Q = 55 as 8 strips of 7 columns, 6 in the last ("Q=7,6" across the array). The analytical model's
  // counts of this plan are checked by hand in tests/unit/analysis/imperfect_tiles_test.cpp.
  const SimulatedLayer layer = Simulate(JsscPlan(1));
  EXPECT_EQ(Count(layer, "glb", 1, 'r'), 563868u);  // the ifmap bus's words, as counted there by hand
}

TEST(ImperfectSimulation, AlexNetConv2As14And13Rows) {
  // Q = 27 as a 14-row segment and a 13-row one ("Q=14,13" across the array, Q=2 at DRAM).
  const SimulatedLayer layer = Simulate(JsscPlan(2));
  // Every output written to DRAM once: 256 × 27 × 27.
  EXPECT_EQ(Count(layer, "DRAM", 2, 'u'), 256u * 27 * 27);
}

}  // namespace
}  // namespace cyclops::test
