#include "sim/analysis/analysis.h"

#include <algorithm>
#include <optional>

#include "sim/analysis/access_counts.h"
#include "sim/analysis/imperfect_tiles.h"
#include "sim/analysis/loop_nest.h"
#include "sim/analysis/performance.h"
#include "sim/analysis/sparse_model.h"
#include "sim/analysis/tile_analysis.h"
#include "sim/core/error.h"
#include "sim/energy/energy_model.h"

namespace cyclops::analysis {

struct Evaluator::State {
  explicit State(const spec::Workload& workload) : nest(workload) {}
  LoopNest nest;
  TileScratch scratch;
  std::vector<DataBox> tiles;
  std::vector<int64_t> partition;
  std::vector<energy::StorageEnergy> costs;  // per storage level
  double compute_energy = 0;                 // pJ per MAC
  int64_t computes = 0;
  std::optional<CapacityExcess> excess;
  energy::SparseEnergyPrices sparse_prices;  // with sparse optimizations
};

Evaluator::Evaluator(const spec::Architecture& architecture, const spec::Workload& workload,
                     const spec::EnergyTable* energy, const spec::SparseOptimizations* sparse)
    : architecture_(architecture),
      workload_(workload),
      energy_(energy),
      sparse_(sparse),
      state_(std::make_unique<State>(workload)) {
  for (const spec::StorageLevelSpec& level : architecture.storage)
    state_->costs.push_back(energy::LookupStorageEnergy(energy, level));
  if (sparse) state_->sparse_prices = energy::LookupSparseEnergyPrices(energy, architecture);
  state_->compute_energy = energy::LookupComputeEnergy(energy, architecture.arithmetic);
  state_->computes = workload.TotalOperations();
}

Evaluator::~Evaluator() = default;

bool Evaluator::Evaluate(const spec::Mapping& mapping, AnalysisResult& result, bool describe) {
  State& state = *state_;
  LoopNest& nest = state.nest;
  nest.Assign(mapping);
  const size_t levels = architecture_.storage.size();
  result.storage.resize(levels);
  for (StorageLevelResult& storage : result.storage)
    storage.data_spaces.assign(workload_.data_spaces.size(), DataSpaceAccesses{});
  // Imperfect factors (Timeloop v3's Ruby form): the clipped nest's counts (imperfect_tiles.h).
  std::optional<ImperfectCounts> imperfect;
  if (mapping.Imperfect()) {
    if (sparse_)
      throw SpecError(mapping.where, "imperfect factors with sparse optimizations are not modelled",
                      "factors that divide the bounds, or no sparse_optimizations");
    imperfect = CountImperfectAccesses(architecture_, mapping, nest, state.scratch.exact_walk);
    for (size_t level = 0; level < levels; ++level)
      result.storage[level].data_spaces = imperfect->accesses[level];
    state.excess = FindCapacityExcess(architecture_, result.storage);
    if (state.excess) return false;
  } else {
    ProjectTiles(nest, state.tiles);
    CountFootprints(architecture_, mapping, state.tiles, result.storage);
    if (!sparse_) {  // the sparse model checks the compressed tiles instead
      state.excess = FindCapacityExcess(architecture_, result.storage);
      if (state.excess) return false;
    }
    CountAccesses(architecture_, mapping, nest, state.tiles, state.scratch, state.partition, result.storage);
  }

  result.arithmetic.name = architecture_.arithmetic.name;
  result.arithmetic.utilized_instances = imperfect ? imperfect->mac_instances : nest.UtilizedInstances(-1);
  result.arithmetic.computes = state.computes;
  result.arithmetic.cycles = imperfect ? imperfect->cycles : nest.TemporalIterations();
  result.arithmetic.energy_pj = static_cast<double>(result.arithmetic.computes) * state.compute_energy;
  result.cycles = result.arithmetic.cycles;
  const std::string* bottleneck = &architecture_.arithmetic.name;

  for (size_t level = 0; level < levels; ++level) {
    StorageLevelResult& storage = result.storage[level];
    storage.name = architecture_.storage[level].name;
    storage.cycles =
        BandwidthBoundCycles(architecture_.storage[level], storage.data_spaces, result.arithmetic.cycles);
    storage.loop_nest.clear();
    if (storage.cycles > result.cycles) {
      result.cycles = storage.cycles;
      bottleneck = &architecture_.storage[level].name;
    }
  }
  result.bottleneck = *bottleneck;
  if (describe) Describe(result);

  result.energy_pj = result.arithmetic.energy_pj;
  for (size_t level = 0; level < levels; ++level) {
    StorageLevelResult& storage = result.storage[level];
    storage.cycles = std::max(storage.cycles, result.cycles);
    const energy::StorageEnergy& costs = state.costs[level];
    storage.energy_pj = 0;
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
      static_cast<double>(result.cycles) * static_cast<double>(architecture_.arithmetic.instances);
  result.utilization = mac_slots > 0 ? static_cast<double>(result.arithmetic.computes) / mac_slots : 0;
  result.pj_per_compute =
      result.arithmetic.computes > 0 ? result.energy_pj / static_cast<double>(result.arithmetic.computes) : 0;
  if (sparse_)
    ApplySparseModel(architecture_, workload_, mapping, state.sparse_prices, *sparse_, nest, result);
  return true;
}

void Evaluator::SetTileWalk(TileWalk walk) {
  state_->scratch.exact_walk = walk == TileWalk::kExact;
}

void Evaluator::Describe(AnalysisResult& result) const {
  const LoopNest& nest = state_->nest;
  for (int level = 0; level < nest.levels(); ++level) {
    std::vector<std::string>& lines = result.storage[level].loop_nest;
    lines.clear();
    for (int i = nest.EndLoop(level) - 1; i >= nest.FirstLoop(level); --i) {
      const Loop& loop = nest.loops()[i];
      lines.push_back("for " + workload_.dimensions[loop.dimension] +
                      " in [0:" + std::to_string(loop.factor) +
                      (loop.residual != loop.factor ? "," + std::to_string(loop.residual) : "") + ")" +
                      (loop.spatial ? " (spatial)" : ""));
    }
  }
}

void Evaluator::ThrowCapacityError(const spec::Mapping& mapping) const {
  ThrowCapacityExcess(architecture_, mapping, *state_->excess);
}

AnalysisResult Analyze(const spec::Architecture& architecture, const spec::Workload& workload,
                       const spec::Mapping& mapping, const spec::EnergyTable* energy,
                       const spec::SparseOptimizations* sparse, TileWalk walk) {
  Evaluator evaluator(architecture, workload, energy, sparse);
  evaluator.SetTileWalk(walk);
  AnalysisResult result;
  if (!evaluator.Evaluate(mapping, result)) evaluator.ThrowCapacityError(mapping);
  return result;
}

}  // namespace cyclops::analysis
