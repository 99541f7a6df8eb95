// The json stats writer renders the instance-name tree itself, without building a nlohmann::json tree
// (a 16,384-PE run's tree cost several times its 95 MB text). The oracle here is that tree, built the way
// the writer used to build it and dumped by nlohmann::json: the bytes must be the same, on names that
// sort differently by segment than by whole path ("a-b" before "a.b"), escapes, UTF-8 (valid and not),
// doubles nlohmann prints in its own shortest form, NaN, and the largest counter.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

#include "sim/core/output_schema.h"
#include "sim/stats/stats_tree.h"
#include "sim/stats/stats_writer.h"

namespace cyclops::stats {
namespace {

std::string Oracle(const StatsTree& tree) {
  nlohmann::json root = nlohmann::json::object();
  root["schema"] = {{"name", kStatsJsonSchema.name}, {"version", kStatsJsonSchema.version}};
  for (const auto& [path, group] : tree.groups()) {
    nlohmann::json* node = &root;
    std::istringstream segments(path);
    for (std::string segment; std::getline(segments, segment, '.');) node = &(*node)[segment];
    if (node->is_null()) *node = nlohmann::json::object();
    for (const Counter& c : group->counters())
      (*node)[c.name()] = {{"value", c.value()}, {"unit", c.unit()}, {"description", c.description()}};
    for (const Formula& f : group->formulas())
      (*node)[f.name()] = {
          {"value", f.value()}, {"unit", f.unit()}, {"description", f.description()}, {"derived", true}};
  }
  return root.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

TEST(JsonStatsWriter, WritesTheBytesNlohmannWritesForTheSameTree) {
  StatsTree tree;
  StatGroup& a = tree.Create("accelerator.cluster[3].pe[7].ifmap_spad");
  a.AddCounter("reads_Inputs", "values", "Inputs \"read\"\n\tby the MACs\x01").Add(42);
  a.AddCounter("max", "values", "the largest count").Add(std::numeric_limits<uint64_t>::max());
  Counter& busy = a.AddCounter("busy_cycles", "cycles", "caf\xc3\xa9 and a bad byte \xff");
  busy.Add(1);
  Counter& cycles = a.AddCounter("cycles", "cycles", "");
  cycles.Add(3);
  a.AddRatio("utilisation", "busy / cycles", busy, cycles);  // 0.333..., nlohmann's shortest form
  a.AddFormula("tiny", "pJ", "small", [] { return 1e-5; });
  a.AddFormula("huge", "pJ", "large", [] { return 1.5e300; });
  a.AddFormula("round", "pJ", "integral", [] { return 2.0; });
  a.AddFormula("nan", "", "not a number", [] { return std::nan(""); });
  tree.Create("accelerator.cluster[3]").AddCounter("fills", "values", "").Add(0);
  tree.Create("accelerator.a-b").AddCounter("x", "", "").Add(1);  // '-' sorts before '.'
  tree.Create("accelerator.a.b").AddCounter("y", "", "").Add(2);
  tree.Create("accelerator.zeta").AddCounter("z", "", "");
  tree.Create("accelerator.\xce\xbb").AddCounter("lambda", "", "").Add(5);
  tree.Create("DRAM").AddCounter("reads", "values", "from below \\ and above").Add(9);
  tree.Create("empty");  // a group with nothing in it: an empty object
  EXPECT_EQ(RenderStats(tree, "json"), Oracle(tree));
  std::ostringstream streamed;
  StatsWriterRegistry::Make("json")->Write(tree, streamed);
  EXPECT_EQ(streamed.str(), Oracle(tree));
}

TEST(JsonStatsWriter, AStatNamedLikeAnInstanceIsAProgrammingError) {
  StatsTree stat_first;
  stat_first.Create("top").AddCounter("glb", "", "");
  stat_first.Create("top.glb").AddCounter("reads", "", "");
  EXPECT_THROW(RenderStats(stat_first, "json"), std::logic_error);
  StatsTree schema;
  schema.Create("schema").AddCounter("x", "", "");  // the root's "schema" key is taken
  EXPECT_THROW(RenderStats(schema, "json"), std::logic_error);
}

}  // namespace
}  // namespace cyclops::stats
