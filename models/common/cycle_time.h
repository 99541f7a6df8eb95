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

inline sc_core::sc_time Cycles(Cycle n) {
  return sc_core::sc_time(static_cast<double>(n), sc_core::SC_NS);
}
inline Cycle ToCycles(const sc_core::sc_time& t) {
  return static_cast<Cycle>(t.value() / Cycles(1).value());
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
