#include "sim/stats/text_format.h"

namespace cyclops::stats {

std::string Grouped(int64_t value) {
  const std::string digits = std::to_string(value < 0 ? -value : value);
  std::string text;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) text += ',';
    text += digits[i];
  }
  return value < 0 ? "-" + text : text;
}

std::string Energy(double picojoules) {
  if (picojoules >= 1e6) return Format("%.3f uJ", picojoules / 1e6);
  if (picojoules >= 1e3) return Format("%.3f nJ", picojoules / 1e3);
  return Format("%.3f pJ", picojoules);
}

}  // namespace cyclops::stats
