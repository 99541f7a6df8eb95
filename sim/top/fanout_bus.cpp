#include "sim/top/fanout_bus.h"

#include <algorithm>
#include <cmath>

namespace cyclops::top {

FanoutBus::FanoutBus(std::optional<double> width, models::Cycle latency, std::vector<int64_t> group_sizes)
    : width_(width),
      latency_(std::max<models::Cycle>(latency, 1)),
      group_sizes_(std::move(group_sizes)),
      transfers_(stats_.AddCounter("transfers", "transfers",
                                   "tile deltas or write-backs moved (one per multicast)")),
      values_(stats_.AddCounter("values", "values", "values sent (a multicast value counts once)")),
      deliveries_(stats_.AddCounter("deliveries", "values",
                                    "values delivered (a multicast value counts per receiver)")),
      busy_cycles_(stats_.AddCounter("busy_cycles", "cycles", "cycles the bus was moving values")),
      stall_cycles_(
          stats_.AddCounter("stall_cycles", "cycles", "cycles transfers waited for the bus to be free")) {
  stats_.AddRatio("values_per_busy_cycle", "values moved per busy cycle", values_, busy_cycles_);
}

models::Cycle FanoutBus::Transfer(models::Cycle at, int64_t values, int64_t receivers) {
  if (values <= 0) return at;
  const double start = std::max(static_cast<double>(at), free_at_);
  // An unlimited bus never queues transfers (Timeloop's networks); the latency still applies.
  const double occupancy = width_ ? static_cast<double>(values) / *width_ : 0.0;
  free_at_ = start + occupancy;
  transfers_.Add(1);
  values_.Add(values);
  deliveries_.Add(values * receivers);
  // Whole cycles: transfers may share a cycle, which is then busy once; a transfer stalled for the whole
  // cycles it waited before it could start sending.
  const double first = std::max(std::floor(start), counted_until_);
  const double last = std::ceil(free_at_);
  if (last > first) busy_cycles_.Add(static_cast<uint64_t>(last - first));
  counted_until_ = std::max(counted_until_, last);
  stall_cycles_.Add(static_cast<uint64_t>(std::floor(start) - static_cast<double>(at)));
  return static_cast<models::Cycle>(std::ceil(start + occupancy)) + latency_ - (width_ ? 1 : 0);
}

}  // namespace cyclops::top
