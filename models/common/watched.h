// What a module tells the Watchdog: a progress count that grows whenever it does useful work, and what it
// is blocked on right now ("" when idle with nothing to do, which is not being stuck).
#pragma once

#include <cstdint>
#include <string>

namespace cyclops::models {

class Watched {
 public:
  virtual ~Watched() = default;
  virtual std::string WatchName() const = 0;  // the SystemC instance name
  virtual uint64_t Progress() const = 0;
  virtual std::string WaitingFor() const = 0;
};

}  // namespace cyclops::models
