#include "sim/analysis/analysis.h"

#include <algorithm>
#include <optional>

#include "sim/analysis/access_counts.h"
#include "sim/analysis/imperfect_tiles.h"
#include "sim/analysis/loop_nest.h"
#include "sim/analysis/performance.h"
#include "sim/analysis/sparse_model.h"
#include "sim/energy/energy_model.h"

namespace cyclops::analysis {

namespace {

std::vector<std::string> DescribeLoops(const LoopNest& nest, int level) {
  std::vector<std::string> lines;
  for (int i = nest.EndLoop(level) - 1; i >= nest.FirstLoop(level); --i) {
    const Loop& loop = nest.loops()[i];
    lines.push_back("for " + nest.workload().dimensions[loop.dimension] +
                    " in [0:" + std::to_string(loop.factor) +
                    (loop.residual != loop.factor ? "," + std::to_string(loop.residual) : "") + ")" +
                    (loop.spatial ? " (spatial)" : ""));
  }
  return lines;
}

}  // namespace

AnalysisResult Analyze(const spec::Architecture& architecture, const spec::Workload& workload,
                       const spec::Mapping& mapping, const spec::EnergyTable* energy,
                       const spec::SparseOptimizations* sparse) {
  const LoopNest nest(workload, mapping);
  // Imperfect factors (Timeloop v3's Ruby form): the clipped nest's counts (imperfect_tiles.h).
  std::optional<ImperfectCounts> imperfect;
  if (mapping.Imperfect()) {
    if (sparse)
      throw SpecError(mapping.where, "imperfect factors with sparse optimizations are not modelled",
                      "factors that divide the bounds, or no sparse_optimizations");
    imperfect = CountImperfectAccesses(architecture, mapping, nest);
  }
  std::vector<std::vector<DataSpaceAccesses>> accesses =
      imperfect ? std::move(imperfect->accesses) : CountAccesses(architecture, mapping, nest);
  if (!sparse) CheckCapacities(architecture, mapping, accesses);  // the sparse model checks compressed tiles

  AnalysisResult result;
  result.arithmetic.name = architecture.arithmetic.name;
  result.arithmetic.utilized_instances = imperfect ? imperfect->mac_instances : nest.UtilizedInstances(-1);
  result.arithmetic.computes = workload.TotalOperations();
  result.arithmetic.cycles = imperfect ? imperfect->cycles : nest.TemporalIterations();
  result.arithmetic.energy_pj = static_cast<double>(result.arithmetic.computes) *
                                energy::LookupComputeEnergy(energy, architecture.arithmetic);
  result.cycles = result.arithmetic.cycles;
  result.bottleneck = architecture.arithmetic.name;

  for (size_t level = 0; level < architecture.storage.size(); ++level) {
    StorageLevelResult& storage = result.storage.emplace_back();
    storage.name = architecture.storage[level].name;
    storage.data_spaces = std::move(accesses[level]);
    storage.cycles =
        BandwidthBoundCycles(architecture.storage[level], storage.data_spaces, result.arithmetic.cycles);
    storage.loop_nest = DescribeLoops(nest, static_cast<int>(level));
    if (storage.cycles > result.cycles) {
      result.cycles = storage.cycles;
      result.bottleneck = storage.name;
    }
  }

  result.energy_pj = result.arithmetic.energy_pj;
  for (size_t level = 0; level < architecture.storage.size(); ++level) {
    const spec::StorageLevelSpec& spec_level = architecture.storage[level];
    StorageLevelResult& storage = result.storage[level];
    storage.cycles = std::max(storage.cycles, result.cycles);
    const energy::StorageEnergy costs = energy::LookupStorageEnergy(energy, spec_level);
    for (DataSpaceAccesses& counts : storage.data_spaces) {
      if (!counts.kept) continue;
      counts.energy_per_instance_pj = energy::AccessEnergy(costs, counts.reads, counts.fills, counts.updates);
      counts.energy_total_pj = counts.energy_per_instance_pj * static_cast<double>(counts.utilized_instances);
      counts.read_bandwidth = static_cast<double>(counts.reads) / static_cast<double>(result.cycles);
      counts.write_bandwidth =
          static_cast<double>(counts.fills + counts.updates) / static_cast<double>(result.cycles);
      storage.energy_pj += counts.energy_total_pj;
    }
    // Timeloop charges leakage only to the instances the mapping uses (kept data or not).
    const int64_t used_instances =
        imperfect ? imperfect->used_instances[level] : nest.UtilizedInstances(static_cast<int>(level));
    storage.utilized_instances = used_instances;
    storage.leakage_energy_pj = costs.leak_per_instance_cycle * static_cast<double>(used_instances) *
                                static_cast<double>(result.cycles);
    result.energy_pj += storage.energy_pj + storage.leakage_energy_pj;
  }

  const double mac_slots =
      static_cast<double>(result.cycles) * static_cast<double>(architecture.arithmetic.instances);
  result.utilization = mac_slots > 0 ? static_cast<double>(result.arithmetic.computes) / mac_slots : 0;
  result.pj_per_compute =
      result.arithmetic.computes > 0 ? result.energy_pj / static_cast<double>(result.arithmetic.computes) : 0;
  if (sparse) ApplySparseModel(architecture, workload, mapping, energy, *sparse, nest, result);
  return result;
}

}  // namespace cyclops::analysis
