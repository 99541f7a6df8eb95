#include "sim/spec/energy_names.h"

#include <algorithm>

#include "sim/core/spelling.h"
#include "sim/spec/yaml_reader.h"

namespace cyclops::spec {

namespace {

// The component Cyclops prices NoC hops with (value-hops × `hop`, sim/cli/run_report).
const char* const kNocComponent = "noc";

// Actions Cyclops prices, per kind of component (sim/energy/energy_model.cpp, sim/cli/run_report.cpp).
const std::vector<std::string> kStorageActions = {"read", "write", "update", "leak"};
const std::vector<std::string> kComputeActions = {"compute", "mac_random", "leak"};
const std::vector<std::string> kNocActions = {"hop"};
// Accelergy actions Cyclops does not model: accepted, and noted.
const std::vector<std::string> kUnmodelledActions = {"idle",
                                                     "gated_read",
                                                     "gated_write",
                                                     "gated_update",
                                                     "skipped_read",
                                                     "skipped_write",
                                                     "skipped_update",
                                                     "metadata_read",
                                                     "metadata_write",
                                                     "metadata_update",
                                                     "gated_metadata_read",
                                                     "gated_metadata_write",
                                                     "decompression_count",
                                                     "compression_count",
                                                     "mac_reused",
                                                     "mac_gated",
                                                     "mac_skipped",
                                                     "gated_compute",
                                                     "skipped_compute"};

bool Contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

SourceLocation Find(const std::map<std::string, SourceLocation>& where, const std::string& name,
                    const SourceLocation& fallback) {
  auto it = where.find(name);
  return it == where.end() ? fallback : it->second;
}

std::string NearMiss(const std::string& wrong, const std::vector<std::string>& valid) {
  const auto closest = ClosestName(wrong, valid);
  return closest ? "; did you mean '" + *closest + "'?" : "";
}

}  // namespace

void CheckEnergyNames(const EnergyTable& table, const Architecture& architecture,
                      std::vector<std::string>& notes) {
  std::vector<std::string> storage_names, components;
  for (const StorageLevelSpec& level : architecture.storage)
    if (!level.is_dummy) storage_names.push_back(level.name);
  components = storage_names;
  components.push_back(architecture.arithmetic.name);
  components.push_back(kNocComponent);
  for (const auto& [component, actions] : table.components) {
    const SourceLocation component_where = Find(table.component_where, component, table.where);
    if (!Contains(components, component))
      throw SpecError(component_where,
                      "ERT component '" + component + "' matches no component of the architecture" +
                          NearMiss(component, components),
                      "components " + JoinNames(components));
    const std::vector<std::string>& modelled = component == kNocComponent                  ? kNocActions
                                               : component == architecture.arithmetic.name ? kComputeActions
                                                                                           : kStorageActions;
    const auto action_where = table.action_where.find(component);
    for (const auto& entry : actions) {
      const std::string& action = entry.first;
      if (Contains(modelled, action)) continue;
      const SourceLocation where = action_where == table.action_where.end()
                                       ? component_where
                                       : Find(action_where->second, action, component_where);
      if (!Contains(kUnmodelledActions, action))
        throw SpecError(where,
                        "ERT action '" + action + "' of " + component + " is not an action Cyclops counts" +
                            NearMiss(action, modelled),
                        "actions " + JoinNames(modelled) + " (Accelergy's others, e.g. idle, are read past)");
      notes.push_back("read but not used: ERT action '" + action + "' of " + component + " (" +
                      where.ToString() + "): Cyclops does not model it");
    }
  }
  for (const std::string& level : storage_names)
    if (!table.components.count(level))
      notes.push_back("the ERT has no entry for " + level + ": its energy counts as 0");
  if (!table.components.count(architecture.arithmetic.name))
    notes.push_back("the ERT has no entry for " + architecture.arithmetic.name + ": its energy counts as 0");
}

}  // namespace cyclops::spec
