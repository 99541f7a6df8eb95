// A scratchpad / global-buffer array in plain C++ (no SystemC): real values plus a bandwidth calendar.
//
// Timing model (documented once, here):
//   - Storage is organised in rows of block_size values; an access moves whole rows, so reading 1 value of a
//     4-value row costs 4 values of bandwidth (Timeloop's block-size semantics).
//   - Each port (read, write) moves at most its bandwidth in values per cycle; the shared bandwidth caps
//     reads + writes together. Absent bandwidth = unlimited (a transfer still takes at least one cycle).
//     Bandwidth may be fractional (0.5 = one value every other cycle); the calendar keeps fractional time.
//   - Rows map to banks by row address modulo n_banks. A bank serves one access per cycle: when a row of one
//     request would hit a bank that another request used in the same cycle, it waits a cycle and the wait
//     is counted in `bank_conflict_cycles`. Rows of one request never conflict with each other (they are
//     paced by the port bandwidth).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "models/memory/memory_backend.h"
#include "models/memory/value_store.h"
#include "sim/stats/stat_group.h"

namespace cyclops::models {

struct StorageConfig {
  int64_t capacity = 0;  // values
  int word_bits = 16;
  int64_t block_size = 1;  // values per row
  int64_t n_banks = 1;
  std::optional<double> read_bandwidth;  // values per cycle; empty = unlimited
  std::optional<double> write_bandwidth;
  std::optional<double> shared_bandwidth;
  std::vector<std::string> data_spaces;  // names used in counter names, e.g. {"Weights", "Inputs", "Outputs"}
  // Timeloop reads bandwidth in values per cycle whatever the row width (rows matter for energy only);
  // set this to pace transfers by the values they move instead of by the whole rows they touch.
  bool bandwidth_in_values = false;
  // Model bank conflicts (rows map to banks by row address modulo n_banks). Timeloop does not.
  bool bank_conflicts = true;
};

class StorageCore : public MemoryBackend {
 public:
  // std::invalid_argument for a non-positive capacity, block size, bank count or bandwidth.
  explicit StorageCore(StorageConfig config);

  Cycle Schedule(Access access, int data_space, Cycle at, int64_t start, int64_t count,
                 int64_t stride = 1) override;
  // The same for an arbitrary address sequence (a MAC burst's operand stream), in access order.
  Cycle ScheduleAddresses(Access access, int data_space, Cycle at, const std::vector<int64_t>& addresses);
  // Counts `count` values whose timing the caller models itself (a MAC burst streaming operands at one
  // value per MAC: booking each value on the calendar would cost more than the burst it describes).
  void CountWithoutTiming(Access access, int data_space, uint64_t count) {
    counters_[static_cast<size_t>(static_cast<int>(access)) * config_.data_spaces.size() + data_space]->Add(
        count);
  }
  int64_t Read(int64_t address) const override;
  void Write(int64_t address, int64_t value) override;
  int64_t capacity() const override { return config_.capacity; }
  stats::StatGroup& stats() override { return stats_; }

  const StorageConfig& config() const { return config_; }
  // Counters are "<access>_<data space>" in values (e.g. "reads_Inputs", "fills_Weights",
  // "updates_Outputs"), plus "row_accesses" and "bank_conflict_cycles".
  uint64_t Count(Access access, int data_space) const;
  // The counter itself, for a caller that counts every MAC burst (resolving it once saves a lookup).
  stats::Counter& counter(Access access, int data_space) {
    return *counters_[static_cast<size_t>(static_cast<int>(access)) * config_.data_spaces.size() +
                      data_space];
  }

 private:
  struct Port {
    std::optional<double> rate;  // values per cycle
    double free_at = 0;          // fractional cycle at which the port can start its next row
  };

  std::vector<int64_t> RowsTouched(const std::vector<int64_t>& addresses) const;
  // The calendar booking shared by both entry points: `count` values in `n_rows` rows, row(i) the i-th
  // (a callable, so a contiguous range needs no row list).
  template <typename RowAt>
  Cycle ScheduleRows(Access access, int data_space, Cycle at, int64_t count, size_t n_rows, RowAt row);

  StorageConfig config_;
  ValueStore store_;
  Port read_port_;
  Port write_port_;
  Port shared_port_;
  std::vector<Cycle> bank_busy_cycle_;  // last cycle each bank served a row
  std::vector<uint64_t> bank_request_;  // which request that was
  uint64_t next_request_ = 1;

  stats::StatGroup stats_;
  std::vector<stats::Counter*> counters_;  // [access * n_data_spaces + data_space]
  stats::Counter* row_accesses_;
  stats::Counter* bank_conflict_cycles_;
};

}  // namespace cyclops::models
