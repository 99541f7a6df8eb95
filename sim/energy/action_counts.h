// Accelergy's action counts (`action_counts: {version, local: [{name, action_counts: [{name, arguments,
// counts}]}]}`), counted the way Cyclops prices energy, so that Accelergy's own computation — for each
// component, counts × the ERT's energy of that action — gives Cyclops' energy:
//  - components are named as the ERT names them (`system_top_level.DRAM[1..1]`, not `DRAM`);
//  - storage actions are vector actions: the ERT prices one row (block_size values), and a level pays
//    ceil(values ÷ values per row) rows per action, data space and instance (energy_model.h), so the
//    count of `read` is that sum of rows, not the number of values;
//  - `leak` counts instance-cycles of the instances the mapping uses; MACs count `compute`;
//  - `arguments` are those of the ERT entry the energy was taken from (null when it has none; Accelergy
//    then prices the first entry, as Cyclops does).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/spec/specs.h"

namespace cyclops::energy {

struct ActionCount {
  std::string name;       // read, write, update, leak, compute
  std::string arguments;  // one-line YAML map, empty for none
  uint64_t counts = 0;
  double energy_pj = 0;  // the ERT energy of one such action (0 when the table has none)
};

struct ComponentActionCounts {
  std::string name;        // as the ERT writes it
  std::string short_name;  // the architecture's component name
  std::vector<ActionCount> actions;
};

using ActionCounts = std::vector<ComponentActionCounts>;

// What one storage level did, values per data space and instance ([data space][instance]).
struct StorageActivity {
  std::vector<std::vector<uint64_t>> reads, fills, updates;
  int64_t used_instances = 0;  // instances that hold anything: they leak
};

// `activity` is indexed like Architecture::storage; `cycles` is the run's length (for leakage).
ActionCounts CountActions(const spec::Architecture& architecture, const spec::EnergyTable& table,
                          const std::vector<StorageActivity>& activity, uint64_t macs, uint64_t cycles);

// Accelergy's energy calculation over the counts (energy_calculator.py): per component the sum of
// energy × counts in the order listed, then the sum over components, in pJ.
double PriceActionCounts(const ActionCounts& counts);

std::string ActionCountsYaml(const ActionCounts& counts);

}  // namespace cyclops::energy
