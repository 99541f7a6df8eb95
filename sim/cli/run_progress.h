// `cyclops run`'s progress line: the cycle the PEs have reached against the analytical estimate and the time
// spent, rewritten in place on standard error a few times a second while the layer simulates, cleared when
// it ends. Only on a terminal: logs and pipes get nothing. (`cyclops network` has its own, per layer.)
#pragma once

#include <cstdint>
#include <functional>

#include "models/common/cycle.h"
#include "sim/cli/progress_line.h"

namespace cyclops::cli {

class RunProgress {
 public:
  // `enabled`: wanted and standard error is a terminal; `estimate`: the analytical model's cycles.
  RunProgress(bool enabled, int64_t estimate) : line_(enabled), estimate_(estimate) {}

  // For RunSettings::progress; empty when disabled.
  std::function<void(models::Cycle)> Callback();
  void Finish() { line_.Finish(); }  // clears the line (once)

 private:
  void Report(models::Cycle cycle);

  ProgressLine line_;
  int64_t estimate_;
  models::Cycle reached_ = 0;
};

}  // namespace cyclops::cli
