// The timing and counting core of one storage instance (scratchpad, global-buffer bank, DRAM), plain C++.
// The values the instance holds live beside it in its TileStores (tile_store.h); this is the calendar.
//
// Timing model (documented once, here):
//   - Storage is organised in rows of block_size values; an access moves whole rows, so reading 1 value of a
//     4-value row costs 4 values of bandwidth (Timeloop's block-size semantics), unless bandwidth is in
//     values (Timeloop's reading, what the simulator uses: rows then matter for energy only).
//   - Each port (read, write) moves at most its bandwidth in values per cycle; the shared bandwidth caps
//     reads + writes together. Absent bandwidth = unlimited (a transfer still takes at least one cycle).
//     Bandwidth may be fractional (0.5 = one value every other cycle); the calendar keeps fractional time.
//   - Rows map to banks by row address modulo n_banks. With bank conflicts modelled, a bank serves one
//     access per cycle: a row of one request that hits a bank another request used in the same cycle waits
//     a cycle, counted in `bank_conflict_cycles`. Rows of one request never conflict with each other.
//   - Times are cycles since the start of the running layer (Reset() at every layer), so a layer's timing
//     does not depend on what ran before it in the process.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "models/common/cycle.h"
#include "sim/stats/stat_group.h"

namespace cyclops::models {

// Who writes: a fill comes from the level above (outer), an update from below (psums written back by the
// inner level or the MACs). Timeloop/Accelergy count them separately.
enum class Access { kRead, kFill, kUpdate };
inline constexpr int kAccessKinds = 3;
const char* AccessName(Access access);  // "reads", "fills", "updates"

// What became of an access a sparse optimization touched (Sparseloop's split): gated = the access slot is
// spent (its cycle) but nothing moves and no energy is paid; skipped = neither cycle nor energy; absent = a
// zero a compressed format does not store, so there is nothing to access. The actual accesses are the
// counted ones (Count) minus these.
enum class SparseAction { kGated, kSkipped, kAbsent };
inline constexpr int kSparseActions = 3;
const char* SparseActionName(SparseAction action);  // "gated", "skipped", "absent"

struct StorageConfig {
  int word_bits = 16;
  int64_t block_size = 1;  // values per row
  int64_t n_banks = 1;
  std::optional<double> read_bandwidth;  // values per cycle; empty = unlimited
  std::optional<double> write_bandwidth;
  std::optional<double> shared_bandwidth;
  // Timeloop reads bandwidth in values per cycle whatever the row width (rows matter for energy only);
  // set this to pace transfers by the values they move instead of by the whole rows they touch.
  bool bandwidth_in_values = false;
  // Model bank conflicts (rows map to banks by row address modulo n_banks). Timeloop does not.
  bool bank_conflicts = true;
};

class BackingTiming;

class StorageCore {
 public:
  // std::invalid_argument for a non-positive block size, bank count or bandwidth.
  explicit StorageCore(StorageConfig config);

  // A new layer: `data_spaces` counters per access kind, all zero; calendars empty; addresses
  // [0, address_space) valid (the layer's tiles laid out one after another).
  void Reset(int data_spaces, int64_t address_space);

  // Books `count` contiguous values of `data_space` from address `start` on the calendar, at the earliest
  // from cycle `at`, counts them, and returns the completion cycle: the first cycle at which all of them
  // have moved (at least at + 1). Calls must come in non-decreasing `at`. std::out_of_range for an
  // address outside the layer's address space.
  Cycle Schedule(Access access, int data_space, Cycle at, int64_t start, int64_t count);

  // The calendar as the next booking sees it; two cores in the same state book identically, which lets a
  // multicast book one member and copy the result to the others (CopyBooking).
  struct Calendar {
    double read_free = 0, write_free = 0, shared_free = 0;
    bool operator==(const Calendar&) const = default;
  };
  Calendar calendar() const { return {read_port_.free_at, write_port_.free_at, shared_port_.free_at}; }
  // Whether CopyBooking may stand for Schedule (no bank state to keep, no devices behind).
  bool bookings_copyable() const { return !config_.bank_conflicts && backing_ == nullptr; }
  // The devices behind the calendar for the running layer (null = none); not owned, kept across Reset.
  void SetBacking(BackingTiming* backing) { backing_ = backing; }
  BackingTiming* backing() const { return backing_; }
  // Takes the calendar a Schedule of `count` values (in `rows` rows) left on a core that was in this
  // core's state, and counts the access.
  void CopyBooking(const Calendar& after, Access access, int data_space, int64_t count, int64_t rows);
  int64_t RowsOf(int64_t start, int64_t count) const;

  // Counts accesses whose timing the caller models itself (a MAC burst streaming operands at one value per
  // MAC: booking each value on the calendar would cost more than the burst it describes).
  void Count(Access access, int data_space, uint64_t count) { Slot(access, data_space) += count; }
  uint64_t Count(Access access, int data_space) const {
    return counts_[static_cast<size_t>(access) * data_spaces_ + static_cast<size_t>(data_space)];
  }
  uint64_t& Slot(Access access, int data_space) {
    return counts_[static_cast<size_t>(access) * data_spaces_ + static_cast<size_t>(data_space)];
  }
  // The sparse split of the counted accesses (see SparseAction), and the metadata words moved with
  // compressed data (per access kind and data space).
  uint64_t& SparseSlot(SparseAction action, Access access, int data_space) {
    return sparse_counts_[SparseIndex(static_cast<size_t>(action), access, data_space)];
  }
  uint64_t SparseCount(SparseAction action, Access access, int data_space) const {
    return sparse_counts_[SparseIndex(static_cast<size_t>(action), access, data_space)];
  }
  uint64_t& MetadataSlot(Access access, int data_space) {
    return sparse_counts_[SparseIndex(kSparseActions, access, data_space)];
  }
  uint64_t MetadataCount(Access access, int data_space) const {
    return sparse_counts_[SparseIndex(kSparseActions, access, data_space)];
  }
  uint64_t row_accesses() const { return row_accesses_; }
  uint64_t bank_conflict_cycles() const { return bank_conflict_cycles_; }
  // Declares this layer's counters in `group`, named "<access>_<data space>" (e.g. "reads_Inputs"), plus
  // "row_accesses" and "bank_conflict_cycles"; data spaces that saw no access are left out.
  void FileStats(stats::StatGroup& group, const std::vector<std::string>& data_space_names) const;

  const StorageConfig& config() const { return config_; }

 private:
  struct Port {
    std::optional<double> rate;  // values per cycle
    double free_at = 0;          // fractional cycle at which the port can start its next row
  };

  StorageConfig config_;
  Port read_port_;
  Port write_port_;
  Port shared_port_;
  std::vector<Cycle> bank_busy_cycle_;  // last cycle each bank served a row
  std::vector<uint64_t> bank_request_;  // which request that was
  uint64_t next_request_ = 1;
  size_t data_spaces_ = 0;
  int64_t address_space_ = 0;
  std::vector<uint64_t> counts_;  // [access × data spaces + data space]
  // [(sparse action or metadata) × access × data spaces + data space]
  std::vector<uint64_t> sparse_counts_;
  size_t SparseIndex(size_t kind, Access access, int data_space) const {
    return (kind * kAccessKinds + static_cast<size_t>(access)) * data_spaces_ +
           static_cast<size_t>(data_space);
  }
  uint64_t row_accesses_ = 0;
  uint64_t bank_conflict_cycles_ = 0;
  BackingTiming* backing_ = nullptr;
};

}  // namespace cyclops::models
