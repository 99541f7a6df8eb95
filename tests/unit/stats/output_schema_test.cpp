// Every JSON output names its schema and version (README, "Output files and their schemas"): stats.json and
// analysis.json here, network.json in tests/unit/network.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "sim/analysis/analysis.h"
#include "sim/spec/loader.h"
#include "sim/stats/analysis_writer.h"
#include "sim/stats/stats_tree.h"
#include "sim/stats/stats_writer.h"
#include "tests/support/paths.h"

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

TEST(OutputSchema, AnalysisJsonNamesItsSchemaFirst) {
  const std::string e = test::SourceDir() + "/configs/examples/eyeriss_like/";
  const spec::Spec spec =
      spec::LoadSpecFiles({e + "arch.yaml", e + "conv_layer.yaml", e + "mapping.yaml", e + "ERT.yaml"});
  const analysis::AnalysisResult result =
      analysis::Analyze(*spec.architecture, *spec.workload, *spec.mapping, &*spec.energy);
  const std::string text = AnalysisJson(*spec.architecture, *spec.workload, result);
  const nlohmann::ordered_json json = nlohmann::ordered_json::parse(text);
  EXPECT_EQ(json.begin().key(), "schema");
  EXPECT_EQ(json["schema"]["name"], "cyclops.analysis");
  EXPECT_EQ(json["schema"]["version"], 1);
}

}  // namespace
}  // namespace cyclops::stats
