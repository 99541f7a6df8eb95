// A PE as the layer simulation runs it: it steps through its PeProgram, acquires each operand's next tile
// version from its innermost storage level when that tile moves, and runs every MAC burst on the real
// values in those tiles (one event per burst, DESIGN.md decision 4). The MAC timing and MAC counters are
// the MacUnit's; the operand reads and psum updates are counted by the storage levels they hit.
#pragma once

#include <cstdint>
#include <string>
#include <systemc>
#include <vector>

#include "models/common/watched.h"
#include "models/pe/mac_unit.h"
#include "sim/mapping/pe_program.h"
#include "sim/top/layer_context.h"

namespace cyclops::top {

class TiledPe : public sc_core::sc_module, public models::Watched {
 public:
  SC_HAS_PROCESS(TiledPe);
  TiledPe(sc_core::sc_module_name name, LayerContext& context, const mapping::PeProgram& program,
          int64_t instance, models::MacConfig mac);

  std::string WatchName() const override { return name(); }
  uint64_t Progress() const override { return progress_; }
  std::string WaitingFor() const override;

  bool finished() const { return finished_; }
  models::Cycle finished_at() const { return finished_at_; }
  models::Cycle busy_cycles() const { return busy_cycles_; }
  // Cycles spent waiting for operands, by stall cause (LayerContext::Cause).
  const std::vector<models::Cycle>& stall_cycles() const { return stall_cycles_; }
  models::MacUnit& mac() { return mac_; }

 private:
  void Run();
  void RunBurst();
  void PrepareSteps();
  // The stall slot for waiting on the very first tiles (the pipeline filling up).
  int FillCause() const { return static_cast<int>(stall_cycles_.size()) - 1; }

  LayerContext& context_;
  const mapping::PeProgram& program_;
  const int64_t instance_;
  models::MacUnit mac_;
  std::vector<int64_t> spatial_origin_;
  std::vector<int64_t> level_instance_;  // per data space: instance of its innermost level
  std::vector<models::Cycle> stall_cycles_;
  std::vector<std::vector<int64_t>> steps_;  // per data space, per burst loop: address step in its tile
  // Per data space: the address of the burst's first MAC is linear in the burst origin (the operand's
  // projection), so it is origin · weights[d] − low(tile) · rank_stride[d], without projecting a box.
  std::vector<std::vector<int64_t>> weights_;
  std::vector<std::vector<int64_t>> rank_stride_;
  std::vector<int64_t> origin_;  // the current burst's operation-space origin
  // Odometer over the burst loops (reused by every burst) and their factors, in the order steps_ lists them.
  std::vector<int64_t> burst_index_;
  std::vector<int64_t> burst_factor_;
  // The operands' read and psum update counters, owned by the storage cores the operands live in;
  // resolved once because they are bumped on every burst.
  struct BurstCounters {
    stats::Counter* first_reads;
    stats::Counter* second_reads;
    stats::Counter* result_updates;
    stats::Counter* result_reads;
  };
  BurstCounters counters_{};
  models::Cycle busy_cycles_ = 0;
  uint64_t progress_ = 0;
  // What the thread waits for, formatted only when the watchdog asks: -2 not started, -1 nothing, else
  // version waiting_version_ of data space waiting_for_'s board.
  int waiting_for_ = -2;
  int64_t waiting_version_ = 0;
  bool finished_ = false;
  models::Cycle finished_at_ = 0;
};

}  // namespace cyclops::top
