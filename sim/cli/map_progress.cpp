#include "sim/cli/map_progress.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace cyclops::cli {

namespace {

// The objective's value as a person reads it.
std::string Value(const std::string& objective, double value) {
  char text[64];
  if (std::isinf(value)) return "none valid yet";
  if (objective == "latency")
    std::snprintf(text, sizeof text, "%.0f cycles", value);
  else if (objective == "energy")
    std::snprintf(text, sizeof text, "%.4g uJ", value / 1e6);
  else
    std::snprintf(text, sizeof text, "%.4g J*cycle", value * 1e-12);
  return text;
}

}  // namespace

MapProgress::MapProgress(bool enabled, int64_t budget, std::string objective)
    : line_(enabled), budget_(budget), objective_(std::move(objective)) {}

std::function<void(int64_t, double)> MapProgress::Callback() {
  if (!line_.enabled()) return {};
  return [this](int64_t more, double best) { Report(more, best); };
}

void MapProgress::Report(int64_t more, double best) {
  line_.Report(
      [&] {
        evaluated_ += more;
        best_ = std::min(best_, best);
      },
      [&](double seconds) {
        char line[160];
        if (budget_ > 0)
          std::snprintf(line, sizeof line, "  mapping: %lld of %lld evaluations (%.0f%%), best %s %s, %.1f s",
                        static_cast<long long>(evaluated_), static_cast<long long>(budget_),
                        100.0 * static_cast<double>(evaluated_) / static_cast<double>(budget_),
                        objective_.c_str(), Value(objective_, best_).c_str(), seconds);
        else
          std::snprintf(line, sizeof line, "  mapping: %lld evaluations, best %s %s, %.1f s",
                        static_cast<long long>(evaluated_), objective_.c_str(),
                        Value(objective_, best_).c_str(), seconds);
        return std::string(line);
      });
}

}  // namespace cyclops::cli
