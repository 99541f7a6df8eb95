#include "sim/stats/stat_group.h"

#include <stdexcept>

namespace cyclops::stats {

void StatGroup::CheckNew(const std::string& name) const {
  if (name.empty() || name.find('.') != std::string::npos) {
    throw std::logic_error("stat name '" + name + "' must be non-empty and contain no '.'");
  }
  if (FindCounter(name) != nullptr || FindFormula(name) != nullptr) {
    throw std::logic_error("stat '" + name + "' declared twice");
  }
}

Counter& StatGroup::AddCounter(const std::string& name, const std::string& unit,
                               const std::string& description) {
  CheckNew(name);
  return counters_.emplace_back(name, unit, description);
}

const Formula& StatGroup::AddFormula(const std::string& name, const std::string& unit,
                                     const std::string& description, std::function<double()> compute) {
  CheckNew(name);
  return formulas_.emplace_back(name, unit, description, std::move(compute));
}

const Formula& StatGroup::AddRatio(const std::string& name, const std::string& description,
                                   const Counter& numerator, const Counter& denominator) {
  return AddFormula(
      name, numerator.unit() + "/" + denominator.unit(), description, [&numerator, &denominator] {
        return denominator.value() == 0
                   ? 0.0
                   : static_cast<double>(numerator.value()) / static_cast<double>(denominator.value());
      });
}

const Counter* StatGroup::FindCounter(const std::string& name) const {
  for (const Counter& counter : counters_) {
    if (counter.name() == name) return &counter;
  }
  return nullptr;
}

const Formula* StatGroup::FindFormula(const std::string& name) const {
  for (const Formula& formula : formulas_) {
    if (formula.name() == name) return &formula;
  }
  return nullptr;
}

uint64_t StatGroup::Value(const std::string& counter_name) const {
  const Counter* counter = FindCounter(counter_name);
  if (counter == nullptr) throw std::out_of_range("no counter '" + counter_name + "'");
  return counter->value();
}

void StatGroup::Reset() {
  for (Counter& counter : counters_) counter.Reset();
}

}  // namespace cyclops::stats
