// Timeloop's `mapper:` settings: what is read, what is noted, what is refused (with its location).
#include <gtest/gtest.h>

#include "sim/core/error.h"
#include "sim/spec/loader.h"
#include "tests/support/paths.h"

namespace cyclops::spec {
namespace {

std::string ErrorOf(const std::string& text) {
  try {
    LoadSpecDocuments({{"m.yaml", text}});
  } catch (const SpecError& error) {
    return error.what();
  }
  return "no error";
}

TEST(MapperLoaderTest, Tutorial05ExhaustiveSettings) {
  const Spec spec = LoadSpecFiles(
      {test::ReferenceDir() + "/timeloop/tutorial-05-mapper-conv1d+oc-3level/mapper/exhaustive.mapper.yaml"});
  ASSERT_TRUE(spec.mapper);
  // The file: optimization_metric: [delay, energy], num_threads 1, linear_pruned, victory 0, timeout 0.
  EXPECT_EQ(spec.mapper->metrics, (std::vector<std::string>{"delay", "energy"}));
  EXPECT_EQ(spec.mapper->num_threads, 1);
  EXPECT_EQ(spec.mapper->algorithm, "linear_pruned");
  EXPECT_EQ(spec.mapper->victory_condition, 0);
  EXPECT_EQ(spec.mapper->timeout, 0);
  EXPECT_FALSE(spec.mapper->search_size);
  EXPECT_EQ(spec.mapper->algorithm_where.line, 5);
}

TEST(MapperLoaderTest, FrontEndDumpWithBothMetricKeys) {
  // Timeloop's front end writes `optimization_metrics: [...]` and an empty `optimization_metric: []`.
  const Spec spec = LoadSpecDocuments(
      {{"m.yaml",
        "mapper:\n  optimization_metrics: [edp]\n  optimization_metric: []\n  search_size: null\n"
        "  log_stats: true\n  live_status: false\n"}});
  EXPECT_EQ(spec.mapper->metrics, std::vector<std::string>{"edp"});
  EXPECT_FALSE(spec.mapper->search_size);
  ASSERT_EQ(spec.notes.size(), 1u);
  EXPECT_EQ(spec.notes[0].find("live_status"), std::string::npos) << "a knob at its default is not noted";
  EXPECT_NE(spec.notes[0].find("not used by Cyclops (m.yaml:2:3): log_stats"), std::string::npos)
      << spec.notes[0];
}

TEST(MapperLoaderTest, BadSettingsAreLocatedErrors) {
  const std::string metric = ErrorOf("mapper:\n  optimization_metrics: [delay, throughput]\n");
  EXPECT_NE(metric.find("m.yaml:2:33"), std::string::npos) << metric;
  EXPECT_NE(metric.find("unknown optimization metric 'throughput'"), std::string::npos) << metric;
  const std::string key = ErrorOf("mapper:\n  victory_conditon: 10\n");
  EXPECT_NE(key.find("m.yaml:2:3"), std::string::npos) << key;
  EXPECT_NE(key.find("unknown key 'victory_conditon'"), std::string::npos) << key;
  const std::string algorithm = ErrorOf("mapper:\n  algorithm: simulated_annealing\n");
  EXPECT_NE(algorithm.find("unknown mapper algorithm"), std::string::npos) << algorithm;
  EXPECT_NE(ErrorOf("mapper:\n  timeout: -1\n").find("m.yaml:2:12"), std::string::npos);
}

}  // namespace
}  // namespace cyclops::spec
