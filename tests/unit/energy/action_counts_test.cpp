// Accelergy action counts from typed activity, with the vector (row) arithmetic worked out by hand.
#include "sim/energy/action_counts.h"

#include <gtest/gtest.h>

namespace cyclops::energy {
namespace {

spec::Architecture TwoLevels() {
  spec::Architecture architecture;
  spec::StorageLevelSpec spad;
  spad.name = "spad";
  spad.instances = 2;
  spad.word_bits = 8;
  spad.width_bits = 32;
  spad.block_size = 4;  // 4 values per row
  spec::StorageLevelSpec dram;
  dram.name = "DRAM";
  dram.word_bits = 8;
  dram.width_bits = 64;
  dram.block_size = 8;
  architecture.storage = {spad, dram};
  architecture.arithmetic.name = "mac";
  architecture.arithmetic.instances = 2;
  return architecture;
}

spec::EnergyTable Table() {
  spec::EnergyTable table;
  table.components["spad"] = {{"read", 2.0}, {"write", 3.0}, {"update", 5.0}, {"leak", 0.5}};
  table.components["DRAM"] = {{"read", 100.0}, {"write", 100.0}, {"update", 100.0}};
  table.components["mac"] = {{"compute", 1.5}};
  table.full_names = {{"spad", "top.spad[1..2]"}, {"DRAM", "top.DRAM[1..1]"}, {"mac", "top.mac[1..2]"}};
  table.arguments["DRAM"]["read"] = "{latency: 1}";
  return table;
}

TEST(ActionCountsTest, StorageActionsCountRowsPerInstanceAndDataSpace) {
  std::vector<StorageActivity> activity(2);
  // spad: two data spaces, two instances. Reads 5 and 8 values (space 0) → 2 + 2 rows; 1 and 0 (space 1)
  // → 1 + 0 rows: 5 rows, not ceil(14 / 4) = 4, because each instance and data space pays whole rows.
  activity[0].reads = {{5, 8}, {1, 0}};
  activity[0].fills = {{4, 4}, {0, 0}};
  activity[0].updates = {{0, 0}, {9, 9}};
  activity[0].used_instances = 2;
  activity[1].reads = {{17}, {0}};  // DRAM: 17 values of 8 per row → 3 rows
  activity[1].fills = {{0}, {0}};
  activity[1].updates = {{0}, {8}};
  activity[1].used_instances = 1;
  const ActionCounts counts = CountActions(TwoLevels(), Table(), activity, /*macs=*/40, /*cycles=*/10);
  ASSERT_EQ(counts.size(), 3u);
  EXPECT_EQ(counts[0].name, "top.DRAM[1..1]");  // outermost first, named as the ERT names it
  EXPECT_EQ(counts[0].actions[0].counts, 3u);
  EXPECT_EQ(counts[0].actions[0].arguments, "{latency: 1}");
  EXPECT_EQ(counts[0].actions[2].counts, 1u);
  const ComponentActionCounts& spad = counts[1];
  EXPECT_EQ(spad.actions[0].counts, 5u);  // read
  EXPECT_EQ(spad.actions[1].counts, 2u);  // write (fills): 1 + 1
  EXPECT_EQ(spad.actions[2].counts, 6u);  // update: 3 + 3
  EXPECT_EQ(spad.actions[3].name, "leak");
  EXPECT_EQ(spad.actions[3].counts, 20u);  // 2 instances × 10 cycles
  EXPECT_EQ(counts[2].actions[0].name, "compute");
  EXPECT_EQ(counts[2].actions[0].counts, 40u);
  // DRAM 3·100 + 1·100; spad 5·2 + 2·3 + 6·5 + 20·0.5; MACs 40·1.5.
  EXPECT_DOUBLE_EQ(PriceActionCounts(counts), 400.0 + 56.0 + 60.0);
}

TEST(ActionCountsTest, YamlIsAccelergysForm) {
  std::vector<StorageActivity> activity(2);
  activity[0].reads = activity[0].fills = activity[0].updates = {{4, 4}};
  activity[1].reads = activity[1].fills = activity[1].updates = {{8}};
  const std::string yaml = ActionCountsYaml(CountActions(TwoLevels(), Table(), activity, 1, 1));
  EXPECT_EQ(yaml.rfind("action_counts:\n  version: '0.4'\n  local:\n  - name: top.DRAM[1..1]\n", 0), 0u)
      << yaml;
  EXPECT_NE(yaml.find("    - name: read\n      arguments: {latency: 1}\n      counts: 1\n"),
            std::string::npos)
      << yaml;
  EXPECT_NE(
      yaml.find("  - name: top.spad[1..2]\n    action_counts:\n    - name: read\n      arguments: null\n"
                "      counts: 2\n"),
      std::string::npos)
      << yaml;
}

}  // namespace
}  // namespace cyclops::energy
