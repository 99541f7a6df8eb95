// Watchdog: names the stuck modules when a simulation deadlocks.
//
// Every `timeout` cycles (one timed event per period, only while armed) it compares the Progress() of the
// watched modules with the previous check. If nothing progressed and at least one module reports a
// non-empty WaitingFor(), the simulation is stuck: the watchdog records a SimulationError naming every
// waiting module and what it waits for, and calls sc_stop(). If nothing progressed and no module waits,
// everything is idle: the watchdog disarms so sc_start() can return; Arm() again after loading new work.
//
// Throwing from inside a SystemC process would be wrapped into an sc_report, so the error is recorded and
// the caller of sc_start() calls ThrowIfStuck().
#pragma once

#include <optional>
#include <string>
#include <systemc>
#include <vector>

#include "models/common/cycle.h"
#include "models/common/watched.h"

namespace cyclops::models {

class Watchdog : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(Watchdog);
  Watchdog(sc_core::sc_module_name name, Cycle timeout);

  void Watch(const Watched& module);  // the module must outlive the watchdog
  void Arm();                         // starts (or restarts) checking; armed at construction

  bool stuck() const { return error_.has_value(); }
  const std::string& message() const;  // empty when not stuck
  void ThrowIfStuck() const;           // throws cyclops::SimulationError with message()

 private:
  void Check();

  Cycle timeout_;
  std::vector<const Watched*> watched_;
  std::vector<uint64_t> last_progress_;
  std::optional<std::string> error_;
  sc_core::sc_event check_event_;
};

}  // namespace cyclops::models
