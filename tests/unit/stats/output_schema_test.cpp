// Every JSON output names its schema and version (README, "Output files and their schemas"): stats.json
// here, analysis.json in tests/unit/analysis, network.json in tests/unit/network.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "sim/stats/stats_tree.h"
#include "sim/stats/stats_writer.h"

namespace cyclops::stats {
namespace {

TEST(OutputSchema, StatsJsonNamesItsSchemaBesideTheInstances) {
  StatGroup glb;
  glb.AddCounter("reads", "values", "reads").Add(3);
  StatsTree tree;
  tree.Register("top.glb", glb);
  std::ostringstream out;
  StatsWriterRegistry::Make("json")->Write(tree, out);
  const nlohmann::json json = nlohmann::json::parse(out.str());
  EXPECT_EQ(json["schema"]["name"], "cyclops.stats");
  EXPECT_EQ(json["schema"]["version"], 1);
  EXPECT_EQ(json["top"]["glb"]["reads"]["value"], 3);
}

}  // namespace
}  // namespace cyclops::stats
