#include "sim/energy/action_counts.h"

#include "sim/core/text_escape.h"
#include "sim/energy/energy_model.h"

namespace cyclops::energy {

namespace {

std::string FullName(const spec::EnergyTable& table, const std::string& name, int64_t instances) {
  auto it = table.full_names.find(name);
  if (it != table.full_names.end()) return it->second;
  return "system_top_level." + name + "[1.." + std::to_string(instances) + "]";
}

std::string Arguments(const spec::EnergyTable& table, const std::string& component,
                      const std::string& action) {
  auto it = table.arguments.find(component);
  if (it == table.arguments.end()) return "";
  auto arguments = it->second.find(action);
  return arguments == it->second.end() ? "" : arguments->second;
}

ActionCount Action(const spec::EnergyTable& table, const std::string& component, const std::string& action,
                   uint64_t counts) {
  return {action, Arguments(table, component, action), counts, table.Lookup(component, action).value_or(0)};
}

uint64_t Rows(const std::vector<std::vector<uint64_t>>& values, int64_t values_per_row) {
  const uint64_t per_row = static_cast<uint64_t>(std::max<int64_t>(1, values_per_row));
  uint64_t rows = 0;
  for (const std::vector<uint64_t>& instances : values)
    for (uint64_t count : instances) rows += (count + per_row - 1) / per_row;
  return rows;
}

}  // namespace

ActionCounts CountActions(const spec::Architecture& architecture, const spec::EnergyTable& table,
                          const std::vector<StorageActivity>& activity, uint64_t macs, uint64_t cycles) {
  ActionCounts counts;
  for (size_t level = architecture.storage.size(); level-- > 0;) {  // outermost first, as reports list them
    const spec::StorageLevelSpec& storage = architecture.storage[level];
    if (storage.is_dummy || level >= activity.size()) continue;
    const StorageActivity& done = activity[level];
    const int64_t per_row = LookupStorageEnergy(&table, storage).values_per_row;
    ComponentActionCounts component{FullName(table, storage.name, storage.instances), storage.name, {}};
    component.actions.push_back(Action(table, storage.name, "read", Rows(done.reads, per_row)));
    component.actions.push_back(Action(table, storage.name, "write", Rows(done.fills, per_row)));
    component.actions.push_back(Action(table, storage.name, "update", Rows(done.updates, per_row)));
    component.actions.push_back(
        Action(table, storage.name, "leak", static_cast<uint64_t>(done.used_instances) * cycles));
    counts.push_back(std::move(component));
  }
  const spec::ArithmeticSpec& mac = architecture.arithmetic;
  // The action LookupComputeEnergy prices: `compute`, else `mac_random`.
  const std::string compute =
      table.Lookup(mac.name, "compute") || !table.Lookup(mac.name, "mac_random") ? "compute" : "mac_random";
  counts.push_back(
      {FullName(table, mac.name, mac.instances), mac.name, {Action(table, mac.name, compute, macs)}});
  return counts;
}

double PriceActionCounts(const ActionCounts& counts) {
  double total = 0;
  for (const ComponentActionCounts& component : counts) {
    double component_energy = 0;
    for (const ActionCount& action : component.actions)
      component_energy = component_energy + action.energy_pj * static_cast<double>(action.counts);
    total += component_energy;
  }
  return total;
}

std::string ActionCountsYaml(const ActionCounts& counts) {
  std::string out = "action_counts:\n  version: '0.4'\n  local:\n";
  for (const ComponentActionCounts& component : counts) {
    out += "  - name: " + YamlBlockScalar(component.name) + "\n    action_counts:\n";
    for (const ActionCount& action : component.actions) {
      out += "    - name: " + YamlScalar(action.name) + "\n";
      out += "      arguments: " + (action.arguments.empty() ? std::string("null") : action.arguments) + "\n";
      out += "      counts: " + std::to_string(action.counts) + "\n";
    }
  }
  return out;
}

}  // namespace cyclops::energy
