#include "models/pe/mac_unit.h"

#include <algorithm>
#include <stdexcept>

namespace cyclops::models {

MacUnit::MacUnit(MacConfig config)
    : config_(config),
      macs_(stats_.AddCounter("macs", "MACs", "multiply-accumulates performed")),
      bursts_(stats_.AddCounter("bursts", "bursts", "MAC bursts issued")),
      busy_cycles_(stats_.AddCounter("busy_cycles", "cycles", "cycles a MAC issued")) {
  if (config_.pipeline_latency < 1) throw std::invalid_argument("MAC pipeline latency must be >= 1");
  if (config_.psum_bits < 1 || config_.psum_bits > 64)
    throw std::invalid_argument("psum_bits must be in 1..64");
}

Cycle MacUnit::ScheduleBurst(Cycle at, uint64_t count) {
  if (count == 0) return at;
  const Cycle start = std::max(at, next_issue_);
  next_issue_ = start + count;
  bursts_.Add();
  busy_cycles_.Add(count);
  return start + count + config_.pipeline_latency - 1;
}

int64_t MacUnit::Mac(int64_t accumulator, int64_t a, int64_t b) {
  macs_.Add();
  // Unsigned arithmetic: the wrap is defined behaviour, and wrapping later gives the same low bits.
  const uint64_t sum =
      static_cast<uint64_t>(accumulator) + static_cast<uint64_t>(a) * static_cast<uint64_t>(b);
  return WrapToBits(static_cast<int64_t>(sum), config_.psum_bits);
}

}  // namespace cyclops::models
