#include "sim/top/layer_simulation.h"

#include <algorithm>
#include <chrono>
#include <systemc>

#include "models/common/cycle_time.h"
#include "models/common/watchdog.h"
#include "sim/core/error.h"
#include "sim/core/sanitizer_stack.h"
#include "sim/mapping/pe_program.h"
#include "sim/top/fanout_bus.h"
#include "sim/top/level_controller.h"
#include "sim/top/noc_elaboration.h"
#include "sim/top/tiled_pe.h"

namespace cyclops::top {

namespace {

std::string InstanceName(const std::string& level, int64_t instance, int64_t instances) {
  return instances == 1 ? level : level + "[" + std::to_string(instance) + "]";
}

}  // namespace

struct LayerSimulation::Impl {
  const spec::Architecture& architecture;
  const spec::Workload& workload;
  SimulationOptions options;
  mapping::LayerPlan plan;
  mapping::PeProgram program;
  std::vector<mapping::Tensor> tensors;
  LayerContext context;
  std::unique_ptr<NocElaboration> noc;  // empty: fan-outs are buses
  std::vector<std::unique_ptr<LevelController>> controllers;
  std::vector<std::unique_ptr<TiledPe>> pes;
  std::unique_ptr<models::Watchdog> watchdog;
  stats::StatsTree tree;
  models::Cycle last_cycles = 0;  // of the last Run, for the NoC's utilisation

  Impl(const spec::Architecture& a, const spec::Workload& w, const spec::Mapping& m, SimulationOptions o)
      : architecture(a), workload(w), options(o), plan(a, w, m), program(mapping::CompilePeProgram(plan)) {
    context.plan = &plan;
    context.roles = mapping::RolesOf(w);
    context.psum_bits = o.psum_bits;
    context.prefetch_depth = o.prefetch_depth;
    tensors = mapping::ShapeTensors(w);
    mapping::FillOperands(w, o.seed, o.value_bits, tensors);
    if (!o.second_operand.empty()) {
      std::vector<int64_t>& second = tensors[context.roles.second].values;
      if (o.second_operand.size() != second.size())
        throw SpecError(w.where, "the given " + w.data_spaces[context.roles.second].name + " hold " +
                                     std::to_string(o.second_operand.size()) + " values, the problem needs " +
                                     std::to_string(second.size()));
      second = o.second_operand;
    }
    if (o.use_noc && a.noc) noc = std::make_unique<NocElaboration>(*a.noc, plan, o.noc_params);
    BuildStallCauses();
    BuildLevels();
    Wire();
  }

  void BuildStallCauses() {
    for (size_t level = 0; level < architecture.storage.size(); ++level)
      for (int d = 0; d < plan.num_data_spaces(); ++d)
        for (int kind = 0; kind < static_cast<int>(StallKind::kCount); ++kind) {
          const int parent = plan.Parent(d, static_cast<int>(level));
          const std::string child = architecture.storage[level].name;
          const std::string above = parent >= 0 ? architecture.storage[parent].name : "-";
          const std::string& ds = workload.data_spaces[d].name;
          std::string text;
          switch (static_cast<StallKind>(kind)) {
            case StallKind::kParentTile:
              text = ds + ": " + above + " tile not yet filled (feeding " + child + ")";
              break;
            case StallKind::kParentRead:
              text = ds + ": read bandwidth of " + above + " (feeding " + child + ")";
              break;
            case StallKind::kNetwork:
              text = ds + (noc ? ": network (" + noc->topology_name() + ") " : ": bus ") + above + " -> " +
                     child;
              break;
            default:
              text = ds + ": write bandwidth of " + child;
              break;
          }
          context.stall_causes.push_back(text);
        }
    context.stall_causes.push_back("pipeline fill: waiting for the first tiles");
  }

