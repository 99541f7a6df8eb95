// The cycle-level simulator on layers of our own, beyond 7-loop convolutions: a matrix multiply, a
// depth-wise convolution and a strided, dilated convolution on a 4 x 2 PE array
// (configs/workloads/synthetic).
#include <gtest/gtest.h>

#include "tests/support/paths.h"
#include "tests/system/simulation/simulation_support.h"

namespace cyclops::test {
namespace {

std::vector<std::string> Synthetic(const std::string& workload) {
  const std::string dir = SourceDir() + "/configs/workloads/synthetic/";
  return {dir + "small_array.yaml", dir + workload + ".yaml"};
}

class SyntheticLayer : public ::testing::TestWithParam<std::string> {};

TEST_P(SyntheticLayer, BitExactAndCountersEqualAnalysis) {
  const SimulatedLayer layer = SimulateFiles(Synthetic(GetParam()));
  EXPECT_FALSE(layer.simulation.mismatch) << *layer.simulation.mismatch;
  ExpectCountersEqualAnalysis(layer);
  ExpectStallsAccountForCycles(layer.simulation);
  // The analytical cycles are a lower bound (compute or the global buffer's bandwidth); the simulation
  // can only add to them, apart from the rounding of fractional bandwidth.
  EXPECT_GE(layer.simulation.cycles, static_cast<models::Cycle>(layer.analysis.cycles));
}

INSTANTIATE_TEST_SUITE_P(Layers, SyntheticLayer,
                         ::testing::Values("matmul", "depthwise", "strided_dilated_conv"));

TEST(SyntheticLayer, MatmulWorkIsSplitAsMapped) {
  const SimulatedLayer layer = SimulateFiles(Synthetic("matmul"));
  // M16 N8 K32 = 4,096 MACs over the 4 x 2 = 8 PEs: 512 each, one per cycle when compute-bound.
  EXPECT_EQ(layer.simulation.macs, 4096u);
  EXPECT_EQ(layer.simulation.compute_cycles, 512u);
  // Each PE's register file streams K8 of A and of B per output: reads = MACs for both operands,
  // 4,096 in total per operand, from the 8 register files.
  const int rf = layer.spec.architecture->StorageIndex("RegisterFile");
  EXPECT_EQ(layer.simulation.accesses[rf][0].reads, 4096u);
  EXPECT_EQ(layer.simulation.accesses[rf][1].reads, 4096u);
}

}  // namespace
}  // namespace cyclops::test
