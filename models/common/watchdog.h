// Watchdog: names the stuck modules when a layer deadlocks.
//
// Every `timeout` cycles (one timed event per period, only while armed) it compares the Progress() of the
// watched modules with the previous check. Nothing progressed is not yet stuck: a module in a timed wait
// (a transfer booked far ahead on a slow link) will progress when its time comes, which shows as other
// activity pending in the kernel. Only when nothing progressed, nothing else is scheduled and some module
// reports a non-empty WaitingFor() is the layer stuck: the watchdog records a SimulationError naming every
// waiting module and what it waits for, and kills the layer's processes so sc_start() returns. If nothing
// progressed and no module waits, everything is idle: it disarms. Arm() again after loading new work.
#pragma once

#include <optional>
#include <string>
#include <systemc>
#include <vector>

#include "models/common/cycle.h"
#include "models/common/cycle_time.h"
#include "models/common/layer_processes.h"
#include "models/common/watched.h"

namespace cyclops::models {

class Watchdog : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(Watchdog);
  Watchdog(sc_core::sc_module_name name, Cycle timeout);

  // A new layer: watch these modules (each must outlive the layer), check every `timeout` cycles, and
  // stop `processes` when stuck.
  void Arm(std::vector<const Watched*> watched, Cycle timeout, LayerProcesses& processes,
           const LayerClock& clock);
  void Disarm();

  bool stuck() const { return error_.has_value(); }
  const std::string& message() const;  // empty when not stuck
  void ThrowIfStuck() const;           // throws cyclops::SimulationError with message()

 private:
  void Check();

  Cycle timeout_;
  std::vector<const Watched*> watched_;
  std::vector<uint64_t> last_progress_;
  LayerProcesses* processes_ = nullptr;
  const LayerClock* clock_ = nullptr;
  std::optional<std::string> error_;
  bool armed_ = false;
  sc_core::sc_event check_event_;
};

}  // namespace cyclops::models
