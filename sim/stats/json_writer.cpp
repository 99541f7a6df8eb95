// "json": one object per instance-name segment, e.g. {"top": {"glb": {"reads": {"value": 3, ...}}}}, beside
// "schema": {"name": "cyclops.stats", "version": 1} (sim/core/output_schema.h). Keys sorted at every level,
// indented by two: the bytes nlohmann::json's dump(2) gives for the same tree, written straight into one
// string (a 16,384-PE run's stats.json is ~95 MB; a json tree of it took several times that).
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

#include "sim/core/output_schema.h"
#include "sim/stats/stats_writer.h"

namespace cyclops::stats {
namespace {

// The instance-name tree: per key an instance (a node) or a stat filed there.
struct Node;
struct Entry {
  std::unique_ptr<Node> node;
  const Counter* counter = nullptr;
  const Formula* formula = nullptr;
  bool schema = false;
};
struct Node {
  std::map<std::string, Entry> entries;  // std::string order, as nlohmann::json's objects
};

Node& NodeAt(Node& root, const std::string& path) {
  Node* node = &root;
  std::istringstream segments(path);
  std::string segment;
  while (std::getline(segments, segment, '.')) {
    Entry& entry = node->entries[segment];
    if (entry.counter || entry.formula || entry.schema)
      throw std::logic_error("stats: '" + path + "' is both a stat and an instance");
    if (!entry.node) entry.node = std::make_unique<Node>();
    node = entry.node.get();
  }
  return *node;
}

Entry& Put(Node& node, const std::string& path, const std::string& name) {
  Entry& entry = node.entries[name];
  if (entry.node || entry.counter || entry.formula || entry.schema)
    throw std::logic_error("stats: '" + path + "." + name + "' is both a stat and an instance");
  return entry;
}

// Scalars as nlohmann::json writes them (its escaping, its shortest round-trip doubles, null for NaN).
void AppendScalar(std::string& out, const nlohmann::json& value) {
  out += value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// {"k": v, ...} with `fields` in key order, the object's own lines at `indent`.
void AppendObject(std::string& out, int indent,
                  const std::vector<std::pair<const char*, nlohmann::json>>& fields) {
  out += "{\n";
  for (size_t i = 0; i < fields.size(); ++i) {
    out.append(static_cast<size_t>(indent) + 2, ' ');
    out += '"';
    out += fields[i].first;
    out += "\": ";
    AppendScalar(out, fields[i].second);
    out += i + 1 < fields.size() ? ",\n" : "\n";
  }
  out.append(static_cast<size_t>(indent), ' ');
  out += '}';
}

void AppendEntry(std::string& out, int indent, const Entry& entry);

void AppendNode(std::string& out, int indent, const Node& node) {
  if (node.entries.empty()) {
    out += "{}";
    return;
  }
  out += "{\n";
  size_t left = node.entries.size();
  for (const auto& [key, entry] : node.entries) {
    out.append(static_cast<size_t>(indent) + 2, ' ');
    AppendScalar(out, key);
    out += ": ";
    AppendEntry(out, indent + 2, entry);
    out += --left > 0 ? ",\n" : "\n";
  }
  out.append(static_cast<size_t>(indent), ' ');
  out += '}';
}

void AppendEntry(std::string& out, int indent, const Entry& entry) {
  if (entry.node) {
    AppendNode(out, indent, *entry.node);
  } else if (entry.counter) {
    const Counter& c = *entry.counter;
    AppendObject(out, indent, {{"description", c.description()}, {"unit", c.unit()}, {"value", c.value()}});
  } else if (entry.formula) {
    const Formula& f = *entry.formula;
    AppendObject(
        out, indent,
        {{"derived", true}, {"description", f.description()}, {"unit", f.unit()}, {"value", f.value()}});
  } else {
    AppendObject(out, indent, {{"name", kStatsJsonSchema.name}, {"version", kStatsJsonSchema.version}});
  }
}

class JsonStatsWriter : public StatsWriter {
 public:
  std::string Render(const StatsTree& tree) const override {
    Node root;
    root.entries["schema"].schema = true;
    for (const auto& [path, group] : tree.groups()) {
      Node& node = NodeAt(root, path);
      for (const Counter& c : group->counters()) Put(node, path, c.name()).counter = &c;
      for (const Formula& f : group->formulas()) Put(node, path, f.name()).formula = &f;
    }
    std::string out;
    AppendNode(out, 0, root);
    out += '\n';
    return out;
  }
  void Write(const StatsTree& tree, std::ostream& out) const override { out << Render(tree); }
};

}  // namespace

CYCLOPS_REGISTER_STATS_WRITER("json", JsonStatsWriter);

}  // namespace cyclops::stats
