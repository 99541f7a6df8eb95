// `cyclops run`'s progress line: the cycle the PEs have reached against the analytical estimate and the time
// spent, rewritten in place on standard error a few times a second while the layer simulates, cleared when
// it ends. Only on a terminal: logs and pipes get nothing. (`cyclops network` has its own, per layer.)
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>

#include "models/common/cycle.h"

namespace cyclops::cli {

class RunProgress {
 public:
  // `enabled`: wanted and standard error is a terminal; `estimate`: the analytical model's cycles.
  RunProgress(bool enabled, int64_t estimate) : enabled_(enabled), estimate_(estimate) {}
  ~RunProgress() { Finish(); }
  RunProgress(const RunProgress&) = delete;
  RunProgress& operator=(const RunProgress&) = delete;

  // For RunSettings::progress; empty when disabled.
  std::function<void(models::Cycle)> Callback();
  void Finish();  // clears the line (once)

 private:
  void Report(models::Cycle cycle);

  bool enabled_;
  int64_t estimate_;
  models::Cycle reached_ = 0;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now(), shown_{};
  bool drawn_ = false;
};

}  // namespace cyclops::cli
