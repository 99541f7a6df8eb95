// The bench the fill-engine testbenches share: a two-level accelerator (one `Buffer` instance on top,
// holding every tensor from the start, and a register file `RF` per PE, with the storage-less level Timeloop
// makes of the PE container's fan-out between them) elaborated by hand around the real
// LevelController of the RF level, from a tiny spec compiled into a real LayerProgram. What the accelerator
// normally does around the block is done here in the open, the way sim/top/accelerator.cpp does it (stores,
// tile boards); the network into the RF level is a recording stand-in, and the PEs are scripted consumers
// that take each version at known cycles, look at what landed, and (for psums) add into it.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <systemc>
#include <vector>

#include "models/common/fanout_if.h"
#include "models/common/layer_processes.h"
#include "models/control/level_controller.h"
#include "models/memory/storage_level.h"
#include "tests/support/matmul_bench.h"

namespace cyclops::models::bench {

// The network into the RF level: every transfer recorded, each taking `latency` cycles from its start.
class RecordingNetwork : public FanoutIf {
 public:
  struct Transfer {
    int data_space = 0, group = 0;
    Cycle at = 0;
    int64_t values = 0;
    Cycle accepted_by = 0;
  };
  explicit RecordingNetwork(Cycle latency) : latency_(latency) {}
  Cycle Fill(int d, int group, Cycle at, int64_t values, Cycle accepted_by) override {
    fills.push_back({d, group, at, values, accepted_by});
    return at + latency_;
  }
  Cycle WriteBack(int d, int group, Cycle at, int64_t values) override {
    write_backs.push_back({d, group, at, values, 0});
    return at + latency_;
  }
  std::string Kind() const override { return "recording network"; }
  std::vector<Transfer> fills, write_backs;

 private:
  Cycle latency_;
};

// What a scripted PE saw of one version of one data space when it took it.
struct Seen {
  int64_t version = -1;
  Cycle published_at = 0;  // what the board says
  Cycle taken_at = 0;
  DataBox box;
  std::vector<int64_t> values;
  Cycle available_at = 0;
  int ready_cause = -1;
};

inline StorageConfig Unlimited() {
  StorageConfig config;
  config.bandwidth_in_values = true;  // as the accelerator configures every level (Timeloop's semantics)
  config.bank_conflicts = false;
  return config;
}

class FillBench {
 public:
  // `spec_yaml`: architecture (Buffer over PE[...] with RF), problem and mapping in one document.
  // `tensor(d, point)`: the initial value of data space d at `point` (rank coordinates).
  FillBench(const std::string& spec_yaml, const StorageConfig& rf, const StorageConfig& buffer,
            Cycle network_latency, int psum_bits, const std::function<int64_t(int, const Point&)>& tensor)
      : compiled_(spec_yaml, psum_bits),
        layout_(compiled_.layout),
        program_(compiled_.program),
        network_(network_latency) {
    // Every level of the architecture (Timeloop's spatial containers without storage are levels too),
    // the RF's instances configured as `rf`, the top's as `buffer`, any other level's as `rf`.
    const int levels = layout_.levels();
    for (int level = 0; level < levels; ++level) {
      const std::string& name = compiled_.spec.architecture->storage[level].name;
      levels_.push_back(std::make_unique<StorageLevel>(name, level));
      for (int64_t i = 0; i < layout_.Instances(level); ++i) {
        instances_.push_back(std::make_unique<StorageInstance>(name + "[" + std::to_string(i) + "]", level,
                                                               level == levels - 1 ? buffer : rf));
        levels_.back()->Attach(*instances_.back());
      }
    }
    LoadStores(tensor);
    LoadBoards(program_, pes(), levels_);
    controller_ = std::make_unique<LevelController>("fill_RF", kRf, clock_);
    for (const auto& level : levels_) controller_->levels.bind(*level);
    controller_->network.bind(network_);
  }

  const mapping::LayerProgram& program() const { return program_; }
  const analysis::LoopNest& nest() const { return *program_.nest; }
  // The RF's transfer program for data space d.
  const mapping::TransferProgram& transfer(int d) const {
    for (const mapping::TransferProgram& transfer : program_.transfers)
      if (transfer.data_space == d && transfer.level == kRf) return transfer;
    throw std::logic_error("no transfer into the RF for data space " + std::to_string(d));
  }
  // The index of the group of transfer(d) that PE `pe`'s RF belongs to.
  size_t GroupOf(int64_t pe, int d) const {
    const int64_t instance = program_.pes[static_cast<size_t>(pe)].operand_instance[static_cast<size_t>(d)];
    const std::vector<mapping::TransferGroup>& groups = transfer(d).groups;
    for (size_t g = 0; g < groups.size(); ++g)
      for (int64_t child : groups[g].children)
        if (child == instance) return g;
    throw std::logic_error("PE in no group");
  }
  int DataSpace(const std::string& name) const {
    for (size_t d = 0; d < program_.data_spaces.size(); ++d)
      if (program_.data_spaces[d] == name) return static_cast<int>(d);
    ADD_FAILURE() << "no data space " << name;
    return 0;
  }
  int64_t pes() const { return compiled_.pes(); }
  int64_t Origin(int64_t pe, int dimension) const { return compiled_.Origin(pe, dimension); }
  StorageInstance& Rf(int64_t pe, int d) {
    return levels_[kRf]->Instance(
        program_.pes[static_cast<size_t>(pe)].operand_instance[static_cast<size_t>(d)]);
  }
  StorageInstance& buffer() { return levels_.back()->Instance(0); }
  RecordingNetwork& network() { return network_; }
  const FillEngine& engine(int d) const {
    for (const auto& engine : controller_->engines())
      if (engine->WatchName() == "fill_RF." + program_.data_spaces[static_cast<size_t>(d)]) return *engine;
    throw std::logic_error("no fill engine for data space " + std::to_string(d));
  }
  // What PE `pe` saw of data space d, version by version.
  const std::vector<Seen>& seen(int64_t pe, int d) { return seen_[{pe, d}]; }

