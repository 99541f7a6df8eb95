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

std::string NocEnergyLine(const std::string& label, int64_t value_hops, double energy_pj,
                          std::optional<double> hop_pj, const std::string& not_in) {
  if (!hop_pj)
    return Format("%snot priced: %s value-hops, and no ERT entry noc.hop (pJ per value per link)\n",
                  label.c_str(), Grouped(value_hops).c_str());
  return Format("%s%.3f uJ more (%s value-hops x %g pJ, ERT noc.hop; not in %s)\n", label.c_str(),
                energy_pj / 1e6, Grouped(value_hops).c_str(), *hop_pj, not_in.c_str());
}

}  // namespace cyclops::stats
