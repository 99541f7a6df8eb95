// Timeloop's mapper settings as Cyclops' search honours them (sim/mapping/mapper.h): metrics compared in
// order, search_size as a budget of valid mappings, timeout and victory_condition per stream. The
// expectations follow from Timeloop's definitions (applications/mapper/mapper-thread.cpp), not from runs.
#include <gtest/gtest.h>

#include "sim/mapping/mapper.h"
#include "sim/spec/loader.h"
#include "tests/support/paths.h"

namespace cyclops::mapping {
namespace {

// tutorial-05 with no constraints: a small mapspace where many samples overflow the 64-entry register
// file (invalid) and the rest are valid.
spec::Spec Tutorial05() {
  const std::string base = test::ReferenceDir() + "/timeloop/tutorial-05-mapper-conv1d+oc-3level/";
  return spec::LoadSpecFiles({base + "arch/3level.arch.yaml", base + "prob/conv1d+oc.prob.yaml",
                              base + "ref-output/baked/timeloop-mapper.ERT.yaml"});
}

MapperResult SearchWith(const spec::Spec& spec, MapperOptions options) {
  return SearchMappings(*spec.architecture, *spec.workload, &*spec.energy, options);
}

TEST(MapperOptionsTest, MetricNames) {
  EXPECT_EQ(ParseMetrics({"delay", "energy"}, 3),
            (std::vector<Metric>{{Metric::Kind::kDelay}, {Metric::Kind::kEnergy}}));
  // ordered_accesses: every storage level's accesses, outermost first.
  EXPECT_EQ(ParseMetrics({"ordered_accesses"}, 3),
            (std::vector<Metric>{
                {Metric::Kind::kAccesses, 2}, {Metric::Kind::kAccesses, 1}, {Metric::Kind::kAccesses, 0}}));
  EXPECT_EQ(ParseMetrics({"accesses-1"}, 3), (std::vector<Metric>{{Metric::Kind::kAccesses, 1}}));
  EXPECT_THROW(ParseMetrics({"accesses-3"}, 3), std::invalid_argument);
  EXPECT_THROW(ParseMetrics({"throughput"}, 3), std::invalid_argument);
}

TEST(MapperOptionsTest, MetricsCompareInOrder) {
  const spec::Spec spec = Tutorial05();
  MapperOptions delay_first;
  delay_first.evaluations = 3000;
  delay_first.metrics = ParseMetrics({"delay", "energy"}, 3);
  MapperOptions energy_first = delay_first;
  energy_first.metrics = ParseMetrics({"energy", "delay"}, 3);
  const MapperResult by_delay = SearchWith(spec, delay_first), by_energy = SearchWith(spec, energy_first);
  ASSERT_FALSE(by_delay.best.empty());
  ASSERT_FALSE(by_energy.best.empty());
  // Each list is sorted by its first metric, ties by the second.
  for (const MapperResult* result : {&by_delay, &by_energy})
    for (size_t i = 1; i < result->best.size(); ++i)
      EXPECT_LE(result->best[i - 1].scores, result->best[i].scores);
  const analysis::AnalysisResult& d = by_delay.best.front().result;
  const analysis::AnalysisResult& e = by_energy.best.front().result;
  EXPECT_LE(d.cycles, e.cycles);
  EXPECT_LE(e.energy_pj, d.energy_pj);
  EXPECT_EQ(by_delay.best.front().scores, (std::vector<double>{static_cast<double>(d.cycles), d.energy_pj}));
  // last_level_accesses counts the outermost level's reads + fills + updates over its instances.
  const Metric last{Metric::Kind::kLastLevelAccesses};
  int64_t accesses = 0;
  for (const analysis::DataSpaceAccesses& c : d.storage.back().data_spaces)
    accesses += (c.reads + c.fills + c.updates) * c.utilized_instances;
  EXPECT_EQ(MetricValue(last, d), static_cast<double>(accesses));
}

TEST(MapperOptionsTest, SearchSizeIsTheNumberOfValidMappings) {
  const spec::Spec spec = Tutorial05();
  MapperOptions options;
  options.evaluations = 100000;
  options.search_size = 500;
  const MapperResult result = SearchWith(spec, options);
  EXPECT_EQ(result.valid, 500);
  EXPECT_GT(result.evaluated, 500);  // invalid samples do not count
  EXPECT_EQ(result.streams_done_by_search_size, 16);
}

TEST(MapperOptionsTest, TimeoutZeroStopsAtTheFirstInvalidMapping) {
  // Timeloop: a thread stops once invalid mappings since the last valid one reach `timeout` (and are
  // more than none), so 0 stops it at the first invalid mapping.
  const spec::Spec spec = Tutorial05();
  MapperOptions options;
  options.evaluations = 20000;
  options.timeout = 0;
  const MapperResult result = SearchWith(spec, options);
  EXPECT_EQ(result.streams_done_by_timeout, 16);
  EXPECT_LT(result.evaluated, 20000);
  // Every stream's last evaluated sample was its only invalid one (fan-out failures are not evaluated).
  EXPECT_LE(result.evaluated - result.valid, 16);
  options.timeout = 1000000;  // never reached: the budget ends every stream
  EXPECT_EQ(SearchWith(spec, options).streams_done_by_budget, 16);
}

TEST(MapperOptionsTest, VictoryConditionEndsAStreamThatStopsImproving) {
  const spec::Spec spec = Tutorial05();
  MapperOptions options;
  options.evaluations = 200000;
  options.victory_condition = 50;
  const MapperResult result = SearchWith(spec, options);
  EXPECT_EQ(result.streams_done_by_victory, 16);
  EXPECT_LT(result.evaluated, 200000);
  // At least 50 valid mappings per stream: the 50 that did not improve on its best.
  EXPECT_GE(result.valid, 16 * 50);
}

TEST(MapperOptionsTest, SameResultWhateverTheThreadsWithTheLimits) {
  const spec::Spec spec = Tutorial05();
  MapperOptions options;
  options.evaluations = 5000;
  options.metrics = ParseMetrics({"delay", "energy"}, 3);
  options.victory_condition = 100;
  options.timeout = 50;
  options.threads = 1;
  const MapperResult one = SearchWith(spec, options);
  options.threads = 3;
  const MapperResult three = SearchWith(spec, options);
  ASSERT_FALSE(one.best.empty());
  EXPECT_EQ(one.best.front().key, three.best.front().key);
  EXPECT_EQ(one.evaluated, three.evaluated);
  EXPECT_EQ(one.valid, three.valid);
}

}  // namespace
}  // namespace cyclops::mapping
