#include "sim/cli/timeloop_outputs.h"

#include <iostream>

#include "sim/top/run_summary.h"
#include "sim/core/atomic_file.h"
#include "sim/energy/energy_model.h"
#include "sim/analysis/timeloop_report.h"

namespace cyclops::cli {

stats::TimeloopStats SimulatedTimeloopStats(const spec::Spec& spec, const analysis::AnalysisResult& analysis,
                                            const top::SimulationResult& simulation) {
  const spec::Architecture& architecture = *spec.architecture;
  const spec::EnergyTable* table = spec.energy ? &*spec.energy : nullptr;
  stats::TimeloopStats s =
      analysis::TimeloopStatsOf(architecture, *spec.workload, *spec.mapping, analysis, table);
  const energy::ActionCounts counts = top::SimulatedActionCounts(spec, analysis, simulation);
  auto component_energy = [&](const std::string& name) {
    for (const energy::ComponentActionCounts& component : counts)
      if (component.short_name == name) return energy::PriceActionCounts({component});
    return 0.0;
  };
  auto leakage = [&](const std::string& name) {
    for (const energy::ComponentActionCounts& component : counts)
      if (component.short_name == name)
        for (const energy::ActionCount& action : component.actions)
          if (action.name == "leak") return action.energy_pj * static_cast<double>(action.counts);
    return 0.0;
  };
  const double cycles = static_cast<double>(simulation.cycles);
  s.arithmetic_computes = static_cast<int64_t>(simulation.macs);
  s.arithmetic_cycles = static_cast<int64_t>(simulation.cycles);
  s.arithmetic_energy_pj = component_energy(architecture.arithmetic.name);
  for (stats::TimeloopLevelStats& level : s.levels) {
    const int index = architecture.StorageIndex(level.name);
    const spec::StorageLevelSpec& storage = architecture.storage[index];
    const energy::StorageEnergy costs = energy::LookupStorageEnergy(table, storage);
    level.cycles = static_cast<int64_t>(simulation.cycles);
    level.leakage_energy_pj = leakage(level.name);
    for (stats::TimeloopDataSpaceStats& d : level.data_spaces) {
      const top::SimulatedAccesses& a = simulation.accesses[index][spec.workload->DataSpaceIndex(d.name)];
      const int64_t instances = std::max<int64_t>(1, a.instances);
      d.utilized_instances = a.instances;
      d.reads = static_cast<int64_t>(a.reads) / instances;
      d.fills = static_cast<int64_t>(a.fills) / instances;
      d.updates = static_cast<int64_t>(a.updates) / instances;
      double total = 0;
      for (size_t i = 0; i < a.instance_reads.size(); ++i)
        total += energy::AccessEnergy(costs, static_cast<int64_t>(a.instance_reads[i]),
                                      static_cast<int64_t>(a.instance_fills[i]),
                                      static_cast<int64_t>(a.instance_updates[i]));
      d.energy_total_pj = total;
      d.energy_per_instance_pj = total / static_cast<double>(instances);
      const int64_t accesses = d.reads + d.fills + d.updates;
      d.energy_per_scalar_access_pj =
          accesses > 0 ? d.energy_per_instance_pj / static_cast<double>(accesses) : 0;
      d.read_bandwidth = static_cast<double>(d.reads) / cycles;
      d.write_bandwidth = static_cast<double>(d.fills + d.updates) / cycles;
    }
  }
  const double energy_pj = energy::PriceActionCounts(counts);
  const double macs = static_cast<double>(simulation.macs);
  s.cycles = static_cast<int64_t>(simulation.cycles);
  s.utilization = macs / (cycles * static_cast<double>(architecture.arithmetic.instances));
  s.energy_uj = energy_pj / 1e6;
  s.edp_joule_cycles = energy_pj * 1e-12 * cycles;
  s.computes = static_cast<int64_t>(simulation.macs);
  for (auto& [name, fj] : s.fj_per_compute) fj = component_energy(name) * 1000 / macs;
  s.fj_per_compute_total = energy_pj * 1000 / macs;
  return s;
}

void WriteTimeloopOutputs(const std::string& dir, const spec::Spec& spec,
                          const analysis::AnalysisResult& analysis, const stats::TimeloopStats& stats) {
  WriteFileAtomically(dir + "/timeloop-model.stats.txt", stats::TimeloopStatsText(stats));
  WriteFileAtomically(dir + "/timeloop-model.map.txt",
                      stats::TimeloopMapText(
                          analysis::TimeloopMapOf(*spec.architecture, *spec.workload, *spec.mapping, analysis)));
  std::cout << "  wrote " << dir << "/timeloop-model.stats.txt, timeloop-model.map.txt\n";
}

}  // namespace cyclops::cli
