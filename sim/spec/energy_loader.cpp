#include "sim/spec/energy_loader.h"

#include "sim/spec/value_checks.h"

namespace cyclops::spec {

namespace {
// "system_top_level.DRAM[1..1]" → "DRAM": Cyclops names components by their short name.
std::string ShortName(const std::string& full) {
  std::string name = full.substr(0, full.find('['));
  size_t dot = name.rfind('.');
  return dot == std::string::npos ? name : name.substr(dot + 1);
}
// `{name: value, ...}` on one line, as Accelergy's action counts quote an action's arguments.
std::string FlowMap(const YamlNode& map) {
  if (!map.IsMap()) return map.AsText();
  std::string text;
  for (const YamlNode::Entry& entry : map.Entries())
    text += (text.empty() ? "{" : ", ") + entry.key + ": " + FlowMap(entry.value);
  return text.empty() ? "{}" : text + "}";
}
}  // namespace

EnergyTable LoadEnergyTable(const YamlNode& ert) {
  ert.ExpectMap("an energy reference table {version, tables}");
  ert.CheckKeys({"version", "tables", "unit"});
  EnergyTable table;
  table.where = ert.Where();
  if (auto unit = ert.Find("unit")) {
    const std::string text = unit->AsString();
    if (text != "pJ" && text != "relative")
      unit->Fail("unknown energy unit '" + text + "'",
                 "pJ (Accelergy's, the default) or relative (one MAC = 1)");
    table.relative = text == "relative";
  }
  for (const YamlNode& component : ert.Require("tables").Items()) {
    component.ExpectMap("a table {name, actions}");
    component.CheckKeys({"name", "actions"});
    YamlNode name_node = component.Require("name");
    std::string name = ShortName(name_node.AsString());
    if (name.empty()) name_node.Fail("empty component name", "a name like 'system_top_level.DRAM[1..1]'");
    std::map<std::string, double>& actions = table.components[name];
    table.component_where.emplace(name, name_node.Where());
    table.full_names.emplace(name, name_node.AsString());
    for (const YamlNode& action : component.Require("actions").Items()) {
      action.ExpectMap("an action {name, arguments, energy}");
      action.CheckKeys({"name", "arguments", "energy"});
      const YamlNode action_name_node = action.Require("name");
      const std::string action_name = action_name_node.AsString();
      table.action_where[name].emplace(action_name, action_name_node.Where());
      const double energy = EnergyValue(action.Require("energy"), "energy");
      // Accelergy lists an action once per argument set; the first is the default one.
      if (!actions.emplace(action_name, energy).second) continue;
      auto arguments = action.Find("arguments");
      table.arguments[name][action_name] = arguments && !arguments->IsEmpty() ? FlowMap(*arguments) : "";
    }
  }
  return table;
}

}  // namespace cyclops::spec
