// Counters and derived values owned by one component instance (gem5 style): a component declares every
// counter it will ever increment in one place, with name, unit and description, and the StatsTree files
// the group under the component's SystemC instance name (DESIGN.md decision 8).
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <vector>

namespace cyclops::stats {

// One (component instance, action) count. Only the owning component increments it.
class Counter {
 public:
  Counter(std::string name, std::string unit, std::string description)
      : name_(std::move(name)), unit_(std::move(unit)), description_(std::move(description)) {}

  void Add(uint64_t n = 1) { value_ += n; }
  Counter& operator++() {
    ++value_;
    return *this;
  }
  void Reset() { value_ = 0; }

  uint64_t value() const { return value_; }
  const std::string& name() const { return name_; }
  const std::string& unit() const { return unit_; }
  const std::string& description() const { return description_; }

 private:
  std::string name_;
  std::string unit_;
  std::string description_;
  uint64_t value_ = 0;
};

// A derived value computed when stats are written (e.g. utilisation = busy / cycles); never stored, so it
// cannot go stale.
class Formula {
 public:
  Formula(std::string name, std::string unit, std::string description, std::function<double()> compute)
      : name_(std::move(name)),
        unit_(std::move(unit)),
        description_(std::move(description)),
        compute_(std::move(compute)) {}

  double value() const { return compute_(); }
  const std::string& name() const { return name_; }
  const std::string& unit() const { return unit_; }
  const std::string& description() const { return description_; }

 private:
  std::string name_;
  std::string unit_;
  std::string description_;
  std::function<double()> compute_;
};

class StatGroup {
 public:
  StatGroup() = default;
  // Formulas capture counters by reference, so a group never moves once counters exist.
  StatGroup(const StatGroup&) = delete;
  StatGroup& operator=(const StatGroup&) = delete;

  // Declares a counter; a second declaration of the same name is a programming error (std::logic_error).
  // The reference stays valid for the group's lifetime.
  Counter& AddCounter(const std::string& name, const std::string& unit, const std::string& description);
  const Formula& AddFormula(const std::string& name, const std::string& unit, const std::string& description,
                            std::function<double()> compute);
  // numerator / denominator, 0 when the denominator is 0 (an idle component has utilisation 0, not NaN).
  const Formula& AddRatio(const std::string& name, const std::string& description, const Counter& numerator,
                          const Counter& denominator);

  // nullptr when not declared.
  const Counter* FindCounter(const std::string& name) const;
  const Formula* FindFormula(const std::string& name) const;
  // The value of a declared counter; std::out_of_range naming the counter otherwise.
  uint64_t Value(const std::string& counter_name) const;

  // Declaration order, which text writers keep so related counters stay together.
  const std::deque<Counter>& counters() const { return counters_; }
  const std::deque<Formula>& formulas() const { return formulas_; }

  void Reset();  // zero every counter (e.g. between layers of a network run)

 private:
  void CheckNew(const std::string& name) const;

  std::deque<Counter> counters_;  // deque: references handed out stay valid as counters are added
  std::deque<Formula> formulas_;
};

}  // namespace cyclops::stats
