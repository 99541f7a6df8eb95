#include "sim/spec/component_classes.h"

#include <algorithm>

namespace cyclops::spec {

namespace {

ComponentClassSpec LoadClass(const YamlNode& node) {
  node.ExpectMap("a compound component class {name, attributes, subcomponents, actions}");
  ComponentClassSpec component;
  component.where = node.Where();
  component.name = node.Require("name").AsString();
  for (const char* key : {"attributes", "subcomponents", "actions"})
    if (!node.Has(key))
      node.Fail("compound component class " + component.name + " has no '" + key + "'",
                "name, attributes, subcomponents and actions (Accelergy requires all four)");
  if (auto attributes = node.Find("attributes")) {
    attributes->ExpectMap("a map of attributes");
    for (const YamlNode::Entry& entry : attributes->Entries()) component.attributes.push_back(entry.key);
  }
  if (auto subcomponents = node.Find("subcomponents")) {
    for (const YamlNode& sub : subcomponents->Items()) {
      sub.ExpectMap("a subcomponent {name, class, attributes}");
      component.subcomponents.emplace_back(sub.Require("name").AsString(), sub.Require("class").AsString());
    }
  }
  if (auto actions = node.Find("actions")) {
    for (const YamlNode& action : actions->Items()) {
      action.ExpectMap("an action {name, subcomponents}");
      component.actions.push_back(action.Require("name").AsString());
    }
  }
  return component;
}

}  // namespace

std::vector<ComponentClassSpec> LoadComponentClasses(const std::vector<YamlNode>& nodes,
                                                     std::vector<SpecWarning>& warnings) {
  std::vector<ComponentClassSpec> classes;
  for (const YamlNode& node : nodes) {
    if (node.IsEmpty()) continue;
    node.ExpectMap("compound components {version, classes: [...]}");
    node.CheckKeys({"version", "classes"});
    if (auto version = node.Find("version")) {
      const std::string text = version->AsString();
      if (text != "0.4" && text != "0.3")
        version->Fail("unsupported compound_components version '" + text + "'", "0.4 (or 0.3)");
    }
    auto list = node.Find("classes");
    if (!list) continue;
    list->ExpectList("a list of compound component classes");
    for (const YamlNode& item : list->Items()) {
      ComponentClassSpec component = LoadClass(item);
      auto earlier = std::find_if(classes.begin(), classes.end(),
                                  [&](const ComponentClassSpec& c) { return c.name == component.name; });
      if (earlier == classes.end()) {
        classes.push_back(std::move(component));
        continue;
      }
      warnings.push_back({component.where,
                          "compound component class '" + component.name + "' is defined again (first at " +
                              earlier->where.ToString() + "); this definition replaces it, as in Accelergy",
                          ""});
      *earlier = std::move(component);
    }
  }
  return classes;
}

}  // namespace cyclops::spec
