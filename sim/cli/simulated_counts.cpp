#include "sim/cli/simulated_counts.h"

namespace cyclops::cli {

energy::ActionCounts SimulatedActionCounts(const spec::Spec& spec, const analysis::AnalysisResult& analysis,
                                           const top::SimulationResult& simulation) {
  std::vector<energy::StorageActivity> activity(spec.architecture->storage.size());
  for (size_t level = 0; level < activity.size(); ++level) {
    for (const top::SimulatedAccesses& access : simulation.accesses[level]) {
      activity[level].reads.push_back(access.instance_reads);
      activity[level].fills.push_back(access.instance_fills);
      activity[level].updates.push_back(access.instance_updates);
    }
    activity[level].used_instances = analysis.storage[level].utilized_instances;
  }
  static const spec::EnergyTable kNoTable;
  return energy::CountActions(*spec.architecture, spec.energy ? *spec.energy : kNoTable, activity,
                              simulation.macs, simulation.cycles);
}

}  // namespace cyclops::cli
