// What a storage level's SystemC wrapper needs from the thing behind it: a functional store of values and a
// timing calendar. Implemented by StorageCore (scratchpads, global buffer) and by every DramModel, so one
// StorageLevel module serves both. Plain C++, no SystemC.
#pragma once

#include <cstdint>
#include <string>

#include "models/common/cycle.h"

namespace cyclops::stats {
class StatGroup;
}

namespace cyclops::models {

// Who writes: a fill comes from the level above (outer), an update from below (psums written back by the
// inner level or the MACs). Timeloop/Accelergy count them separately.
enum class Access { kRead, kFill, kUpdate };

const char* AccessName(Access access);

class MemoryBackend {
 public:
  virtual ~MemoryBackend() = default;

  // Books `count` values of `data_space` at addresses start, start+stride, ... on the calendar, at the
  // earliest from cycle `at`, counts them, and returns the completion cycle: the first cycle at which all
  // of them have moved (at least at + 1). Calls must come in non-decreasing `at`.
  virtual Cycle Schedule(Access access, int data_space, Cycle at, int64_t start, int64_t count,
                         int64_t stride = 1) = 0;

  // Functional contents; an address outside [0, capacity) is std::out_of_range.
  virtual int64_t Read(int64_t address) const = 0;
  virtual void Write(int64_t address, int64_t value) = 0;
  virtual int64_t capacity() const = 0;

  virtual stats::StatGroup& stats() = 0;
};

}  // namespace cyclops::models
