#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim/core/error.h"
#include "sim/stats/stats_tree.h"
#include "sim/stats/stats_writer.h"

namespace cyclops::stats {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string TempPath(const std::string& leaf) {
  return (std::filesystem::temp_directory_path() / (std::to_string(::getpid()) + "_" + leaf)).string();
}

// Two groups as a GLB and a PE spad would declare them.
struct Fixture {
  StatGroup glb;
  StatGroup spad;
  StatsTree tree;
  Fixture() {
    Counter& reads = glb.AddCounter("reads_Inputs", "values", "Inputs read");
    Counter& busy = glb.AddCounter("busy_cycles", "cycles", "cycles busy");
    Counter& cycles = glb.AddCounter("cycles", "cycles", "cycles simulated");
    glb.AddRatio("utilisation", "busy / cycles", busy, cycles);
    reads.Add(42);
    busy.Add(3);
    cycles.Add(4);
    spad.AddCounter("fills_Weights", "values", "Weights filled").Add(7);
    tree.Register("top.glb", glb);
    tree.Register("top.pe_3_4.ifmap_spad", spad);
  }
};

TEST(StatGroup, CounterIsDeclaredOnce) {
  StatGroup group;
  group.AddCounter("reads", "values", "reads");
  EXPECT_THROW(group.AddCounter("reads", "values", "again"), std::logic_error);
  EXPECT_THROW(group.AddCounter("a.b", "values", "dots belong to instance names"), std::logic_error);
}

TEST(StatGroup, RatioIsComputedWhenReadAndZeroForZeroDenominator) {
  StatGroup group;
  Counter& busy = group.AddCounter("busy", "cycles", "");
  Counter& total = group.AddCounter("total", "cycles", "");
  const Formula& utilisation = group.AddRatio("utilisation", "", busy, total);
  EXPECT_EQ(utilisation.value(), 0.0);
  busy.Add(1);
  total.Add(4);
  EXPECT_DOUBLE_EQ(utilisation.value(), 0.25);  // 1 / 4
  EXPECT_EQ(utilisation.unit(), "cycles/cycles");
}

TEST(StatsTree, FindsCountersByInstanceNameAndRejectsDuplicates) {
  Fixture f;
  EXPECT_EQ(f.tree.Value("top.glb", "reads_Inputs"), 42u);
  EXPECT_EQ(f.tree.Value("top.pe_3_4.ifmap_spad", "fills_Weights"), 7u);
  EXPECT_THROW(f.tree.Value("top.glb", "nope"), std::out_of_range);
  EXPECT_THROW(f.tree.Register("top.glb", f.spad), std::logic_error);
  EXPECT_THROW(f.tree.Register("top..x", f.spad), std::logic_error);
  f.tree.ResetAll();
  EXPECT_EQ(f.tree.Value("top.glb", "reads_Inputs"), 0u);
}

TEST(StatsWriters, JsonAndTextAreRegisteredByName) {
  EXPECT_TRUE(StatsWriterRegistry::Has("json"));
  EXPECT_TRUE(StatsWriterRegistry::Has("text"));
}

TEST(StatsWriters, JsonIsHierarchicalByInstanceName) {
  Fixture f;
  std::ostringstream out;
  StatsWriterRegistry::Make("json")->Write(f.tree, out);
  const std::string json = out.str();
  // "top" → "pe_3_4" → "ifmap_spad" → "fills_Weights"; utilisation = 3 / 4.
  EXPECT_NE(json.find("\"pe_3_4\": {\n      \"ifmap_spad\": {\n        \"fills_Weights\": {"),
            std::string::npos)
      << json;
  EXPECT_NE(json.find("\"value\": 0.75"), std::string::npos) << json;
  EXPECT_NE(json.find("\"value\": 42"), std::string::npos) << json;
}

TEST(StatsWriters, JsonFileIsByteIdenticalForIdenticalRuns) {
  const std::string first = TempPath("first.json");
  const std::string second = TempPath("second.json");
  {
    Fixture f;
    WriteStatsFile(f.tree, "json", first);
  }
  {
    Fixture f;
    WriteStatsFile(f.tree, "json", second);
  }
  const std::string a = ReadFile(first);
  EXPECT_FALSE(a.empty());
  EXPECT_EQ(a, ReadFile(second));
  EXPECT_FALSE(std::filesystem::exists(first + ".tmp"));  // renamed into place, no leftovers
  std::filesystem::remove(first);
  std::filesystem::remove(second);
}

TEST(StatsWriters, TextHasOneLinePerStatWithUnitAndDescription) {
  Fixture f;
  std::ostringstream out;
  StatsWriterRegistry::Make("text")->Write(f.tree, out);
  const std::string text = out.str();
  EXPECT_NE(text.find("top.glb.reads_Inputs"), std::string::npos);
  EXPECT_NE(text.find("42  # values, Inputs read"), std::string::npos) << text;
  EXPECT_NE(text.find("0.750000"), std::string::npos) << text;
  // 4 stats in top.glb (3 counters + 1 formula) + 1 in the spad.
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 5);
}

TEST(StatsWriters, UnknownWriterIsASpecErrorAndWritesNothing) {
  Fixture f;
  const std::string path = TempPath("never.json");
  EXPECT_THROW(WriteStatsFile(f.tree, "yaml", path), SpecError);
  EXPECT_FALSE(std::filesystem::exists(path));
}

// An output that cannot be written is bad input (SpecError, exit status 2), not a stopped simulation
// (SimulationError is the watchdog's exit status 4): issue 15.
TEST(StatsWriters, UnwritableDirectoryIsASpecErrorAndLeavesNoFile) {
  Fixture f;
  // A directory cannot be created under a regular file, whoever runs the test (root included).
  const std::string blocker = ::testing::TempDir() + "cyclops_not_a_directory";
  std::ofstream(blocker) << "x";
  EXPECT_THROW(WriteStatsFile(f.tree, "json", blocker + "/stats.json"), SpecError);
  EXPECT_FALSE(std::ifstream(blocker + "/stats.json").good());
}

}  // namespace
}  // namespace cyclops::stats