  void BuildLevels() {
    const int levels = static_cast<int>(architecture.storage.size());
    const int top = levels - 1;
    context.levels.resize(levels);
    std::vector<std::string> names;
    for (const auto& space : workload.data_spaces) names.push_back(space.name);
    for (int level = 0; level < levels; ++level) {
      LevelState& state = context.levels[level];
      const spec::StorageLevelSpec& spec_level = architecture.storage[level];
      const int64_t instances = plan.Instances(level);
      state.buffers.resize(plan.num_data_spaces());
      state.boards.resize(plan.num_data_spaces());
      state.networks.resize(plan.num_data_spaces());
      state.offset.assign(plan.num_data_spaces(), 0);
      int64_t capacity = 0;
      for (int d = 0; d < plan.num_data_spaces(); ++d) {
        const auto& chain = plan.Chain(d);
        if (std::find(chain.begin(), chain.end(), level) == chain.end()) continue;
        state.in_use = true;
        state.offset[d] = capacity;
        const std::vector<int64_t> origin(workload.dimensions.size(), 0);
        capacity += plan.nest().Project(d, origin, plan.nest().TileExtent(level)).Size();
        for (int64_t i = 0; i < instances; ++i) state.buffers[d].emplace_back(context.ReadWrite(d));
        const bool innermost = chain.front() == level;
        state.boards[d] = std::make_unique<VersionBoard>(
            spec_level.name + " " + workload.data_spaces[d].name + " tiles", innermost ? instances : 1);
        if (level != top) {
          if (noc) {
            state.networks[d] = noc->MakeFanout(d, level);
          } else {
            std::vector<int64_t> sizes;
            for (const mapping::ChildGroup& group : plan.Groups(d, level))
              sizes.push_back(static_cast<int64_t>(group.children.size()));
            auto bus = std::make_unique<FanoutBus>(options.bus_width, options.bus_latency, std::move(sizes));
            tree.Register("accelerator." + spec_level.name + ".bus_" + workload.data_spaces[d].name,
                          bus->stats());
            state.networks[d] = std::move(bus);
          }
        }
      }
      if (!state.in_use) continue;
      for (int64_t i = 0; i < instances; ++i) {
        models::StorageConfig config;
        config.capacity = std::max<int64_t>(capacity, 1);
        config.word_bits = static_cast<int>(spec_level.word_bits);
        config.block_size = spec_level.block_size;
        config.n_banks = std::max<int64_t>(spec_level.n_banks, 1);
        config.read_bandwidth = spec_level.read_bandwidth;
        config.write_bandwidth = spec_level.write_bandwidth;
        config.shared_bandwidth = spec_level.shared_bandwidth;
        config.data_spaces = names;
        config.bandwidth_in_values = true;  // Timeloop's bandwidth semantics (see StorageConfig)
        config.bank_conflicts = options.bank_conflicts;
        state.cores.push_back(std::make_unique<models::StorageCore>(config));
        tree.Register("accelerator." + InstanceName(spec_level.name, i, instances),
                      state.cores.back()->stats());
      }
    }
    // The outermost level holds the whole tensors from the start.
    const std::vector<int64_t> origin(workload.dimensions.size(), 0);
    for (int d = 0; d < plan.num_data_spaces(); ++d) {
      const DataBox whole = plan.nest().Project(d, origin, plan.nest().TileExtent(top));
      context.levels[top].buffers[d][0].InitWhole(whole, tensors[d].values, context.ReadWrite(d));
      context.levels[top].boards[d]->Publish(0);
    }
  }

  void Wire() {
    const int levels = static_cast<int>(architecture.storage.size());
    watchdog = std::make_unique<models::Watchdog>("watchdog", options.watchdog_cycles);
    for (int d = 0; d < plan.num_data_spaces(); ++d)
      for (int level : plan.Chain(d)) {
        if (level == levels - 1) continue;
        const std::string name =
            "fill_" + architecture.storage[level].name + "_" + workload.data_spaces[d].name;
        controllers.push_back(std::make_unique<LevelController>(name.c_str(), context, d, level));
        watchdog->Watch(*controllers.back());
      }
    const int64_t macs = plan.Instances(-1);
    for (int64_t i = 0; i < macs; ++i) {
      const std::string name = InstanceName(architecture.arithmetic.name, i, macs);
      pes.push_back(std::make_unique<TiledPe>(name.c_str(), context, program, i,
                                              models::MacConfig{options.mac_latency, options.psum_bits}));
      tree.Register("accelerator." + name, pes.back()->mac().stats());
      watchdog->Watch(*pes.back());
    }
  }

