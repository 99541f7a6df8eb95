// The fill engine of one storage level for one data space (a DMA with an address generator): it walks the
// loops above the level's tile, and for every new tile version fetches the part its instances do not hold
// yet from the level above — one read and one multicast per group of instances that need the same values —
// and, for read-write data, writes departing psums back up, spatially reduced per group. What moves follows
// the same reuse rule as the analytical model (sim/analysis/box_reuse.h), so the counters agree.
//
// One SC_THREAD; it sleeps until consumers acquire or release versions, or until the level above publishes
// the next version of its tile. Nothing runs on idle cycles.
#pragma once

#include <cstdint>
#include <string>
#include <systemc>
#include <vector>

#include "models/common/watched.h"
#include "sim/top/layer_context.h"

namespace cyclops::top {

class LevelController : public sc_core::sc_module, public models::Watched {
 public:
  SC_HAS_PROCESS(LevelController);
  LevelController(sc_core::sc_module_name name, LayerContext& context, int data_space, int level);

  std::string WatchName() const override { return name(); }
  uint64_t Progress() const override { return progress_; }
  std::string WaitingFor() const override;
  bool finished() const { return finished_; }

 private:
  void Run();  // Walk() with errors handed to LayerSimulation (LayerContext::failure)
  void Walk();
  void AcquireParent(int64_t version);
  void ReleaseParent(int64_t version);
  void Fill(const std::vector<DataBox>& boxes, const std::vector<analysis::TileDelta>& deltas,
            bool departure_taken);
  void WriteBack(const std::vector<Departure>& departures);
  void WriteBackStaged();
  // Hands the departures' storage back to the buffers they came from.
  void RecycleDepartures();

  LayerContext& context_;
  const int d_;
  const int level_;
  const int parent_;
  const bool read_write_;
  std::vector<mapping::ChildGroup> groups_;
  uint64_t progress_ = 0;
  // What the thread waits for, formatted only when the watchdog asks (waits happen per version).
  enum class Wait {
    kNotStarted,
    kParentVersion,
    kConsumersTake,
    kConsumersFinish,
    kParentTile,
    kLastVersion,
    kNone
  };
  Wait waiting_for_ = Wait::kNotStarted;
  int64_t waiting_version_ = 0;
  std::vector<Departure> departures_;  // reused for every write-back
  bool finished_ = false;
};

}  // namespace cyclops::top
