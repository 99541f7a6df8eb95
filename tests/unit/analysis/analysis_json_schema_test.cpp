// analysis.json names its schema and version first (README, "Output files and their schemas").
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "sim/analysis/analysis.h"
#include "sim/analysis/analysis_writer.h"
#include "sim/spec/loader.h"
#include "tests/support/paths.h"

namespace cyclops::analysis {
namespace {

TEST(OutputSchema, AnalysisJsonNamesItsSchemaFirst) {
  const std::string e = test::SourceDir() + "/configs/examples/eyeriss_like/";
  const spec::Spec spec =
      spec::LoadSpecFiles({e + "arch.yaml", e + "conv_layer.yaml", e + "mapping.yaml", e + "ERT.yaml"});
  const analysis::AnalysisResult result =
      analysis::Analyze(*spec.architecture, *spec.workload, *spec.mapping, &*spec.energy);
  const std::string text = analysis::AnalysisJson(*spec.architecture, *spec.workload, result);
  const nlohmann::ordered_json json = nlohmann::ordered_json::parse(text);
  EXPECT_EQ(json.begin().key(), "schema");
  EXPECT_EQ(json["schema"]["name"], "cyclops.analysis");
  EXPECT_EQ(json["schema"]["version"], 1);
}

}  // namespace
}  // namespace cyclops::analysis
