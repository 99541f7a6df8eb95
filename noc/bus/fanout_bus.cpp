#include "noc/bus/fanout_bus.h"

#include <algorithm>
#include <cmath>

namespace cyclops::noc {

FanoutBus::FanoutBus(std::optional<double> width, models::Cycle latency)
    : width_(width), latency_(std::max<models::Cycle>(latency, 1)) {}

void FanoutBus::FileStats(stats::StatGroup& group) const {
  group.AddCounter("transfers", "transfers", "tile deltas or write-backs moved (one per multicast)")
      .Add(transfers_);
  stats::Counter& values =
      group.AddCounter("values", "values", "values sent (a multicast value counts once)");
  values.Add(values_);
  group.AddCounter("deliveries", "values", "values delivered (a multicast value counts per receiver)")
      .Add(deliveries_);
  stats::Counter& busy = group.AddCounter("busy_cycles", "cycles", "cycles the bus was moving values");
  busy.Add(busy_cycles_);
  group.AddCounter("stall_cycles", "cycles", "cycles transfers waited for the bus to be free")
      .Add(stall_cycles_);
  group.AddRatio("values_per_busy_cycle", "values moved per busy cycle", values, busy);
}

models::Cycle FanoutBus::Transfer(models::Cycle at, int64_t values, int64_t receivers) {
  if (values <= 0) return at;
  const double start = std::max(static_cast<double>(at), free_at_);
  // An unlimited bus never queues transfers (Timeloop's networks); the latency still applies.
  const double occupancy = width_ ? static_cast<double>(values) / *width_ : 0.0;
  free_at_ = start + occupancy;
  ++transfers_;
  values_ += static_cast<uint64_t>(values);
  deliveries_ += static_cast<uint64_t>(values * receivers);
  // Whole cycles: transfers may share a cycle, which is then busy once; a transfer stalled for the whole
  // cycles it waited before it could start sending.
  const double first = std::max(std::floor(start), counted_until_);
  const double last = std::ceil(free_at_);
  if (last > first) busy_cycles_ += static_cast<uint64_t>(last - first);
  counted_until_ = std::max(counted_until_, last);
  stall_cycles_ += static_cast<uint64_t>(std::floor(start) - static_cast<double>(at));
  return static_cast<models::Cycle>(std::ceil(start + occupancy)) + latency_ - (width_ ? 1 : 0);
}

}  // namespace cyclops::noc
