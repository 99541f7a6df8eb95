// The bench of the PE-cluster testbench: the real PeCluster of a hand-built accelerator — a `Buffer` on
// top, 2 x 2 PEs each with a private register file `RF` (plus the storage-less level Timeloop makes of the
// PE container's fan-out) — compiled from tests/support/matmul_bench.h's MulticastSpec (PE (m, n) runs 2
// bursts of 2 MACs, on A[m][2v..2v+1] and B[2v..2v+1][n] in version v = 0, 1, into Z[m][n]). Where the
// accelerator would run the RF's fill engine, a scripted producer hands each PE its tile versions: it
// stages a version's values in every PE's RF store, ready at a cycle and for a cause the test picks, and
// publishes the version on the RF's tile board at a cycle the test picks. Everything else is set up the way
// sim/top/accelerator.cpp does it.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>
#include <systemc>
#include <vector>

#include "models/common/layer_processes.h"
#include "models/pe/pe_cluster.h"
#include "tests/support/matmul_bench.h"

namespace cyclops::models::bench {

// One version of one data space as the producer hands it over.
struct Handover {
  Cycle publish_at = 0;                       // when the board publishes it
  std::function<Cycle(int64_t pe)> ready_at;  // when PE pe's values have arrived (null: publish_at)
  int cause = -1;                             // what they waited for (models::StallCause)
  std::function<DataBox(int64_t pe)> box;     // PE pe's tile
};

class PeBench {
 public:
  // `tensor(d, point)`: the value of data space d at `point`; an RF without read bandwidth unless `rf_read`.
  PeBench(MacConfig mac, std::optional<double> rf_read, std::function<int64_t(int, const Point&)> tensor)
      : compiled_(MulticastSpec(), 32),
        layout_(compiled_.layout),
        program_(compiled_.program),
        tensor_(std::move(tensor)) {
    EXPECT_EQ(layout_.clusters(), 1);
    StorageConfig config;
    config.bandwidth_in_values = true;
    config.bank_conflicts = false;
    config.read_bandwidth = rf_read;
    // As AcceleratorModule: levels private to a PE are the PEs', shared levels in the cluster its blocks
    // (here only the fan-out level, which keeps nothing), the others stand alone.
    const int top = layout_.levels() - 1;
    std::vector<PeCluster::BlockSpec> blocks;
    for (int level = 0; level < top; ++level)
      if (layout_.InCluster(level) && !layout_.PrivateToPe(level))
        blocks.push_back({level, compiled_.spec.architecture->storage[level].name, StorageConfig{}});
    cluster_ = std::make_unique<PeCluster>("cluster", layout_.pes_per_cluster(), mac, clock_, blocks);
    for (int level = 0; level <= top; ++level) {
      const std::string& name = compiled_.spec.architecture->storage[level].name;
      levels_.push_back(std::make_unique<StorageLevel>(name, level));
      if (level != top && layout_.PrivateToPe(level)) {
        for (int64_t mac_index = 0; mac_index < layout_.Instances(-1); ++mac_index)
          levels_.back()->Attach(cluster_->pe(layout_.LocalPe(mac_index)).AddPrivate(level, name, config));
      } else if (level != top && layout_.InCluster(level)) {
        for (const auto& block : cluster_->blocks())
          if (block->instance().level() == level) levels_.back()->Attach(block->instance());
      } else {
        for (int64_t i = 0; i < layout_.Instances(level); ++i) {
          instances_.push_back(std::make_unique<StorageInstance>(name, level, StorageConfig{}));
          levels_.back()->Attach(*instances_.back());
        }
      }
    }
    for (const auto& level : levels_) cluster_->levels.bind(*level);
    LoadStores();
    LoadBoards(program_, pes(), levels_);
    std::vector<std::pair<int64_t, size_t>> assigned;
    for (size_t i = 0; i < program_.pes.size(); ++i)
      assigned.emplace_back(layout_.LocalPe(program_.pes[i].mac), i);
    cluster_->Load(program_, std::move(assigned));
  }

