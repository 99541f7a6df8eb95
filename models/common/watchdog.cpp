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
}

void Watchdog::Arm(std::vector<const Watched*> watched, Cycle timeout, LayerProcesses& processes,
                   const LayerClock& clock) {
  if (timeout == 0) throw std::invalid_argument("watchdog timeout must be >= 1 cycle");
  watched_ = std::move(watched);
  timeout_ = timeout;
  processes_ = &processes;
  clock_ = &clock;
  error_.reset();
  last_progress_.clear();
  for (const Watched* module : watched_) last_progress_.push_back(module->Progress());
  armed_ = true;
  check_event_.cancel();
  check_event_.notify(Cycles(timeout_));
}

void Watchdog::Disarm() {
  armed_ = false;
  check_event_.cancel();
}

void Watchdog::Check() {
  if (!armed_) return;
  bool progressed = false;
  for (size_t i = 0; i < watched_.size(); ++i) {
    const uint64_t now = watched_[i]->Progress();
    if (now != last_progress_[i]) progressed = true;
    last_progress_[i] = now;
  }
  // Slow is not stuck: something scheduled (a booked transfer completing) will move the layer on.
  if (progressed || sc_core::sc_pending_activity()) {
    check_event_.notify(Cycles(timeout_));
    return;
  }
  // Modules waiting for the same thing (e.g. 16 clusters for one tile) are named once, with a count.
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
  armed_ = false;
  if (stuck.empty()) return;  // all idle
  error_ = "no progress for " + std::to_string(timeout_) + " cycles at cycle " +
           std::to_string(clock_->Now()) + "; stuck modules:" + stuck;
  processes_->Abort(nullptr);
}

const std::string& Watchdog::message() const {
  static const std::string kNone;
  return error_ ? *error_ : kNone;
}

void Watchdog::ThrowIfStuck() const {
  if (error_) throw SimulationError(*error_);
}

}  // namespace cyclops::models
