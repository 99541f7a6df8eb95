#include "sim/analysis/timeloop_report.h"

#include "sim/analysis/loop_nest.h"
#include "sim/analysis/performance.h"
#include "sim/energy/energy_model.h"

namespace cyclops::analysis {

using stats::TimeloopDataSpaceStats;
using stats::TimeloopLevelStats;
using stats::TimeloopMapLevel;
using stats::TimeloopStats;

namespace {

std::string LoopText(const analysis::Loop& loop, const spec::Workload& workload) {
  std::string text =
      "for " + workload.dimensions[loop.dimension] + " in [0:" + std::to_string(loop.factor) + ")";
  if (loop.spatial) text += loop.y_axis ? " (Spatial-Y)" : " (Spatial-X)";
  return text;
}

// The loops a level owns, outermost first (temporal, then the spatial fan-out below it).
std::vector<std::string> LevelLoops(const analysis::LoopNest& nest, int level) {
  std::vector<std::string> loops;
  for (int i = nest.EndLoop(level) - 1; i >= nest.FirstLoop(level); --i)
    loops.push_back(LoopText(nest.loops()[i], nest.workload()));
  return loops;
}

TimeloopDataSpaceStats DataSpaceStats(const std::string& name, const analysis::DataSpaceAccesses& a) {
  TimeloopDataSpaceStats d;
  d.name = name;
  d.partition_size = a.partition_size;
  d.utilized_capacity = a.utilized_capacity;
  d.utilized_instances = a.utilized_instances;
  d.utilized_clusters = a.utilized_clusters;
  d.reads = a.reads;
  d.fills = a.fills;
  d.updates = a.updates;
  d.temporal_reductions = a.temporal_reductions;
  d.address_generations = a.address_generations;
  d.energy_per_instance_pj = a.energy_per_instance_pj;
  d.energy_total_pj = a.energy_total_pj;
  const int64_t accesses = a.reads + a.fills + a.updates;
  d.energy_per_scalar_access_pj = accesses > 0 ? a.energy_per_instance_pj / static_cast<double>(accesses) : 0;
  d.read_bandwidth = a.read_bandwidth;
  d.write_bandwidth = a.write_bandwidth;
  return d;
}

}  // namespace

TimeloopStats TimeloopStatsOf(const spec::Architecture& architecture, const spec::Workload& workload,
                              const spec::Mapping& mapping, const AnalysisResult& result,
                              const spec::EnergyTable* energy) {
  const analysis::LoopNest nest(workload, mapping);
  TimeloopStats s;
  const spec::ArithmeticSpec& mac = architecture.arithmetic;
  s.arithmetic_name = mac.name;
  s.arithmetic_word_bits = mac.word_bits;
  s.arithmetic_instances = mac.instances;
  s.arithmetic_mesh_x = mac.mesh_x;
  s.arithmetic_mesh_y = mac.mesh_y;
  s.compute_energy_pj = energy::LookupComputeEnergy(energy, mac);
  s.arithmetic_utilized_instances = result.arithmetic.utilized_instances;
  s.arithmetic_computes = result.arithmetic.computes;
  s.arithmetic_cycles = result.arithmetic.cycles;
  s.arithmetic_energy_pj = result.arithmetic.energy_pj;
  const double computes = static_cast<double>(result.arithmetic.computes);
  s.fj_per_compute.emplace_back(mac.name, result.arithmetic.energy_pj * 1000 / computes);
  for (size_t i = 0; i < architecture.storage.size(); ++i) {
    const spec::StorageLevelSpec& level = architecture.storage[i];
    const analysis::StorageLevelResult& r = result.storage[i];
    if (level.is_dummy) continue;
    TimeloopLevelStats& l = s.levels.emplace_back();
    l.number = static_cast<int>(i) + 1;
    l.name = level.name;
    l.technology = level.is_dram ? "DRAM" : "SRAM";
    l.size = level.Capacity();
    l.word_bits = level.word_bits;
    l.block_size = level.block_size;
    l.cluster_size = level.cluster_size;
    l.instances = level.instances;
    l.mesh_x = level.mesh_x;
    l.mesh_y = level.mesh_y;
    l.shared_bandwidth = level.shared_bandwidth;
    l.read_bandwidth = level.read_bandwidth;
    l.write_bandwidth = level.write_bandwidth;
    l.multiple_buffering = level.multiple_buffering;
    const energy::StorageEnergy costs = energy::LookupStorageEnergy(energy, level);
    l.vector_access_energy_pj = costs.read;
    l.energy_source = energy && !energy->estimated_from.empty() ? "Cyclops estimate" : "ERT";
    l.leakage_per_instance_cycle_pj = costs.leak_per_instance_cycle;
    l.leakage_energy_pj = r.leakage_energy_pj;
    l.loop_nest = LevelLoops(nest, static_cast<int>(i));
    // The level's own bandwidth-bound cycles, as Timeloop prints them per level.
    l.cycles = analysis::BandwidthBoundCycles(level, r.data_spaces, result.arithmetic.cycles);
    l.bandwidth_throttling =
        l.cycles > 0 ? static_cast<double>(result.arithmetic.cycles) / static_cast<double>(l.cycles) : 1;
    for (size_t d = 0; d < workload.data_spaces.size(); ++d)
      if (r.data_spaces[d].kept)
        l.data_spaces.push_back(DataSpaceStats(workload.data_spaces[d].name, r.data_spaces[d]));
    s.fj_per_compute.emplace_back(level.name, (r.energy_pj + r.leakage_energy_pj) * 1000 / computes);
  }
  s.utilization = result.utilization;
  s.cycles = result.cycles;
  s.energy_uj = result.energy_pj / 1e6;
  s.edp_joule_cycles = result.energy_pj * 1e-12 * static_cast<double>(result.cycles);
  s.computes = result.arithmetic.computes;
  s.fj_per_compute_total = result.energy_pj * 1000 / computes;
  return s;
}

std::vector<TimeloopMapLevel> TimeloopMapOf(const spec::Architecture& architecture,
                                            const spec::Workload& workload, const spec::Mapping& mapping,
                                            const AnalysisResult& result) {
  const analysis::LoopNest nest(workload, mapping);
  std::vector<TimeloopMapLevel> levels;
  for (size_t i = architecture.storage.size(); i-- > 0;) {
    TimeloopMapLevel& level = levels.emplace_back();
    level.name = architecture.storage[i].name;
    for (size_t d = 0; d < workload.data_spaces.size(); ++d)
      if (result.storage[i].data_spaces[d].kept)
        level.tiles.emplace_back(workload.data_spaces[d].name,
                                 result.storage[i].data_spaces[d].utilized_capacity);
    level.loops = LevelLoops(nest, static_cast<int>(i));
  }
  return levels;
}

}  // namespace cyclops::analysis
