// Number formatting shared by the text reports, so every table prints counts the same way.
#pragma once

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>

namespace cyclops::stats {

// printf into a std::string, whole however long (a table row with long layer names too).
template <typename... Values>
std::string Format(const char* format, Values... values) {
  char buffer[512];
  const int length = std::snprintf(buffer, sizeof buffer, format, values...);
  if (length < 0) return "";
  if (static_cast<size_t>(length) < sizeof buffer) return std::string(buffer, static_cast<size_t>(length));
  std::string text(static_cast<size_t>(length), '\0');
  std::snprintf(text.data(), text.size() + 1, format, values...);
  return text;
}

// 12345678 → "12,345,678": counts in the millions are unreadable without separators.
std::string Grouped(int64_t value);

// pJ, nJ or uJ with three decimals, whichever reads best.
std::string Energy(double picojoules);

// The report line of a NoC's energy, after `label` (padded as its report pads): its value-hops times the
// ERT's noc.hop (`hop_pj`; none: not priced), which is not in the figures the report calls `not_in`.
std::string NocEnergyLine(const std::string& label, int64_t value_hops, double energy_pj,
                          std::optional<double> hop_pj, const std::string& not_in);

}  // namespace cyclops::stats