  // A scripted consumer of data space d's RF tiles, for all PEs at once (as a PE cluster reports): takes
  // version v when it is published, but not before `take_at[v]`; holds it `hold` cycles, calling
  // `work(v, pe, store)` for each PE (psums: the "MACs"), and lets go of it when it takes the next.
  void Consume(int d, std::vector<Cycle> take_at, Cycle hold,
               std::function<void(int64_t, int64_t, TileStore&)> work = nullptr) {
    consumers_.push_back([this, d, take_at = std::move(take_at), hold, work = std::move(work)] {
      RunConsumer(d, take_at, hold, work);
    });
  }
  // Loads the controller, starts its engines and the consumers, and simulates until all are done.
  void Run(int prefetch_depth = 1) {
    controller_->Load(program_, prefetch_depth);
    controller_->Start(processes_);
    for (size_t c = 0; c < consumers_.size(); ++c)
      processes_.Spawn("consumer_" + std::to_string(c), consumers_[c]);
    sc_core::sc_start();
    if (processes_.failure()) std::rethrow_exception(processes_.failure());
    for (const auto& engine : controller_->engines())
      EXPECT_TRUE(engine->finished()) << engine->WatchName() << " waits for " << engine->WaitingFor();
  }
  Cycle now() const { return clock_.Now(); }

 private:
  void LoadStores(const std::function<int64_t(int, const Point&)>& tensor);
  void RunConsumer(int d, const std::vector<Cycle>& take_at, Cycle hold,
                   const std::function<void(int64_t, int64_t, TileStore&)>& work);

  CompiledMatmul compiled_;
  const mapping::HardwareLayout& layout_;
  const mapping::LayerProgram& program_;
  RecordingNetwork network_;
  std::vector<std::unique_ptr<StorageLevel>> levels_;  // innermost (RF) first, the Buffer last
  std::vector<std::unique_ptr<StorageInstance>> instances_;
  LayerClock clock_;
  LayerProcesses processes_;
  std::unique_ptr<LevelController> controller_;
  std::vector<std::function<void()>> consumers_;
  std::map<std::pair<int64_t, int>, std::vector<Seen>> seen_;
};

// As Accelerator::Impl::LoadStores: the Buffer holds every tensor whole; a read-only multicast group's RF
// members share one store (one PE cluster here), psum members each have their own.
inline void FillBench::LoadStores(const std::function<int64_t(int, const Point&)>& tensor) {
  const int data_spaces = static_cast<int>(program_.data_spaces.size());
  for (const auto& instance : instances_)
    instance->ResetLayer(data_spaces, program_.address_space[instance->level()]);
  for (int d = 0; d < data_spaces; ++d) {
    const DataBox whole = nest().Project(d, nest().TileExtent(program_.levels() - 1));
    std::vector<int64_t> values(static_cast<size_t>(whole.Size()));
    ForEachPoint(whole, [&](const Point& point, int64_t index) { values[index] = tensor(d, point); });
    buffer().OwnStore(d, program_.read_write[d]).InitWhole(whole, values, program_.read_write[d]);
  }
  for (const mapping::TransferProgram& transfer : program_.transfers)
    for (const mapping::TransferGroup& group : transfer.groups) {
      TileStore* shared = nullptr;
      for (int64_t child : group.children) {
        StorageInstance& member = levels_[transfer.level]->Instance(child);
        if (transfer.share_store && shared)
          member.ShareStore(transfer.data_space, *shared);
        else
          shared = &member.OwnStore(transfer.data_space, transfer.read_write);
      }
    }
}

inline void FillBench::RunConsumer(int d, const std::vector<Cycle>& take_at, Cycle hold,
                                   const std::function<void(int64_t, int64_t, TileStore&)>& work) {
  TileBoard& board = *levels_[kRf]->Board(d);
  const auto versions = static_cast<int64_t>(take_at.size());
  for (int64_t v = 0; v < versions; ++v) {
    if (v > 0) board.Released(v - 1, pes());
    board.WaitPublished(v);
    clock_.WaitUntil(take_at[static_cast<size_t>(v)]);
    for (int64_t pe = 0; pe < pes(); ++pe) {
      TileStore& store = Rf(pe, d).Tile(d);
      store.CommitThrough(v);
      seen_[{pe, d}].push_back({v, board.published_at(v), clock_.Now(), store.box(), store.values(),
                                store.available_at(), store.ready_cause()});
    }
    board.Acquired(v, pes());
    clock_.WaitUntil(clock_.Now() + hold);
    for (int64_t pe = 0; work && pe < pes(); ++pe) work(v, pe, Rf(pe, d).Tile(d));
  }
  board.Released(versions - 1, pes());
}

}  // namespace cyclops::models::bench
