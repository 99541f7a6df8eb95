#include "sim/spec/mapper_loader.h"

#include <algorithm>
#include <cctype>

namespace cyclops::spec {

namespace {

// Timeloop's metrics (applications/mapper/mapper-thread.cpp Cost()): `accesses-N` is level N's
// accesses (0 innermost) and `ordered_accesses` expands to them outermost first.
bool ValidMetric(const std::string& name) {
  if (name == "delay" || name == "energy" || name == "edp" || name == "last_level_accesses" ||
      name == "ordered_accesses")
    return true;
  const std::string prefix = "accesses-";
  if (name.rfind(prefix, 0) != 0 || name.size() == prefix.size()) return false;
  return std::all_of(name.begin() + prefix.size(), name.end(),
                     [](unsigned char c) { return std::isdigit(c); });
}

const char* const kMetrics = "delay, energy, edp, last_level_accesses, accesses-N, ordered_accesses";

// Timeloop's mapper keys that change only its logging or its own search internals, with their default
// values as Timeloop's front end writes them (timeloopfe v4 mapper.py): only a key set to something else
// is worth a note.
const std::vector<std::pair<std::string, std::string>> kNotHonoured = {
    {"out_prefix", "timeloop-mapper"},
    {"sync_interval", "0"},
    {"log_interval", "1"},
    {"log_oaves", "false"},
    {"log_oave_mappings", "false"},
    {"log_oaves_mappings", "false"},
    {"log_all_mappings", "false"},
    {"log_mappings_yaml", "false"},
    {"log_mappings_verbose", "false"},
    {"log_orojenesis_mappings", "false"},
    {"log_stats", "false"},
    {"log_suboptimal", "false"},
    {"log_all", "false"},
    {"live_status", "false"},
    {"diagnostics", "false"},
    {"penalize_consecutive_bypass_fails", "false"},
    {"emit_whoop_nest", "false"},
    {"max_temporal_loops_in_a_mapping", "-1"},
    {"filter_revisits", "false"},
    {"max_permutations_per_if_visit", "16"},
    {"heartbeat", ""}};

bool IsDefault(const YamlNode& value, const std::string& default_value) {
  if (value.IsNull()) return true;
  std::string text = value.AsText();
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text == default_value;
}

std::optional<int64_t> ReadCount(const YamlNode& node, const char* key) {
  auto value = node.Find(key);  // null (Timeloop's front end writes `search_size: null`) = not given
  if (!value) return std::nullopt;
  return value->AsIntAtLeast(0);
}

}  // namespace

MapperSpec LoadMapperSpec(const YamlNode& node, std::vector<std::string>& notes) {
  node.ExpectMap("mapper settings {optimization_metrics, search_size, timeout, victory_condition, ...}");
  std::vector<std::string> keys = {"version", "optimization_metric", "optimization_metrics", "search_size",
                                   "timeout", "victory_condition",   "num_threads",          "algorithm"};
  for (const auto& [key, default_value] : kNotHonoured) keys.push_back(key);
  node.CheckKeys(keys);
  MapperSpec mapper;
  mapper.where = node.Where();
  if (auto version = node.Find("version")) {
    const std::string text = version->AsString();
    if (text != "0.4" && text != "0.3") version->Fail("unsupported mapper version '" + text + "'", "0.4");
  }
  // Timeloop's front end writes both keys, one of them empty (`optimization_metric: []`).
  auto given = [&](const char* key) {
    auto value = node.Find(key);
    return value && !value->IsEmpty() ? value : std::nullopt;
  };
  auto one = given("optimization_metric");
  auto several = given("optimization_metrics");
  if (one && several)
    several->Fail("give 'optimization_metric' or 'optimization_metrics', not both",
                  "optimization_metrics: [...]");
  if (auto metrics = one ? one : several) {
    mapper.metrics_where = metrics->Where();
    const std::vector<YamlNode> items =
        metrics->IsScalar() ? std::vector<YamlNode>{*metrics} : metrics->Items();
    for (const YamlNode& item : items) {
      const std::string name = item.AsString();
      if (!ValidMetric(name)) item.Fail("unknown optimization metric '" + name + "'", kMetrics);
      if (std::count(mapper.metrics.begin(), mapper.metrics.end(), name))
        item.Fail("metric '" + name + "' is listed twice", "each metric once");
      mapper.metrics.push_back(name);
    }
  }
  mapper.search_size = ReadCount(node, "search_size");
  mapper.timeout = ReadCount(node, "timeout");
  mapper.victory_condition = ReadCount(node, "victory_condition");
  if (auto threads = node.Find("num_threads")) mapper.num_threads = threads->AsIntAtLeast(1);
  if (auto algorithm = node.Find("algorithm")) {
    mapper.algorithm = algorithm->AsString();
    mapper.algorithm_where = algorithm->Where();
    const std::vector<std::string> known = {
        "random", "random_pruned", "random-pruned", "linear_pruned", "linear-pruned", "exhaustive", "hybrid"};
    if (std::find(known.begin(), known.end(), mapper.algorithm) == known.end())
      algorithm->Fail("unknown mapper algorithm '" + mapper.algorithm + "'", JoinNames(known));
  }
  std::vector<std::string> unused;
  for (const YamlNode::Entry& entry : node.Entries())
    for (const auto& [key, default_value] : kNotHonoured)
      if (entry.key == key && !IsDefault(entry.value, default_value)) unused.push_back(entry.key);
  if (!unused.empty())
    notes.push_back("mapper settings not used by Cyclops (" + node.Where().ToString() +
                    "): " + JoinNames(unused) +
                    " (Timeloop's logging and search-internal knobs, set away from their defaults)");
  return mapper;
}

}  // namespace cyclops::spec
