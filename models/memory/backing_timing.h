// A timing model behind a storage level's bandwidth calendar: the memory devices the level stands for (the
// DRAM behind the outermost level, models/dram). The level's own calendar stays its port (the bandwidth the
// architecture gives it, unlimited when absent); a transfer is done when both have finished it.
#pragma once

#include <cstdint>

#include "models/common/cycle.h"
#include "models/memory/storage_core.h"

namespace cyclops::models {

class BackingTiming {
 public:
  virtual ~BackingTiming() = default;
  // Books `count` values from value address `start` of the level's layer address space, requested at
  // cycle `at` (non-decreasing over calls); `calendar_done` is when the level's calendar finishes them.
  // Returns the cycle at which the devices have moved them.
  virtual Cycle Book(Access access, Cycle at, int64_t start, int64_t count, Cycle calendar_done) = 0;
};

}  // namespace cyclops::models
