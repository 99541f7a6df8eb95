// What a layer run measured, collected from the blocks after sc_start() returns: cycles, the last PE's
// stalls by cause, per level and data space accesses, and the stats tree keyed by instance names.
#include <algorithm>

#include "sim/top/accelerator.h"
#include "sim/top/accelerator_module.h"

namespace cyclops::top {

// What each stall cause of a layer is called in reports (models::StallCause numbering).
std::vector<std::string> StallCauseNames(const spec::Architecture& architecture,
                                         const spec::Workload& workload, const mapping::LayerProgram& layer,
                                         const std::string& network, const std::string& dram_preset) {
  const int levels = layer.levels();
  const int data_spaces = static_cast<int>(layer.data_spaces.size());
  std::vector<std::string> names;
  for (int level = 0; level < levels; ++level)
    for (int d = 0; d < data_spaces; ++d) {
      int parent = -1;
      const std::vector<int>& chain = layer.chains[d];
      for (size_t i = 0; i + 1 < chain.size(); ++i)
        if (chain[i] == level) parent = chain[i + 1];
      const std::string& child = architecture.storage[level].name;
      const std::string above = parent >= 0 ? architecture.storage[parent].name : "-";
      const std::string& space = workload.data_spaces[d].name;
      names.push_back(space + ": " + above + " tile not yet filled (feeding " + child + ")");
      const bool timed = !dram_preset.empty() && parent == levels - 1;
      names.push_back(space +
                      (timed ? ": " + above + " " + dram_preset + " reads" : ": read bandwidth of " + above) +
                      " (feeding " + child + ")");
      names.push_back(space + ": " + network + " " + above + " -> " + child);
      names.push_back(space + ": write bandwidth of " + child);
      names.push_back(space + ": read bandwidth of " + child + " (feeding the MACs)");
    }
  names.push_back("pipeline fill: waiting for the first tiles");
  return names;
}

std::string Accelerator::Impl::DramPresetName() const { return dram_params ? dram_params->name : ""; }

std::string Accelerator::Impl::NetworkKind() const {
  return module.noc ? "network (" + module.noc->topology_name() + ")" : "bus";
}

namespace {

void AddSparseMacs(const models::SparseMacCounts& counts, LayerRun& run) {
  if (!run.sparse_macs) run.sparse_macs.emplace();
  models::SparseMacCounts& total = *run.sparse_macs;
  total.actual += counts.actual;
  total.gated += counts.gated;
  total.skipped += counts.skipped;
  total.removed_gated += counts.removed_gated;
  total.removed_skipped += counts.removed_skipped;
  total.nonexistent += counts.nonexistent;
}

void AddSparseAccesses(const models::StorageCore& core, int d, SimulatedAccesses& access) {
  uint64_t removed[models::kAccessKinds] = {};
  for (int a = 0; a < models::kSparseActions; ++a)
    for (int k = 0; k < models::kAccessKinds; ++k)
      removed[k] += core.SparseCount(static_cast<models::SparseAction>(a), static_cast<models::Access>(k), d);
  access.instance_actual_reads.push_back(access.instance_reads.back() - removed[0]);
  access.instance_actual_fills.push_back(access.instance_fills.back() - removed[1]);
  access.instance_actual_updates.push_back(access.instance_updates.back() - removed[2]);
  for (int a = 0; a < models::kSparseActions; ++a) {
    const auto action = static_cast<models::SparseAction>(a);
    access.sparse_reads[a] += core.SparseCount(action, models::Access::kRead, d);
    access.sparse_fills[a] += core.SparseCount(action, models::Access::kFill, d);
    access.sparse_updates[a] += core.SparseCount(action, models::Access::kUpdate, d);
  }
  access.metadata_reads += core.MetadataCount(models::Access::kRead, d);
  access.metadata_fills += core.MetadataCount(models::Access::kFill, d);
  access.metadata_updates += core.MetadataCount(models::Access::kUpdate, d);
}

}  // namespace

void Accelerator::Impl::CollectStalls(const spec::Workload& workload, const mapping::LayerProgram& layer,
                                      LayerRun& run) {
  // The PE that finished last (the first such in the layer's PE order) explains the cycles.
  struct Last {
    size_t order = SIZE_MAX;
    models::PeCluster::PeOutcome outcome;
  } last;
  std::vector<size_t> order_of(static_cast<size_t>(layout.Instances(-1)), 0);
  for (size_t i = 0; i < layer.pes.size(); ++i) order_of[static_cast<size_t>(layer.pes[i].mac)] = i;
  for (size_t c = 0; c < module.clusters.size(); ++c) {
    const models::PeCluster& cluster = *module.clusters[c];
    if (!cluster.loaded()) continue;
    for (models::PeCluster::PeOutcome& outcome : cluster.Outcomes()) {
      const size_t order = order_of[static_cast<size_t>(layout.Mac(static_cast<int64_t>(c), outcome.local))];
      const models::MacUnit& mac = cluster.pe(outcome.local).mac();
      run.macs += mac.macs();
      if (mac.sparse_counted()) AddSparseMacs(mac.sparse(), run);
      const bool later = last.order == SIZE_MAX || outcome.finished_at > last.outcome.finished_at ||
                         (outcome.finished_at == last.outcome.finished_at && order < last.order);
      if (later) last = {order, std::move(outcome)};
    }
  }
  if (last.order == SIZE_MAX) return;
  last_stalls = last.outcome.stalls;
  run.pe_finished_at = last.outcome.finished_at;
  run.compute_cycles = last.outcome.busy_cycles;
  const std::vector<std::string> names =
      StallCauseNames(architecture, workload, layer, NetworkKind(), DramPresetName());
  for (size_t cause = 0; cause < last.outcome.stalls.size(); ++cause)
    if (last.outcome.stalls[cause] > 0) run.stalls.push_back({names[cause], last.outcome.stalls[cause]});
  std::sort(run.stalls.begin(), run.stalls.end(), [](const StallEntry& a, const StallEntry& b) {
    return a.cycles > b.cycles || (a.cycles == b.cycles && a.cause < b.cause);
  });
}

uint64_t Accelerator::Impl::DramReadStalls(const mapping::LayerProgram& layer) const {
  const int top = layer.levels() - 1;
  const int data_spaces = static_cast<int>(layer.data_spaces.size());
  uint64_t cycles = 0;
  for (int d = 0; d < data_spaces; ++d) {
    const std::vector<int>& chain = layer.chains[d];
    for (size_t i = 0; i + 1 < chain.size(); ++i) {
      if (chain[i + 1] != top) continue;
      const size_t cause =
          static_cast<size_t>(models::StallCause(chain[i], d, data_spaces, models::StallKind::kParentRead));
      if (cause < last_stalls.size()) cycles += last_stalls[cause];
    }
  }
  return cycles;
}

void Accelerator::Impl::CollectAccesses(const spec::Workload& workload, const mapping::LayerProgram& layer,
                                        LayerRun& run) {
  const int levels = layer.levels();
  const int data_spaces = static_cast<int>(layer.data_spaces.size());
  run.accesses.assign(levels, std::vector<SimulatedAccesses>(data_spaces));
  run.cycles = run.pe_finished_at;
  for (int level = 0; level < levels; ++level) {
    models::StorageLevel& channel = *module.levels[level];
    uint64_t conflicts = 0;
    for (int64_t i = 0; i < channel.instances(); ++i) {
      models::StorageInstance& instance = channel.Instance(i);
      if (!instance.used()) continue;
      instance.core().FileStats(run.stats.Create(instance.name()), layer.data_spaces);
      conflicts += instance.core().bank_conflict_cycles();
      for (int d = 0; d < data_spaces; ++d) {
        if (!instance.Keeps(d)) continue;
        SimulatedAccesses& access = run.accesses[level][d];
        const models::StorageCore& core = instance.core();
        access.kept = true;
        ++access.instances;
        access.instance_reads.push_back(core.Count(models::Access::kRead, d));
        access.instance_fills.push_back(core.Count(models::Access::kFill, d));
        access.instance_updates.push_back(core.Count(models::Access::kUpdate, d));
        access.reads += access.instance_reads.back();
        access.fills += access.instance_fills.back();
        access.updates += access.instance_updates.back();
        AddSparseAccesses(core, d, access);
        const models::TileStore& store = instance.Tile(d);
        run.cycles = std::max({run.cycles, store.available_at(), store.landed_at()});
      }
    }
    if (options.bank_conflicts && conflicts > 0)
      run.bank_conflicts.emplace_back(architecture.storage[level].name, conflicts);
  }
  (void)workload;
}

LayerRun Accelerator::Impl::Collect(const spec::Workload& workload, const mapping::LayerProgram& layer,
                                    std::vector<mapping::Tensor>& tensors) {
  LayerRun run;
  last_stalls.clear();
  CollectStalls(workload, layer, run);
  CollectAccesses(workload, layer, run);
  for (const auto& cluster : module.clusters) {
    if (!cluster->loaded()) continue;
    for (const models::PeCluster::PeOutcome& outcome : cluster->Outcomes()) {
      const models::Pe& pe = cluster->pe(outcome.local);
      pe.mac().FileStats(run.stats.Create(pe.name() + "." + architecture.arithmetic.name));
    }
  }
  for (size_t level = 0; level < module.buses.size(); ++level)
    module.buses[level]->FileStats(run.stats, "accelerator." + architecture.storage[level].name,
                                   layer.data_spaces);
  if (module.noc) {
    NocHardware& noc = *module.noc;
    noc.FileStats(run.stats, "accelerator.noc", run.cycles);
    run.noc_topology = noc.topology_name();
    run.noc_modes = noc.ModeLines();
    run.noc_value_hops = noc.value_hops();
    for (const auto& bottleneck : noc.Bottlenecks(5))
      run.noc_bottlenecks.push_back({bottleneck.channel, bottleneck.stall_cycles, bottleneck.busy_cycles});
    run.noc_json = noc.ToJson(run.cycles);
  }
  if (dram) {
    run.dram = dram->Report();
    std::array<int64_t, models::kDramStallCauses> weights{};
    for (int i = 0; i < models::kDramStallCauses; ++i)
      weights[i] = static_cast<int64_t>(run.dram->transfer_delay_cycles[i]);
    run.dram->pe_stall_cycles = models::Apportion(DramReadStalls(layer), weights);
    models::DramBacking::FileStats(
        *run.dram, run.stats.Create(module.levels[layer.levels() - 1]->Instance(0).name() + ".dram"));
  }
  // The outputs, as they ended up in the outermost level.
  const int result = layer.roles.result;
  std::vector<int64_t>& values = tensors[result].values;
  values = module.levels[layer.levels() - 1]->Instance(0).Tile(result).values();
  for (int64_t& value : values) value = mapping::WrapToBits(value, layer.psum_bits);
  return run;
}

}  // namespace cyclops::top
