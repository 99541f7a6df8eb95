// `cyclops map`'s progress line: evaluations so far against the budget, the best objective value yet and
// the time spent, rewritten in place on standard error a few times a second while the mapper searches,
// cleared when it ends. Only on a terminal: logs and pipes get nothing.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <string>

#include "sim/cli/progress_line.h"

namespace cyclops::cli {

class MapProgress {
 public:
  // `enabled`: wanted and standard error is a terminal. `budget` 0: no evaluation budget (a time limit).
  MapProgress(bool enabled, int64_t budget, std::string objective);

  // For MapperOptions::progress; empty when disabled.
  std::function<void(int64_t, double)> Callback();
  // Clears the line (once).
  void Finish() { line_.Finish(); }

 private:
  void Report(int64_t more, double best);

  ProgressLine line_;
  int64_t budget_;
  std::string objective_;
  int64_t evaluated_ = 0;
  double best_ = std::numeric_limits<double>::infinity();
};

}  // namespace cyclops::cli
