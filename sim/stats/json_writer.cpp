// "json": one object per instance-name segment, e.g. {"top": {"glb": {"reads": {"value": 3, ...}}}}, beside
// "schema": {"name": "cyclops.stats", "version": 1} (sim/core/output_schema.h).
// nlohmann::json objects keep keys sorted, so the output is deterministic.
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

#include "sim/core/output_schema.h"
#include "sim/stats/stats_writer.h"

namespace cyclops::stats {
namespace {

nlohmann::json& NodeAt(nlohmann::json& root, const std::string& path) {
  nlohmann::json* node = &root;
  std::istringstream segments(path);
  std::string segment;
  while (std::getline(segments, segment, '.')) node = &(*node)[segment];
  return *node;
}

void Put(nlohmann::json& node, const std::string& path, const std::string& name, nlohmann::json entry) {
  if (node.contains(name)) {
    throw std::logic_error("stats: '" + path + "." + name + "' is both a stat and an instance");
  }
  node[name] = std::move(entry);
}

class JsonStatsWriter : public StatsWriter {
 public:
  void Write(const StatsTree& tree, std::ostream& out) const override {
    nlohmann::json root = nlohmann::json::object();
    root["schema"] = {{"name", kStatsJsonSchema.name}, {"version", kStatsJsonSchema.version}};
    for (const auto& [path, group] : tree.groups()) {
      nlohmann::json& node = NodeAt(root, path);
      if (node.is_null()) node = nlohmann::json::object();
      for (const Counter& c : group->counters()) {
        Put(node, path, c.name(),
            {{"value", c.value()}, {"unit", c.unit()}, {"description", c.description()}});
      }
      for (const Formula& f : group->formulas()) {
        Put(node, path, f.name(),
            {{"value", f.value()}, {"unit", f.unit()}, {"description", f.description()}, {"derived", true}});
      }
    }
    out << root.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  }
};

}  // namespace

CYCLOPS_REGISTER_STATS_WRITER("json", JsonStatsWriter);

}  // namespace cyclops::stats
