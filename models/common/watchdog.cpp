#include "models/common/watchdog.h"

#include <stdexcept>

#include "models/common/cycle_time.h"
#include "sim/core/error.h"

namespace cyclops::models {

Watchdog::Watchdog(sc_core::sc_module_name name, Cycle timeout)
    : sc_core::sc_module(name), timeout_(timeout) {
  if (timeout_ == 0) throw std::invalid_argument("watchdog timeout must be >= 1 cycle");
  SC_METHOD(Check);
  sensitive << check_event_;
  dont_initialize();
  Arm();
}

void Watchdog::Watch(const Watched& module) {
  watched_.push_back(&module);
  last_progress_.push_back(module.Progress());
}

void Watchdog::Arm() {
  for (size_t i = 0; i < watched_.size(); ++i) last_progress_[i] = watched_[i]->Progress();
  check_event_.notify(Cycles(timeout_));
}

void Watchdog::Check() {
  bool progressed = false;
  for (size_t i = 0; i < watched_.size(); ++i) {
    const uint64_t now = watched_[i]->Progress();
    if (now != last_progress_[i]) progressed = true;
    last_progress_[i] = now;
  }
  if (progressed) {
    check_event_.notify(Cycles(timeout_));
    return;
  }
  // Modules waiting for the same thing (e.g. 168 PEs for one tile) are named once, with a count.
  std::string stuck;
  for (size_t i = 0; i < watched_.size();) {
    const std::string waiting = watched_[i]->WaitingFor();
    size_t same = i + 1;
    while (same < watched_.size() && watched_[same]->WaitingFor() == waiting) ++same;
    if (!waiting.empty()) {
      stuck += "\n  " + watched_[i]->WatchName();
      if (same - i > 1) stuck += " and " + std::to_string(same - i - 1) + " more like it";
      stuck += ": waiting for " + waiting;
    }
    i = same;
  }
  if (stuck.empty()) return;  // all idle: disarm
  error_ = "no progress for " + std::to_string(timeout_) + " cycles at cycle " + std::to_string(Now()) +
           "; stuck modules:" + stuck;
  sc_core::sc_stop();
}

const std::string& Watchdog::message() const {
  static const std::string kNone;
  return error_ ? *error_ : kNone;
}

void Watchdog::ThrowIfStuck() const {
  if (error_) throw SimulationError(*error_);
}

}  // namespace cyclops::models
