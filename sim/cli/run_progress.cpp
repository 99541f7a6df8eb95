#include "sim/cli/run_progress.h"

#include <algorithm>
#include <cstdio>

namespace cyclops::cli {

std::function<void(models::Cycle)> RunProgress::Callback() {
  if (!enabled_) return {};
  return [this](models::Cycle cycle) { Report(cycle); };
}

void RunProgress::Report(models::Cycle cycle) {
  reached_ = std::max(reached_, cycle);  // clusters report in any order
  const auto now = std::chrono::steady_clock::now();
  if (now - shown_ < std::chrono::milliseconds(200)) return;  // a few times a second is enough
  shown_ = now;
  drawn_ = true;
  const double seconds = std::chrono::duration<double>(now - start_).count();
  char line[160];
  if (estimate_ > 0)
    std::snprintf(line, sizeof line, "  simulating: cycle %llu of ~%lld estimated (%.0f%%), %.1f s",
                  static_cast<unsigned long long>(reached_), static_cast<long long>(estimate_),
                  100.0 * static_cast<double>(reached_) / static_cast<double>(estimate_), seconds);
  else
    std::snprintf(line, sizeof line, "  simulating: cycle %llu, %.1f s",
                  static_cast<unsigned long long>(reached_), seconds);
  std::fprintf(stderr, "\r%s\033[K", line);
  std::fflush(stderr);
}

void RunProgress::Finish() {
  if (!drawn_) return;
  std::fprintf(stderr, "\r\033[K");  // the report follows on standard output: leave no half line
  std::fflush(stderr);
  drawn_ = false;
  enabled_ = false;
}

}  // namespace cyclops::cli
