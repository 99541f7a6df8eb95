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
  std::string WaitingFor() const override { return waiting_for_; }

  bool finished() const { return finished_; }
  models::Cycle finished_at() const { return finished_at_; }
  models::Cycle busy_cycles() const { return busy_cycles_; }
  // Cycles spent waiting for operands, by stall cause (LayerContext::Cause).
  const std::vector<models::Cycle>& stall_cycles() const { return stall_cycles_; }
  models::MacUnit& mac() { return mac_; }

 private:
  void Run();
  void RunBurst(const std::vector<int64_t>& origin);
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
  std::vector<int64_t> unit_extent_;
  models::Cycle busy_cycles_ = 0;
  uint64_t progress_ = 0;
  std::string waiting_for_ = "not started";
  bool finished_ = false;
  models::Cycle finished_at_ = 0;
};

}  // namespace cyclops::top
