// Cycles <-> sc_time, and the clock of the running layer. One accelerator cycle is 1 ns of simulated time
// (a unit convention, not a clock frequency: the energy/report layer applies the real clock).
//
// SystemC time only grows, and one elaborated accelerator runs many layers: every block keeps its times
// in cycles since the start of the running layer (LayerClock), so a layer's timing is the same whatever
// ran before it in the process.
#pragma once

#include <systemc>

#include "models/common/cycle.h"

namespace cyclops::models {

// SystemC time units per cycle, looked up once (sc_time's constructor converts through doubles, and the
// clock is read at every hand-over).
inline sc_dt::uint64 TicksPerCycle() {
  static const sc_dt::uint64 ticks = sc_core::sc_time(1.0, sc_core::SC_NS).value();
  return ticks;
}
inline sc_core::sc_time Cycles(Cycle n) {
  return sc_core::sc_time::from_value(static_cast<sc_dt::uint64>(n) * TicksPerCycle());
}
inline Cycle ToCycles(const sc_core::sc_time& t) {
  return static_cast<Cycle>(t.value() / TicksPerCycle());
}

class LayerClock {
 public:
  // The running layer starts now.
  void StartLayer() { epoch_ = ToCycles(sc_core::sc_time_stamp()); }
  Cycle Now() const { return ToCycles(sc_core::sc_time_stamp()) - epoch_; }
  // Waits until layer cycle `at` (no-op when it is not in the future). Thread context only.
  void WaitUntil(Cycle at) const {
    const Cycle now = Now();
    if (at > now) sc_core::wait(Cycles(at - now));
  }

 private:
  Cycle epoch_ = 0;
};

}  // namespace cyclops::models
