#include "models/pe/mac_unit.h"

#include <algorithm>
#include <stdexcept>

namespace cyclops::models {

MacUnit::MacUnit(MacConfig config) : config_(config) {
  if (config_.pipeline_latency < 1) throw std::invalid_argument("MAC pipeline latency must be >= 1");
  if (config_.psum_bits < 1 || config_.psum_bits > 64)
    throw std::invalid_argument("psum_bits must be in 1..64");
}

Cycle MacUnit::ScheduleBurst(Cycle at, uint64_t count) {
  return ScheduleBurst(at, count, count);
}

Cycle MacUnit::ScheduleBurst(Cycle at, uint64_t count, Cycle cycles) {
  if (count == 0) return at;
  cycles = std::max<Cycle>(cycles, count);
  const Cycle start = std::max(at, next_issue_);
  next_issue_ = start + cycles;
  ++bursts_;
  busy_cycles_ += count;
  return start + cycles + config_.pipeline_latency - 1;
}

void MacUnit::FileStats(stats::StatGroup& group) const {
  group.AddCounter("macs", "MACs", "multiply-accumulates performed").Add(macs_);
  group.AddCounter("bursts", "bursts", "MAC bursts issued").Add(bursts_);
  group.AddCounter("busy_cycles", "cycles", "cycles a MAC issued").Add(busy_cycles_);
}

}  // namespace cyclops::models