  SimulationResult Collect(double wall) {
    SimulationResult result;
    result.wall_seconds = wall;
    result.pe_program = program.Listing(plan);
    const TiledPe* last = pes.front().get();
    for (const auto& pe : pes) {
      if (pe->finished_at() > last->finished_at()) last = pe.get();
      result.macs += pe->mac().stats().Value("macs");
    }
    result.pe_finished_at = last->finished_at();
    result.compute_cycles = last->busy_cycles();
    for (size_t cause = 0; cause < last->stall_cycles().size(); ++cause)
      if (last->stall_cycles()[cause] > 0)
        result.stalls.push_back({context.stall_causes[cause], last->stall_cycles()[cause]});
    std::sort(result.stalls.begin(), result.stalls.end(), [](const StallEntry& a, const StallEntry& b) {
      return a.cycles > b.cycles || (a.cycles == b.cycles && a.cause < b.cause);
    });
    result.cycles = result.pe_finished_at;
    const int levels = static_cast<int>(architecture.storage.size());
    result.accesses.assign(levels, std::vector<SimulatedAccesses>(plan.num_data_spaces()));
    for (int level = 0; level < levels; ++level) {
      LevelState& state = context.levels[level];
      for (int d = 0; d < plan.num_data_spaces(); ++d) {
        SimulatedAccesses& access = result.accesses[level][d];
        if (state.buffers[d].empty()) continue;
        access.kept = true;
        access.instances = static_cast<int64_t>(state.cores.size());
        for (const auto& core : state.cores) {
          access.instance_reads.push_back(core->Count(models::Access::kRead, d));
          access.instance_fills.push_back(core->Count(models::Access::kFill, d));
          access.instance_updates.push_back(core->Count(models::Access::kUpdate, d));
          access.reads += access.instance_reads.back();
          access.fills += access.instance_fills.back();
          access.updates += access.instance_updates.back();
        }
        for (const TileBuffer& buffer : state.buffers[d])
          result.cycles = std::max({result.cycles, buffer.available_at(), buffer.landed_at()});
      }
    }
    // The outputs, as they ended up in the outermost level, against the reference kernel.
    const int r = context.roles.result;
    mapping::Tensor simulated = tensors[r];
    simulated.values = context.levels[levels - 1].buffers[r][0].values();
    for (int64_t& value : simulated.values) value = mapping::WrapToBits(value, options.psum_bits);
    const mapping::Tensor expected = mapping::ReferenceResult(workload, tensors, options.psum_bits);
    result.mismatch = mapping::FirstMismatch(workload, r, expected, simulated);
    result.outputs = std::move(simulated.values);
    return result;
  }
};

LayerSimulation::LayerSimulation(const spec::Architecture& architecture, const spec::Workload& workload,
                                 const spec::Mapping& mapping, SimulationOptions options)
    : impl_(std::make_unique<Impl>(architecture, workload, mapping, options)) {}

LayerSimulation::~LayerSimulation() = default;

stats::StatsTree& LayerSimulation::stats() {
  return impl_->tree;
}

SimulationResult LayerSimulation::Run() {
  const auto begin = std::chrono::steady_clock::now();
  // The watchdog's sc_stop() is reported by Cyclops itself, as an error naming the stuck modules.
  sc_core::sc_report_handler::set_actions("/OSCI/SystemC", sc_core::SC_INFO, sc_core::SC_DO_NOTHING);
  sc_core::sc_start();
  RestoreMainStackForSanitizer();  // before anything can throw on this stack (sim/core/sanitizer_stack.h)
  if (impl_->context.failure) std::rethrow_exception(impl_->context.failure);
  impl_->watchdog->ThrowIfStuck();
  std::string unfinished;
  for (const auto& pe : impl_->pes)
    if (!pe->finished()) unfinished += "\n  " + pe->WatchName() + ": waiting for " + pe->WaitingFor();
  for (const auto& controller : impl_->controllers)
    if (!controller->finished())
      unfinished += "\n  " + controller->WatchName() + ": waiting for " + controller->WaitingFor();
  if (!unfinished.empty()) throw SimulationError("the simulation stopped with work left:" + unfinished);
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  SimulationResult result = impl_->Collect(wall);
  if (impl_->noc) {
    NocElaboration& noc = *impl_->noc;
    noc.RegisterStats(impl_->tree, "accelerator.noc", result.cycles);
    result.noc_topology = noc.topology_name();
    result.noc_modes = noc.ModeLines();
    result.noc_value_hops = noc.value_hops();
    for (const auto& bottleneck : noc.Bottlenecks(5))
      result.noc_bottlenecks.push_back({bottleneck.channel, bottleneck.stall_cycles, bottleneck.busy_cycles});
  }
  impl_->last_cycles = result.cycles;
  return result;
}

std::string LayerSimulation::NocJson() const {
  return impl_->noc ? impl_->noc->ToJson(impl_->last_cycles) : std::string();
}

}  // namespace cyclops::top
