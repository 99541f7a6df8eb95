#include "sim/spec/architecture_tree.h"

#include <charconv>

#include "sim/core/checked_math.h"

namespace cyclops::spec {

namespace {

const char* const kTags = "!Container, !Component, !Parallel, !Hierarchical, !Nothing";

// What a point in the tree inherits from the containers above it.
struct Context {
  int64_t instances = 1;
  int64_t mesh_x = 1;
  int64_t mesh_y = 1;
  std::map<std::string, YamlNode> attributes;
};

void MergeAttributes(const YamlNode& node, std::map<std::string, YamlNode>& into) {
  auto attributes = node.Find("attributes");
  if (!attributes) return;
  attributes->ExpectMap("a map of attributes");
  for (const YamlNode::Entry& entry : attributes->Entries()) into.insert_or_assign(entry.key, entry.value);
}

bool Enabled(const YamlNode& node) {
  auto enabled = node.Find("enabled");
  return !enabled || enabled->AsBool();
}

FlatComponent MakeComponent(const YamlNode& node, const Context& context) {
  FlatComponent component(node);
  component.name = node.Require("name").AsString();
  if (auto component_class = node.Find("class")) component.component_class = component_class->AsString();
  if (auto subclass = node.Find("subclass")) component.subclass = subclass->AsString();
  component.instances = context.instances;
  component.mesh_x = context.mesh_x;
  component.mesh_y = context.mesh_y;
  component.attributes = context.attributes;
  MergeAttributes(node, component.attributes);
  component.constraints = node.Find("constraints");
  component.sparse_optimizations = node.Find("sparse_optimizations");
  return component;
}

void FlattenNode(const YamlNode& node, Context& context, std::vector<FlatComponent>& out);

void FlattenNodeList(const YamlNode& list, Context& context, std::vector<FlatComponent>& out) {
  for (const YamlNode& item : list.Items()) FlattenNode(item, context, out);
}

void FlattenContainer(const YamlNode& node, Context& context, std::vector<FlatComponent>& out) {
  node.CheckKeys({"name", "attributes", "spatial", "constraints", "enabled"});
  std::string name = node.Require("name").AsString();
  MergeAttributes(node, context.attributes);
  int64_t fan_x = 1;
  int64_t fan_y = 1;
  if (auto spatial = node.Find("spatial")) {
    spatial->ExpectMap("a spatial fan-out {meshX, meshY}");
    spatial->CheckKeys({"meshX", "meshY"});
    if (auto x = spatial->Find("meshX")) fan_x = x->AsIntAtLeast(1);
    if (auto y = spatial->Find("meshY")) fan_y = y->AsIntAtLeast(1);
  }
  auto constraints = node.Find("constraints");
  const auto fan_out = CheckedMul(fan_x, fan_y);
  const auto instances = fan_out ? CheckedMul(context.instances, *fan_out) : std::nullopt;
  if (!instances)
    node.Fail("the instances of " + name + " (meshX × meshY × those above it) exceed 2^63",
              "meshX and meshY whose product with the fan-outs above stays below 2^63");
  if (*fan_out == 1) {
    if (constraints)
      constraints->Fail("constraints on a container without a spatial fan-out have no level to apply to",
                        "constraints on a container with spatial: {meshX: N} or on a component");
    return;
  }
  // Timeloop's front end models the fan-out point as a storage level that holds nothing.
  FlatComponent dummy(node);
  dummy.name = "inter_" + name + "_spatial";
  dummy.component_class = "dummy_storage";
  dummy.is_dummy = true;
  dummy.instances = context.instances;
  dummy.mesh_x = context.mesh_x;
  dummy.mesh_y = context.mesh_y;
  dummy.attributes = context.attributes;
  dummy.constraints = constraints;
  out.push_back(dummy);
  context.instances = *instances;
  context.mesh_x *= fan_x;  // each at most the instances
  context.mesh_y *= fan_y;
}

void FlattenNode(const YamlNode& node, Context& context, std::vector<FlatComponent>& out) {
  std::string tag = node.Tag();
  if (!node.IsMap()) node.Fail("expected a tagged architecture node, got " + node.Describe(), kTags);
  if (tag == "!Container") {
    if (Enabled(node)) FlattenContainer(node, context, out);
  } else if (tag == "!Component") {
    node.CheckKeys({"name", "class", "subclass", "attributes", "constraints", "required_actions", "enabled",
                    "area_share", "sparse_optimizations"});
    if (Enabled(node)) out.push_back(MakeComponent(node, context));
  } else if (tag == "!Parallel") {
    // Side-by-side components become consecutive levels; each branch sees the same fan-out.
    node.CheckKeys({"name", "nodes"});
    for (const YamlNode& branch : node.Require("nodes").Items()) {
      Context branch_context = context;
      FlattenNode(branch, branch_context, out);
    }
  } else if (tag == "!Hierarchical") {
    node.CheckKeys({"name", "nodes"});
    FlattenNodeList(node.Require("nodes"), context, out);
  } else if (tag == "!Nothing") {
    node.CheckKeys({"name", "constraints"});
  } else {
    node.Fail(tag.empty() ? "architecture node has no tag" : "unknown architecture node tag '" + tag + "'",
              kTags);
  }
}

// "ifmap_spad[1..168]" → ("ifmap_spad", 168); a name without a range counts 1 and no range.
std::pair<std::string, std::optional<int64_t>> SplitRange(const YamlNode& node, const std::string& text) {
  size_t open = text.find('[');
  if (open == std::string::npos) return {text, std::nullopt};
  size_t dots = text.find("..", open);
  size_t close = text.find(']', open);
  int64_t low = 0;
  int64_t high = -1;
  if (dots != std::string::npos && close == text.size() - 1 && dots < close) {
    std::string low_text = text.substr(open + 1, dots - open - 1);
    std::string high_text = text.substr(dots + 2, close - dots - 2);
    auto low_result = std::from_chars(low_text.data(), low_text.data() + low_text.size(), low);
    auto high_result = std::from_chars(high_text.data(), high_text.data() + high_text.size(), high);
    if (low_result.ec == std::errc() && high_result.ec == std::errc() && high >= low) {
      const auto span = CheckedAdd(high, -low);
      if (span && *span < INT64_MAX) return {text.substr(0, open), *span + 1};
    }
  }
  node.Fail("cannot read the instance range in '" + text + "'", "a name like 'buffer[1..16]' or 'buffer'");
}

void FlattenDumpedLocal(const YamlNode& node, const Context& context, std::vector<FlatComponent>& out) {
  node.ExpectMap("a component {name, class, attributes}");
  node.CheckKeys({"name", "class", "subclass", "attributes", "constraints", "required_actions", "enabled",
                  "area_share", "sparse_optimizations"});
  if (!Enabled(node)) return;
  FlatComponent component = MakeComponent(node, context);
  YamlNode name_node = node.Require("name");
  auto [name, count] = SplitRange(name_node, component.name);
  component.name = name;
  if (count) component.instances = *count;
  component.is_dummy = component.component_class == "dummy_storage";
  // The dump writes the mesh as attributes; without them the instances form one row (Timeloop's rule).
  auto mesh_attribute = [&](const char* key) -> std::optional<int64_t> {
    auto it = component.attributes.find(key);
    if (it == component.attributes.end() || it->second.IsNull()) return std::nullopt;
    return it->second.AsIntAtLeast(1);
  };
  std::optional<int64_t> mesh_x = mesh_attribute("meshX");
  std::optional<int64_t> mesh_y = mesh_attribute("meshY");
  for (const auto& [key, mesh] : {std::pair{"meshX", mesh_x}, std::pair{"meshY", mesh_y}})
    if (mesh && component.instances % *mesh != 0)
      component.attributes.at(key).Fail(std::string(key) + " " + std::to_string(*mesh) + " does not divide the " +
                                            std::to_string(component.instances) + " instances the name gives",
                                        "a divisor of the instance count");
  component.mesh_y = mesh_y.value_or(mesh_x ? component.instances / *mesh_x : 1);
  component.mesh_x = mesh_x.value_or(component.instances / component.mesh_y);
  const auto mesh = CheckedMul(component.mesh_x, component.mesh_y);
  if (!mesh || *mesh != component.instances)
    node.Fail("meshX × meshY = " + (mesh ? std::to_string(*mesh) : std::string("more than 2^63")) +
                  " but the name gives " + std::to_string(component.instances) + " instances",
              "meshX × meshY equal to the instance count");
  out.push_back(component);
}

void FlattenDumpedSubtree(const YamlNode& node, Context context, std::vector<FlatComponent>& out) {
  node.ExpectMap("a subtree {name, attributes, local, subtree}");
  node.CheckKeys({"name", "attributes", "local", "subtree"});
  if (auto name = node.Find("name")) {
    auto [base, count] = SplitRange(*name, name->AsString());
    if (count) {
      const auto instances = CheckedMul(context.instances, *count);
      if (!instances)
        name->Fail("the instances of this subtree exceed 2^63",
                   "instance ranges whose product stays below 2^63");
      context.instances = *instances;
    }
  }
  MergeAttributes(node, context.attributes);
  // Local components are outer to the nested subtrees (Timeloop v0.3 semantics).
  if (auto local = node.Find("local"))
    for (const YamlNode& item : local->Items()) FlattenDumpedLocal(item, context, out);
  if (auto subtree = node.Find("subtree"))
    for (const YamlNode& item : subtree->Items()) FlattenDumpedSubtree(item, context, out);
}

}  // namespace

std::vector<FlatComponent> FlattenArchitecture(const YamlNode& architecture) {
  architecture.ExpectMap("an architecture {version, nodes} or {version, subtree}");
  architecture.CheckKeys({"version", "nodes", "subtree", "local", "noc"});
  if (auto version = architecture.Find("version")) {
    std::string text = version->AsString();
    if (text != "0.4" && text != "0.3")
      version->Fail("unsupported architecture version '" + text + "'", "0.4 (or the 0.3 subtree form)");
  }
  std::vector<FlatComponent> components;
  Context context;
  auto nodes = architecture.Find("nodes");
  if (nodes && (architecture.Has("subtree") || architecture.Has("local")))
    nodes->Fail("give either 'nodes' or 'subtree'/'local', not both");
  if (nodes) {
    FlattenNodeList(*nodes, context, components);
  } else {
    if (!architecture.Has("subtree") && !architecture.Has("local"))
      architecture.Fail("the architecture has no components", "a 'nodes' list or a 'subtree' list");
    if (auto local = architecture.Find("local"))
      for (const YamlNode& item : local->Items()) FlattenDumpedLocal(item, context, components);
    if (auto subtree = architecture.Find("subtree"))
      for (const YamlNode& item : subtree->Items()) FlattenDumpedSubtree(item, context, components);
  }
  if (components.size() < 2)
    architecture.Fail("the architecture needs at least one storage level and an arithmetic unit",
                      "components outermost first, ending with the MAC");
  return components;
}

}  // namespace cyclops::spec
