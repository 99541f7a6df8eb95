// The analytical model on hand-built specs, with the expected counts worked out by hand.
#include "sim/analysis/analysis.h"
#include "tests/support/test_shapes.h"

#include <gtest/gtest.h>

namespace cyclops::analysis {
namespace {

using test::Conv1D;

spec::StorageLevelSpec Buffer(const std::string& name, std::optional<int64_t> depth, int64_t instances = 1) {
  spec::StorageLevelSpec level;
  level.name = name;
  level.depth = depth;
  level.instances = instances;
  level.word_bits = level.width_bits = 8;
  return level;
}

spec::LevelMapping Level(std::vector<int64_t> temporal, std::vector<bool> keep,
                         std::vector<int64_t> spatial = {1, 1}) {
  spec::LevelMapping level;
  level.temporal_factors = std::move(temporal);
  level.temporal_permutation = {0, 1};  // R innermost
  level.spatial_factors = std::move(spatial);
  level.spatial_permutation = {0, 1};
  level.keep = std::move(keep);
  return level;
}

TEST(AnalysisTest, OneLevelConv1D) {
  // R=3, P=16 on one buffer: every MAC reads a weight and an input and updates an output:
  // 48 reads each; Outputs: 48 updates, 48 − 16 (first write of each output) = 32 reads.
  spec::Architecture architecture;
  architecture.storage = {Buffer("Buffer", std::nullopt)};
  spec::Mapping mapping;
  mapping.levels = {Level({3, 16}, {true, true, true})};
  const AnalysisResult result = Analyze(architecture, Conv1D(3, 16), mapping, nullptr);
  const auto& spaces = result.storage[0].data_spaces;
  EXPECT_EQ(spaces[0].reads, 48);
  EXPECT_EQ(spaces[1].reads, 48);
  EXPECT_EQ(spaces[2].reads, 32);
  EXPECT_EQ(spaces[2].updates, 48);
  EXPECT_EQ(spaces[0].utilized_capacity, 3);
  EXPECT_EQ(spaces[1].utilized_capacity, 18);
  EXPECT_EQ(spaces[2].utilized_capacity, 16);
  EXPECT_EQ(result.cycles, 48);
}

TEST(AnalysisTest, TwoLevelWeightStationaryWithInputHalo) {
  // Inner buffer holds R=3 × P=4 (R innermost); the outer level loops P=4.
  // Inner tile: Weights R3 → 3, Inputs P4+R3−1 = 6, Outputs 4.
  // Outer P loop moves the inner tile by 4 along Inputs: first tile 6, then 3 × (6 − overlap 2) = 12
  // → Inputs fills 18. Weights never move: 3 fills. Outputs: 4 tiles × 4 = 16 deltas − 16 partition = 0.
  spec::Architecture architecture;
  architecture.storage = {Buffer("Inner", 64), Buffer("Outer", std::nullopt)};
  spec::Mapping mapping;
  mapping.levels = {Level({3, 4}, {true, true, true}), Level({1, 4}, {true, true, true})};
  const AnalysisResult result = Analyze(architecture, Conv1D(3, 16), mapping, nullptr);
  const auto& inner = result.storage[0].data_spaces;
  EXPECT_EQ(inner[0].fills, 3);
  EXPECT_EQ(inner[1].fills, 18);
  EXPECT_EQ(inner[2].fills, 0);
  EXPECT_EQ(result.storage[1].data_spaces[1].reads, 18);  // the outer level serves exactly the fills
  EXPECT_EQ(result.storage[1].data_spaces[2].updates, 16);
}

TEST(AnalysisTest, MulticastCountsSharedWeightsOnce) {
  // Outer level fans out P=4 to 4 inner instances; each needs all 3 weights (Weights ignore P), so the
  // outer reads them once per delta: 3 reads, while each inner instance is filled 3 times.
  spec::Architecture architecture;
  architecture.storage = {Buffer("Inner", 64, 4), Buffer("Outer", std::nullopt)};
  spec::Mapping mapping;
  mapping.levels = {Level({3, 4}, {true, true, true}), Level({1, 1}, {true, true, true}, {1, 4})};
  const AnalysisResult result = Analyze(architecture, Conv1D(3, 16), mapping, nullptr);
  EXPECT_EQ(result.storage[0].data_spaces[0].fills, 3);
  EXPECT_EQ(result.storage[0].data_spaces[0].utilized_instances, 4);
  EXPECT_EQ(result.storage[1].data_spaces[0].reads, 3);
  EXPECT_EQ(result.storage[1].data_spaces[2].updates, 16);  // 4 instances × 4 distinct outputs
}

TEST(AnalysisTest, BypassedLevelPassesDemandThrough) {
  // Inner keeps only Outputs; Weights bypass it, so the outer level serves one weight read per MAC.
  spec::Architecture architecture;
  architecture.storage = {Buffer("Inner", 64), Buffer("Outer", std::nullopt)};
  spec::Mapping mapping;
  mapping.levels = {Level({3, 4}, {false, true, true}), Level({1, 4}, {true, true, true})};
  const AnalysisResult result = Analyze(architecture, Conv1D(3, 16), mapping, nullptr);
  EXPECT_FALSE(result.storage[0].data_spaces[0].kept);
  EXPECT_EQ(result.storage[1].data_spaces[0].reads, 48);
}

TEST(AnalysisTest, TileTooLargeIsSpecErrorNamingLevel) {
  // Inner needs 3 + 6 + 4 = 13 values but holds 8.
  spec::Architecture architecture;
  architecture.storage = {Buffer("Inner", 8), Buffer("Outer", std::nullopt)};
  spec::Mapping mapping;
  mapping.levels = {Level({3, 4}, {true, true, true}), Level({1, 4}, {true, true, true})};
  try {
    Analyze(architecture, Conv1D(3, 16), mapping, nullptr);
    FAIL() << "expected SpecError";
  } catch (const SpecError& error) {
    EXPECT_NE(std::string(error.what()).find("Inner"), std::string::npos);
    EXPECT_NE(std::string(error.what()).find("over by 5"), std::string::npos);
  }
}

}  // namespace
}  // namespace cyclops::analysis
