// The functional contents of a memory: values by address, with every access range-checked. Shared by the
// storage core and the DRAM models, which differ only in timing.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace cyclops::models {

class ValueStore {
 public:
  // `what` names the memory kind in range errors ("storage", "dram").
  ValueStore(int64_t capacity, std::string what)
      : values_(static_cast<size_t>(capacity), 0), what_(std::move(what)) {}

  // std::out_of_range when `address` is outside [0, capacity).
  void Check(int64_t address) const {
    if (address < 0 || address >= capacity())
      throw std::out_of_range(what_ + " address " + std::to_string(address) + " outside [0, " +
                              std::to_string(capacity()) + ")");
  }
  int64_t Read(int64_t address) const {
    Check(address);
    return values_[static_cast<size_t>(address)];
  }
  void Write(int64_t address, int64_t value) {
    Check(address);
    values_[static_cast<size_t>(address)] = value;
  }
  int64_t capacity() const { return static_cast<int64_t>(values_.size()); }

 private:
  std::vector<int64_t> values_;
  std::string what_;
};

}  // namespace cyclops::models
