#include "sim/cli/run_progress.h"

#include <algorithm>
#include <cstdio>

namespace cyclops::cli {

std::function<void(models::Cycle)> RunProgress::Callback() {
  if (!line_.enabled()) return {};
  return [this](models::Cycle cycle) { Report(cycle); };
}

void RunProgress::Report(models::Cycle cycle) {
  // Clusters report in any order.
  line_.Report([&] { reached_ = std::max(reached_, cycle); },
               [&](double seconds) {
                 char line[160];
                 if (estimate_ > 0)
                   std::snprintf(
                       line, sizeof line, "  simulating: cycle %llu of ~%lld estimated (%.0f%%), %.1f s",
                       static_cast<unsigned long long>(reached_), static_cast<long long>(estimate_),
                       100.0 * static_cast<double>(reached_) / static_cast<double>(estimate_), seconds);
                 else
                   std::snprintf(line, sizeof line, "  simulating: cycle %llu, %.1f s",
                                 static_cast<unsigned long long>(reached_), seconds);
                 return std::string(line);
               });
}

}  // namespace cyclops::cli
