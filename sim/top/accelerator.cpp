#include "sim/top/accelerator.h"

#include <algorithm>
#include <map>

#include "noc/fabric/noc_fanout.h"
#include "sim/core/error.h"
#include "sim/core/sanitizer_stack.h"
#include "sim/top/accelerator_module.h"

namespace cyclops::top {

namespace {

std::string Indexed(const std::string& name, int64_t index, int64_t count) {
  return count == 1 ? name : name + "[" + std::to_string(index) + "]";
}

models::StorageConfig ConfigOf(const spec::StorageLevelSpec& level, const HardwareOptions& options) {
  models::StorageConfig config;
  config.word_bits = static_cast<int>(level.word_bits);
  config.block_size = level.block_size;
  config.n_banks = std::max<int64_t>(level.n_banks, 1);
  config.read_bandwidth = level.read_bandwidth;
  config.write_bandwidth = level.write_bandwidth;
  config.shared_bandwidth = level.shared_bandwidth;
  config.bandwidth_in_values = true;  // Timeloop's bandwidth semantics (see StorageConfig)
  config.bank_conflicts = options.bank_conflicts;
  return config;
}

// The cluster's progress hook: the run's progress line, and the cycle limit's check.
std::function<void(models::Cycle)> ProgressHook(const models::PeCluster& cluster,
                                                const mapping::LayerProgram& layer,
                                                const RunSettings& settings) {
  if (settings.cycle_limit == 0) return settings.progress;
  const uint64_t bursts = static_cast<uint64_t>(layer.pe.bursts);
  // A sparse burst, or one clipped at an imperfect mapping's bounds, may be shorter: there only c counts.
  const bool shorter = settings.pe_sparsity || layer.imperfect;
  const models::Cycle burst = shorter ? 0 : static_cast<models::Cycle>(layer.pe.burst_macs);
  return [&cluster, progress = settings.progress, bursts, burst,
          limit = settings.cycle_limit](models::Cycle at) {
    if (progress) progress(at);
    const uint64_t done = cluster.Progress();  // bursts stepped, this one included
    const models::Cycle left = done < bursts ? (bursts - done) * burst : 0;
    // Its PEs' last bursts end at c + left or later, and a PE finishes pipeline_latency - 1 >= -1 after.
    const models::Cycle bound = at + left > 0 ? at + left - 1 : 0;
    if (bound > limit) throw CycleLimitReached(at, bound, limit);
  };
}

}  // namespace

AcceleratorModule::AcceleratorModule(sc_core::sc_module_name name, const spec::Architecture& a,
                                     const HardwareOptions& o, const mapping::HardwareLayout& l)
    : sc_core::sc_module(name), architecture(a), options(o), layout(l) {
  const int count = static_cast<int>(a.storage.size());
  for (int level = 0; level < count; ++level)
    levels.push_back(std::make_unique<models::StorageLevel>(a.storage[level].name, level));
  BuildClusters();
  BuildTopBlocks();
  AttachInstances();
  if (o.use_noc && a.noc) noc = std::make_unique<NocHardware>(*a.noc, a, o.noc_params);
  for (int level = 0; level + 1 < count; ++level) {
    const std::string fill = "fill_" + a.storage[level].name;
    controllers.push_back(std::make_unique<models::LevelController>(fill.c_str(), level, clock));
    if (!noc) buses.push_back(std::make_unique<noc::FanoutBuses>(o.bus_width, o.bus_latency));
  }
  Bind();
  watchdog = std::make_unique<models::Watchdog>("watchdog", 1);
}

// A cluster holds the shared levels with one instance per cluster; its PEs hold the levels private to them.
void AcceleratorModule::BuildClusters() {
  const models::MacConfig mac{options.mac_latency, 64};
  const int top = static_cast<int>(architecture.storage.size()) - 1;
  std::vector<models::PeCluster::BlockSpec> blocks;
  for (int level = 0; level < top; ++level)
    if (layout.InCluster(level) && !layout.PrivateToPe(level))
      blocks.push_back(
          {level, architecture.storage[level].name, ConfigOf(architecture.storage[level], options)});
  for (int64_t c = 0; c < layout.clusters(); ++c) {
    const std::string name = "cluster[" + std::to_string(c) + "]";
    clusters.push_back(
        std::make_unique<models::PeCluster>(name.c_str(), layout.pes_per_cluster(), mac, clock, blocks));
    models::PeCluster& cluster = *clusters.back();
    for (int level = 0; level < top; ++level) {
      if (!layout.PrivateToPe(level)) continue;
      const spec::StorageLevelSpec& spec = architecture.storage[level];
      for (int64_t p = 0; p < cluster.size(); ++p)
        cluster.pe(p).AddPrivate(level, spec.name, ConfigOf(spec, options));
    }
  }
}

void AcceleratorModule::BuildTopBlocks() {
  const int top = static_cast<int>(architecture.storage.size()) - 1;
  for (int level = 0; level <= top; ++level) {
    if (level != top && layout.InCluster(level)) continue;
    const spec::StorageLevelSpec& spec = architecture.storage[level];
    const int64_t instances = layout.Instances(level);
    for (int64_t i = 0; i < instances; ++i)
      top_blocks.push_back(std::make_unique<models::StorageBlock>(Indexed(spec.name, i, instances).c_str(),
                                                                  level, ConfigOf(spec, options)));
  }
}

void AcceleratorModule::AttachInstances() {
  const int top = static_cast<int>(architecture.storage.size()) - 1;
  for (int level = 0; level <= top; ++level) {
    models::StorageLevel& channel = *levels[level];
    if (level != top && layout.PrivateToPe(level)) {
      for (int64_t mac = 0; mac < layout.Instances(-1); ++mac) {
        models::Pe& pe = clusters[layout.ClusterOf(mac)]->pe(layout.LocalPe(mac));
        for (const auto& instance : pe.private_storage())
          if (instance->level() == level) channel.Attach(*instance);
      }
    } else if (level != top && layout.InCluster(level)) {
      for (const auto& cluster : clusters)
        for (const auto& block : cluster->blocks())
          if (block->instance().level() == level) channel.Attach(block->instance());
    } else {
      for (const auto& block : top_blocks)
        if (block->instance().level() == level) channel.Attach(block->instance());
    }
    if (channel.instances() != layout.Instances(level))
      throw std::logic_error("accelerator: level '" + channel.level_name() + "' elaborated " +
                             std::to_string(channel.instances()) + " instances of " +
                             std::to_string(layout.Instances(level)));
  }
}

void AcceleratorModule::Bind() {
  for (size_t c = 0; c < controllers.size(); ++c) {
    for (const auto& level : levels) controllers[c]->levels.bind(*level);
    if (noc)
      controllers[c]->network.bind(noc->Channel(static_cast<int>(c)));
    else
      controllers[c]->network.bind(*buses[c]);
  }
  for (const auto& cluster : clusters)
    for (const auto& level : levels) cluster->levels.bind(*level);
}

void CheckCyclopsSettings(const spec::CyclopsSettings& settings) {
  if (settings.dram)
    models::ResolveDramParams(settings.dram->preset, settings.dram->overrides, settings.dram->where);
}

void UseCyclopsSettings(const spec::CyclopsSettings& settings, HardwareOptions& options) {
  CheckCyclopsSettings(settings);
  options.dram = settings.dram;
  options.clock_hz = settings.clock_hz;
}

Accelerator::Impl::Impl(const spec::Architecture& a, HardwareOptions o)
    : architecture(a),
      options(std::move(o)),
      layout(architecture),
      module("accelerator", architecture, options, layout) {
  if (options.dram)
    dram_params =
        models::ResolveDramParams(options.dram->preset, options.dram->overrides, options.dram->where);
}

Accelerator::Accelerator(const spec::Architecture& architecture, HardwareOptions options)
    : impl_(std::make_unique<Impl>(architecture, std::move(options))) {}

Accelerator::~Accelerator() = default;

const spec::Architecture& Accelerator::architecture() const {
  return impl_->architecture;
}
const mapping::HardwareLayout& Accelerator::layout() const {
  return impl_->layout;
}
const HardwareOptions& Accelerator::options() const {
  return impl_->options;
}

void Accelerator::Impl::LoadStores(const spec::Workload& workload, const mapping::LayerProgram& layer,
                                   std::vector<mapping::Tensor>& tensors) {
  const int data_spaces = static_cast<int>(layer.data_spaces.size());
  for (const auto& level : module.levels)
    for (int64_t i = 0; i < level->instances(); ++i)
      level->Instance(i).ResetLayer(data_spaces, layer.address_space[level->index()]);
  // The outermost level holds the whole tensors from the start, in DRAM when a timing model is given.
  const int top = layer.levels() - 1;
  dram.reset();
  if (dram_params) {
    const double clock_hz = options.clock_hz ? *options.clock_hz : 1.0 / architecture.global_cycle_seconds;
    dram = std::make_unique<models::DramBacking>(*dram_params, clock_hz,
                                                 static_cast<int>(architecture.storage[top].word_bits));
  }
  for (int64_t i = 0; i < module.levels[top]->instances(); ++i)
    module.levels[top]->Instance(i).core().SetBacking(dram.get());
  const analysis::LoopNest& nest = *layer.nest;
  const std::vector<int64_t> origin(workload.dimensions.size(), 0);
  for (int d = 0; d < data_spaces; ++d) {
    // Imperfect factors: the super-nest's top tile reaches past the bounds; the tensor is the bounds'.
    const analysis::DataBox whole =
        nest.Project(d, origin, layer.imperfect ? workload.bounds : nest.TileExtent(top));
    module.levels[top]
        ->Instance(0)
        .OwnStore(d, layer.read_write[d])
        .InitWhole(whole, tensors[d].values, layer.read_write[d]);
  }
  // A read-only multicast group's members always hold the same values, so they share one store — per
  // consumer: the PE clusters step independently, and a cluster ahead must not commit the next version
  // under one that still computes on the current. So an innermost instance holds one copy per PE cluster
  // reading it, shared with the group's members read by the same cluster (the fill engines below are the
  // only consumers of the other levels).
  const std::vector<int64_t> no_cluster{-1};
  for (const mapping::TransferProgram& transfer : layer.transfers) {
    models::StorageLevel& level = *module.levels[transfer.level];
    const int d = transfer.data_space;
    for (const mapping::TransferGroup& group : transfer.groups) {
      std::map<int64_t, models::TileStore*> shared;  // consumer cluster (or -1) → the store its members share
      for (int64_t child : group.children) {
        models::StorageInstance& member = level.Instance(child);
        const std::vector<int64_t>& consumers =
            transfer.innermost && !transfer.consumer_clusters[static_cast<size_t>(child)].empty()
                ? transfer.consumer_clusters[static_cast<size_t>(child)]
                : no_cluster;
        for (size_t k = 0; k < consumers.size(); ++k) {
          auto found = shared.find(consumers[k]);
          if (transfer.share_store && found != shared.end())
            k == 0 ? member.ShareStore(d, *found->second) : member.ShareCopy(d, *found->second);
          else
            shared[consumers[k]] =
                k == 0 ? &member.OwnStore(d, transfer.read_write) : &member.OwnCopy(d, transfer.read_write);
        }
      }
    }
  }
}

void Accelerator::Impl::LoadBoards(const mapping::LayerProgram& layer) {
  const int data_spaces = static_cast<int>(layer.data_spaces.size());
  const int64_t macs = static_cast<int64_t>(layer.pes.size());
  for (const auto& level : module.levels) {
    std::vector<std::unique_ptr<models::TileBoard>> boards(static_cast<size_t>(data_spaces));
    for (int d = 0; d < data_spaces; ++d) {
      const std::vector<int>& chain = layer.chains[d];
      if (std::find(chain.begin(), chain.end(), level->index()) == chain.end()) continue;
      const int64_t consumers = chain.front() == level->index() ? macs : 1;
      boards[d] = std::make_unique<models::TileBoard>(
          level->level_name() + " " + layer.data_spaces[d] + " tiles", consumers);
    }
    level->LoadBoards(std::move(boards));
  }
  const int top = layer.levels() - 1;
  for (int d = 0; d < data_spaces; ++d) module.levels[top]->Board(d)->Publish(0, 0);
}

void Accelerator::Impl::LoadNetworks(const spec::Workload& workload, const mapping::LayerProgram& layer) {
  if (module.noc) {
    module.noc->LoadLayer(workload, layer);
    return;
  }
  const size_t data_spaces = layer.data_spaces.size();
  std::vector<std::vector<std::vector<int64_t>>> sizes(module.buses.size(),
                                                       std::vector<std::vector<int64_t>>(data_spaces));
  for (const mapping::TransferProgram& transfer : layer.transfers)
    for (const mapping::TransferGroup& group : transfer.groups)
      sizes[transfer.level][transfer.data_space].push_back(static_cast<int64_t>(group.children.size()));
  for (size_t level = 0; level < module.buses.size(); ++level)
    module.buses[level]->Load(std::move(sizes[level]));
}

std::vector<const models::Watched*> Accelerator::Impl::LoadBlocks(const mapping::LayerProgram& layer,
                                                                  const RunSettings& settings) {
  std::vector<const models::Watched*> watched;
  for (const auto& controller : module.controllers) {
    controller->Load(layer, settings.prefetch_depth, settings.fill_sparsity.get());
    for (const auto& engine : controller->engines()) watched.push_back(engine.get());
  }
  std::vector<std::vector<std::pair<int64_t, size_t>>> assigned(module.clusters.size());
  for (size_t i = 0; i < layer.pes.size(); ++i) {
    const int64_t mac = layer.pes[i].mac;
    assigned[layout.ClusterOf(mac)].emplace_back(layout.LocalPe(mac), i);
  }
  for (size_t c = 0; c < module.clusters.size(); ++c) {
    module.clusters[c]->Unload();
    if (assigned[c].empty()) continue;
    module.clusters[c]->Load(layer, std::move(assigned[c]));
    if (settings.pe_sparsity) module.clusters[c]->LoadSparsity(settings.pe_sparsity);
    watched.push_back(module.clusters[c].get());
  }
  return watched;
}

void Accelerator::Impl::AttachObservers(const spec::Workload& workload, const mapping::LayerProgram& layer,
                                        const RunSettings& settings) {
  trace::TraceRecorder* recorder = settings.trace;
  const std::vector<std::string> causes =
      recorder ? StallCauseNames(architecture, workload, layer, NetworkKind(), DramPresetName())
               : std::vector<std::string>{};
  for (const auto& cluster : module.clusters) {
    if (!cluster->loaded()) continue;
    cluster->SetTrace(recorder, causes);
    cluster->SetProgress(ProgressHook(*cluster, layer, settings));
  }
  for (const auto& controller : module.controllers)
    for (const auto& engine : controller->engines()) engine->SetTrace(recorder, controller->name());
  if (module.noc) module.noc->SetTrace(recorder, "accelerator.noc");
}

void Accelerator::Impl::CheckFinished() {
  if (processes.failure()) std::rethrow_exception(processes.failure());
  module.watchdog->ThrowIfStuck();
  std::string unfinished;
  for (const auto& cluster : module.clusters)
    if (cluster->loaded() && !cluster->finished())
      unfinished += "\n  " + cluster->WatchName() + ": waiting for " + cluster->WaitingFor();
  for (const auto& controller : module.controllers)
    for (const auto& engine : controller->engines())
      if (!engine->finished())
        unfinished += "\n  " + engine->WatchName() + ": waiting for " + engine->WaitingFor();
  if (!unfinished.empty()) throw SimulationError("the simulation stopped with work left:" + unfinished);
}

void Accelerator::Impl::Unload() {
  for (const auto& controller : module.controllers) controller->Unload();
  for (const auto& cluster : module.clusters) cluster->Unload();
  module.watchdog->Disarm();
  processes.Clear();
}

namespace {

std::string CycleLimitText(models::Cycle at, models::Cycle bound, models::Cycle limit) {
  std::string text = "stopped at cycle ";
  text.append(std::to_string(at)).append(": the layer takes at least ").append(std::to_string(bound));
  return text.append(" cycles, more than the limit of ").append(std::to_string(limit));
}

}  // namespace

CycleLimitReached::CycleLimitReached(models::Cycle at, models::Cycle bound, models::Cycle limit)
    : std::runtime_error(CycleLimitText(at, bound, limit)), at(at), bound(bound) {}

LayerRun Accelerator::RunLayer(const spec::Workload& workload, const mapping::LayerProgram& layer,
                               std::vector<mapping::Tensor>& tensors, const RunSettings& settings) {
  Impl& impl = *impl_;
  if (layer.levels() != static_cast<int>(impl.architecture.storage.size()))
    throw std::logic_error("accelerator: a layer program for another architecture");
  impl.module.clock.StartLayer();
  impl.processes.Clear();
  struct Unloader {
    Impl& impl;
    ~Unloader() { impl.Unload(); }
  } unloader{impl};
  impl.LoadStores(workload, layer, tensors);
  impl.LoadBoards(layer);
  impl.LoadNetworks(workload, layer);
  std::vector<const models::Watched*> watched = impl.LoadBlocks(layer, settings);
  impl.AttachObservers(workload, layer, settings);
  for (const auto& controller : impl.module.controllers) controller->Start(impl.processes);
  for (const auto& cluster : impl.module.clusters)
    if (cluster->loaded()) {
      models::PeCluster* running = cluster.get();
      impl.processes.Spawn(std::string(cluster->basename()) + "_run", [running] { running->Run(); });
    }
  impl.module.watchdog->Arm(std::move(watched), settings.watchdog_cycles, impl.processes, impl.module.clock);
  // The watchdog's stop is reported by Cyclops itself, as an error naming the stuck modules.
  sc_core::sc_report_handler::set_actions("/OSCI/SystemC", sc_core::SC_INFO, sc_core::SC_DO_NOTHING);
  sc_core::sc_start();
  RestoreMainStackForSanitizer();  // before anything can throw on this stack (sim/core/sanitizer_stack.h)
  impl.CheckFinished();
  return impl.Collect(workload, layer, tensors);
}

}  // namespace cyclops::top