  const mapping::LayerProgram& program() const { return program_; }
  int64_t pes() const { return compiled_.pes(); }
  int64_t Origin(int64_t pe, int dimension) const { return compiled_.Origin(pe, dimension); }
  StorageInstance& Rf(int64_t pe, int d) {
    return levels_[kRf]->Instance(
        program_.pes[static_cast<size_t>(pe)].operand_instance[static_cast<size_t>(d)]);
  }
  Pe& pe(int64_t pe) { return cluster_->pe(layout_.LocalPe(program_.pes[static_cast<size_t>(pe)].mac)); }
  PeCluster& cluster() { return *cluster_; }
  // PE pe's outcome (PeCluster::Outcomes is in load order, which is program order here).
  PeCluster::PeOutcome Outcome(int64_t pe) const { return cluster_->Outcomes()[static_cast<size_t>(pe)]; }
  int StallCauseOf(int d, StallKind kind) const { return StallCause(kRf, d, 3, kind); }
  int FillCause() const { return FillStallCause(program_.levels(), 3); }

  // The producer of data space d's RF tiles: hands over `versions` in order.
  void Produce(int d, std::vector<Handover> versions) {
    producers_.push_back([this, d, versions = std::move(versions)] { RunProducer(d, versions); });
  }
  void Run() {
    for (size_t p = 0; p < producers_.size(); ++p)
      processes_.Spawn("producer_" + std::to_string(p), producers_[p]);
    PeCluster* cluster = cluster_.get();
    processes_.Spawn("cluster_run", [cluster] { cluster->Run(); });
    sc_core::sc_start();
    if (processes_.failure()) std::rethrow_exception(processes_.failure());
    EXPECT_TRUE(cluster_->finished()) << "the cluster waits for " << cluster_->WaitingFor();
  }

 private:
  void LoadStores() {
    for (const auto& level : levels_)
      for (int64_t i = 0; i < level->instances(); ++i)
        level->Instance(i).ResetLayer(3, program_.address_space[level->index()]);
    const analysis::LoopNest& nest = *program_.nest;
    for (int d = 0; d < 3; ++d) {
      const DataBox whole = nest.Project(d, nest.TileExtent(program_.levels() - 1));
      levels_.back()
          ->Instance(0)
          .OwnStore(d, program_.read_write[d])
          .InitWhole(whole, Values(d, whole), program_.read_write[d]);
      for (int64_t pe = 0; pe < pes(); ++pe) Rf(pe, d).OwnStore(d, program_.read_write[d]);
    }
  }
  std::vector<int64_t> Values(int d, const DataBox& box) const {
    std::vector<int64_t> values(static_cast<size_t>(box.Size()));
    ForEachPoint(box, [&](const Point& point, int64_t index) { values[index] = tensor_(d, point); });
    return values;
  }
  void RunProducer(int d, const std::vector<Handover>& versions) {
    for (size_t v = 0; v < versions.size(); ++v) {
      const Handover& handover = versions[v];
      clock_.WaitUntil(handover.publish_at);
      for (int64_t pe = 0; pe < pes(); ++pe) {
        TileStore& store = Rf(pe, d).Tile(d);
        StagedVersion& staged = store.StagingSlot();
        staged.box = handover.box(pe);
        staged.delta = analysis::TileDelta{analysis::TileDelta::Kind::kWhole, staged.box, staged.box.Size()};
        staged.values = Values(d, staged.box);
        staged.fresh.assign(program_.read_write[d] ? staged.values.size() : 0, 1);  // psums nobody wrote
        staged.ready = handover.ready_at ? handover.ready_at(pe) : handover.publish_at;
        staged.cause = handover.cause;
        staged.departure_taken = false;
        store.Stage();
      }
      levels_[kRf]->Board(d)->Publish(static_cast<int64_t>(v), clock_.Now());
    }
  }

  CompiledMatmul compiled_;
  const mapping::HardwareLayout& layout_;
  const mapping::LayerProgram& program_;
  std::function<int64_t(int, const Point&)> tensor_;
  LayerClock clock_;
  LayerProcesses processes_;
  std::unique_ptr<PeCluster> cluster_;
  std::vector<std::unique_ptr<StorageLevel>> levels_;
  std::vector<std::unique_ptr<StorageInstance>> instances_;
  std::vector<std::function<void()>> producers_;
};

}  // namespace cyclops::models::bench
