// Number formatting shared by the text reports, so every table prints counts the same way.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

namespace cyclops::stats {

// printf into a std::string (report lines are short; longer output is cut at 511 characters).
template <typename... Values>
std::string Format(const char* format, Values... values) {
  char buffer[512];
  std::snprintf(buffer, sizeof buffer, format, values...);
  return buffer;
}

// 12345678 → "12,345,678": counts in the millions are unreadable without separators.
std::string Grouped(int64_t value);

// pJ, nJ or uJ with three decimals, whichever reads best.
std::string Energy(double picojoules);

}  // namespace cyclops::stats
