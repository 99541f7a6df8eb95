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
  std::string stuck;
  for (const Watched* module : watched_) {
    const std::string waiting = module->WaitingFor();
    if (!waiting.empty()) stuck += "\n  " + module->WatchName() + ": waiting for " + waiting;
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
