// Cycles <-> sc_time. One accelerator cycle is 1 ns of simulated time (a unit convention, not a clock
// frequency: the energy/report layer applies the real clock).
#pragma once

#include <systemc>

#include "models/common/cycle.h"

namespace cyclops::models {

inline sc_core::sc_time Cycles(Cycle n) {
  return sc_core::sc_time(static_cast<double>(n), sc_core::SC_NS);
}
inline Cycle ToCycles(const sc_core::sc_time& t) {
  return static_cast<Cycle>(t.to_seconds() * 1e9 + 0.5);
}
inline Cycle Now() {
  return ToCycles(sc_core::sc_time_stamp());
}
// Waits until absolute cycle `at` (no-op when it is not in the future). Thread context only.
inline void WaitUntil(Cycle at) {
  const Cycle now = Now();
  if (at > now) sc_core::wait(Cycles(at - now));
}

}  // namespace cyclops::models
