// The cycle-level simulator on Timeloop's own reference cases (../shared/reference/timeloop): real data
// bit-exact against the reference kernel, every per-level counter equal to the analytical model (which
// the system_timeloop tests check against Timeloop's reports), and — every case here leaves the network
// unconstrained — simulated cycles within 1% of the analytical cycles once the pipeline fill and the final
// drain are taken out.
#include <gtest/gtest.h>

#include "sim/core/error.h"
#include "tests/support/paths.h"
#include "tests/system/simulation/simulation_support.h"

namespace cyclops::test {
namespace {

struct Case {
  std::string name;
  std::string folder;  // under reference/timeloop
  bool mapper;         // mapper run: the chosen mapping is in timeloop-mapper.map.yaml
};

std::vector<std::string> Files(const Case& c) {
  const std::string dir = ReferenceDir() + "/timeloop/" + c.folder + "/";
  if (c.mapper)
    return {dir + "parsed-processed-input.yaml", dir + "timeloop-mapper.map.yaml",
            dir + "timeloop-mapper.ERT.yaml"};
  return {dir + "parsed-processed-input.yaml", dir + "timeloop-model.ERT.yaml"};
}

class TimeloopCaseSimulation : public ::testing::TestWithParam<Case> {};

TEST_P(TimeloopCaseSimulation, BitExactCountersEqualAndCyclesWithinOnePercent) {
  const SimulatedLayer layer = SimulateFiles(Files(GetParam()));
  EXPECT_FALSE(layer.simulation.mismatch) << *layer.simulation.mismatch;
  ExpectCountersEqualAnalysis(layer);
  ExpectStallsAccountForCycles(layer.simulation);
  const top::SimulationResult& s = layer.simulation;
  const int64_t analytical = layer.analysis.cycles;
  EXPECT_GE(static_cast<int64_t>(s.cycles), analytical);
  const int64_t steady = static_cast<int64_t>(s.cycles - FillStall(s) - (s.cycles - s.pe_finished_at));
  EXPECT_LE(std::abs(steady - analytical), analytical / 100 + 1)
      << "simulated " << s.cycles << ", fill " << FillStall(s) << ", analytical " << analytical;
}

INSTANTIATE_TEST_SUITE_P(
    Reference, TimeloopCaseSimulation,
    ::testing::Values(
        Case{"tutorial_00", "tutorial-00-model-conv1d-1level/ref-output", false},
        Case{"tutorial_01_os", "tutorial-01-model-conv1d-2level/ref-output/os", false},
        Case{"tutorial_01_ws", "tutorial-01-model-conv1d-2level/ref-output/ws", false},
        Case{"tutorial_02_no_tiling", "tutorial-02-model-conv1d+oc-2level/ref-output/no-tiling", false},
        Case{"tutorial_02_tiling", "tutorial-02-model-conv1d+oc-2level/ref-output/tiling", false},
        Case{"tutorial_03_bypass", "tutorial-03-model-conv1d+oc-3level/ref-output/bypass", false},
        Case{"tutorial_03_no_bypass", "tutorial-03-model-conv1d+oc-3level/ref-output/no-bypass", false},
        Case{"tutorial_04_cp", "tutorial-04-model-conv1d+oc-3levelspatial/ref-output/cp", false},
        Case{"tutorial_04_kp", "tutorial-04-model-conv1d+oc-3levelspatial/ref-output/kp", false},
        Case{"tutorial_05_baked", "tutorial-05-mapper-conv1d+oc-3level/ref-output/baked", true},
        Case{"tutorial_05_freebypass", "tutorial-05-mapper-conv1d+oc-3level/ref-output/freebypass", true},
        Case{"tutorial_05_null", "tutorial-05-mapper-conv1d+oc-3level/ref-output/null", true},
        Case{"tutorial_06", "tutorial-06-mapper-convlayer-eyeriss/ref-output", true},
        Case{"tutorial_07_intmac", "tutorial-07-timeloop+accelergy-eyeriss/ref-output/intmac", true},
        Case{"tutorial_07_fpmac", "tutorial-07-timeloop+accelergy-eyeriss/ref-output/fpmac", true},
        Case{"design_eyeriss_like", "design-eyeriss_like/default_problem", true},
        Case{"design_simba_like", "design-simba_like/default_problem", true},
        Case{"design_simple_weight_stationary", "design-simple_weight_stationary/default_problem", true},
        Case{"design_simple_output_stationary", "design-simple_output_stationary/default_problem", true}),
    [](const ::testing::TestParamInfo<Case>& info) { return info.param.name; });

// Simba-like: each PE's input buffer feeds four weight buffers, accumulators and MACs (a fan-out below the
// innermost level keeping Inputs), the MACs read Inputs straight from it — one read for all four, as
// Timeloop counts it — and the input buffer's tile is read by four PE clusters (one per accumulator).
// Beside the analytical model, Timeloop's own figures: 225,792 input-buffer reads per instance, 12 used.
TEST(TimeloopCaseSimulation, SimbaLikeInputBufferFeedsFourMacs) {
  const SimulatedLayer layer = SimulateFiles(Files({"", "design-simba_like/default_problem", true}));
  const int input_buffer = layer.spec.architecture->StorageIndex("PEInputBuffer");
  const int inputs = 1;
  ASSERT_EQ(layer.spec.workload->data_spaces[inputs].name, "Inputs");
  const top::SimulatedAccesses& s = layer.simulation.accesses[input_buffer][inputs];
  const std::string stats =
      ReadFile(ReferenceDir() + "/timeloop/design-simba_like/default_problem/timeloop-mapper.stats.txt");
  const std::string level = stats.substr(stats.find("=== PEInputBuffer ==="));
  auto field = [&](const std::string& name) {
    const size_t at = level.find(name);
    return std::stoll(level.substr(level.find(':', at) + 1));
  };
  EXPECT_EQ(static_cast<int64_t>(s.instances), field("Utilized instances (max)"));
  EXPECT_EQ(static_cast<int64_t>(s.reads),
            field("Scalar reads (per-instance)") * field("Utilized instances (max)"));
  EXPECT_EQ(static_cast<int64_t>(s.fills),
            field("Scalar fills (per-instance)") * field("Utilized instances (max)"));
  EXPECT_EQ(layer.simulation.macs,
            4u * static_cast<uint64_t>(field("Scalar reads (per-instance)")) * s.instances);
}

}  // namespace
}  // namespace cyclops::test
