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

void MacUnit::CountSparse(const SparseMacCounts& counts) {
  sparse_counted_ = true;
  sparse_.actual += counts.actual;
  sparse_.gated += counts.gated;
  sparse_.skipped += counts.skipped;
  sparse_.removed_gated += counts.removed_gated;
  sparse_.removed_skipped += counts.removed_skipped;
  sparse_.nonexistent += counts.nonexistent;
}

void MacUnit::FileStats(stats::StatGroup& group) const {
  group.AddCounter("macs", "MACs", "multiply-accumulates of the dense program").Add(macs_);
  group.AddCounter("bursts", "bursts", "MAC bursts issued").Add(bursts_);
  group.AddCounter("busy_cycles", "cycles", "cycles a MAC issued").Add(busy_cycles_);
  if (!sparse_counted_) return;
  group.AddCounter("actual_macs", "MACs", "MACs computed on their operands").Add(sparse_.actual);
  group.AddCounter("gated_macs", "MACs", "MACs gated by compute gating (cycle spent, no energy)")
      .Add(sparse_.gated);
  group.AddCounter("skipped_macs", "MACs", "MACs skipped by compute skipping (no cycle, no energy)")
      .Add(sparse_.skipped);
  group.AddCounter("removed_gated_macs", "MACs", "MACs behind a gated operand read (cycle spent, no energy)")
      .Add(sparse_.removed_gated);
  group.AddCounter("removed_skipped_macs", "MACs", "MACs behind a skipped operand read (no cycle, no energy)")
      .Add(sparse_.removed_skipped);
  group.AddCounter("nonexistent_macs", "MACs", "MACs whose operands are both compressed away")
      .Add(sparse_.nonexistent);
}

}  // namespace cyclops::models
