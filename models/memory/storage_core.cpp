#include "models/memory/storage_core.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "models/memory/backing_timing.h"

namespace cyclops::models {

const char* AccessName(Access access) {
  switch (access) {
    case Access::kRead:
      return "reads";
    case Access::kFill:
      return "fills";
    case Access::kUpdate:
      return "updates";
  }
  return "?";
}

const char* SparseActionName(SparseAction action) {
  switch (action) {
    case SparseAction::kGated:
      return "gated";
    case SparseAction::kSkipped:
      return "skipped";
    case SparseAction::kAbsent:
      return "absent";
  }
  return "?";
}

namespace {

void CheckRate(const std::optional<double>& rate, const char* what) {
  if (rate && !(*rate > 0)) throw std::invalid_argument(std::string(what) + " must be > 0 values/cycle");
}

}  // namespace

StorageCore::StorageCore(StorageConfig config) : config_(std::move(config)) {
  if (config_.block_size <= 0) throw std::invalid_argument("storage block_size must be > 0");
  if (config_.n_banks <= 0) throw std::invalid_argument("storage n_banks must be > 0");
  CheckRate(config_.read_bandwidth, "read_bandwidth");
  CheckRate(config_.write_bandwidth, "write_bandwidth");
  CheckRate(config_.shared_bandwidth, "shared_bandwidth");
  read_port_.rate = config_.read_bandwidth;
  write_port_.rate = config_.write_bandwidth;
  shared_port_.rate = config_.shared_bandwidth;
  Reset(1, 0);
}

void StorageCore::Reset(int data_spaces, int64_t address_space) {
  read_port_.free_at = write_port_.free_at = shared_port_.free_at = 0;
  if (config_.bank_conflicts) {
    bank_busy_cycle_.assign(static_cast<size_t>(config_.n_banks), 0);
    bank_request_.assign(static_cast<size_t>(config_.n_banks), 0);
  }
  next_request_ = 1;
  data_spaces_ = static_cast<size_t>(std::max(data_spaces, 1));
  address_space_ = address_space;
  counts_.assign(kAccessKinds * data_spaces_, 0);
  sparse_counts_.assign((kSparseActions + 1) * kAccessKinds * data_spaces_, 0);
  row_accesses_ = bank_conflict_cycles_ = 0;
}

int64_t StorageCore::RowsOf(int64_t start, int64_t count) const {
  return (start + count - 1) / config_.block_size - start / config_.block_size + 1;
}

Cycle StorageCore::Schedule(Access access, int data_space, Cycle at, int64_t start, int64_t count) {
  if (count <= 0) return at;
  if (data_space < 0 || static_cast<size_t>(data_space) >= data_spaces_)
    throw std::out_of_range("storage: data space " + std::to_string(data_space) + " not in this layer");
  if (start < 0 || start + count > address_space_)
    throw std::out_of_range("storage: values [" + std::to_string(start) + ", " +
                            std::to_string(start + count) + ") outside the layer's " +
                            std::to_string(address_space_) + " values");
  const int64_t first_row = start / config_.block_size;
  const size_t n_rows = static_cast<size_t>(RowsOf(start, count));
  Slot(access, data_space) += static_cast<uint64_t>(count);
  row_accesses_ += n_rows;
  Port& port = access == Access::kRead ? read_port_ : write_port_;
  // The transfer is paced by the slower of its own port and the shared port.
  std::optional<double> rate = port.rate;
  if (shared_port_.rate && (!rate || *shared_port_.rate < *rate)) rate = shared_port_.rate;
  const double row_time = !rate ? 0.0
                          : config_.bandwidth_in_values
                              ? static_cast<double>(count) / *rate / static_cast<double>(n_rows)
                              : static_cast<double>(config_.block_size) / *rate;

  double begin = std::max({static_cast<double>(at), port.free_at, shared_port_.free_at});
  const uint64_t request = next_request_++;
  Cycle last_row_cycle = static_cast<Cycle>(std::floor(begin));
  double shift = 0;  // cycles lost to bank conflicts so far, pushing later rows back too
  if (!config_.bank_conflicts) {
    // The banks' state is never read and the rows' cycles only grow: the last row decides.
    last_row_cycle = std::max(
        last_row_cycle, static_cast<Cycle>(std::floor(begin + static_cast<double>(n_rows - 1) * row_time)));
  } else {
    for (size_t i = 0; i < n_rows; ++i) {
      const Cycle ideal = static_cast<Cycle>(std::floor(begin + shift + static_cast<double>(i) * row_time));
      const size_t bank = static_cast<size_t>((first_row + static_cast<int64_t>(i)) % config_.n_banks);
      Cycle cycle = ideal;
      // Only a row in the very same cycle conflicts: the read and write ports keep separate calendars, so a
      // bank may already be booked further ahead by the other port, which does not delay this row.
      if (bank_request_[bank] != 0 && bank_request_[bank] != request && bank_busy_cycle_[bank] == cycle) {
        cycle = bank_busy_cycle_[bank] + 1;
        bank_conflict_cycles_ += cycle - ideal;
        shift += static_cast<double>(cycle - ideal);
      }
      bank_busy_cycle_[bank] = std::max(bank_busy_cycle_[bank], cycle);
      bank_request_[bank] = request;
      last_row_cycle = std::max(last_row_cycle, cycle);
    }
  }
  const double end = begin + shift + static_cast<double>(n_rows) * row_time;
  port.free_at = end;
  if (shared_port_.rate) {
    // The shared port is occupied only for its own share of the transfer.
    const int64_t moved =
        config_.bandwidth_in_values ? count : static_cast<int64_t>(n_rows) * config_.block_size;
    shared_port_.free_at = begin + shift + static_cast<double>(moved) / *shared_port_.rate;
  }
  const Cycle done = std::max(last_row_cycle + 1, static_cast<Cycle>(std::ceil(end)));
  return backing_ ? std::max(done, backing_->Book(access, at, start, count, done)) : done;
}

void StorageCore::CopyBooking(const Calendar& after, Access access, int data_space, int64_t count,
                              int64_t rows) {
  read_port_.free_at = after.read_free;
  write_port_.free_at = after.write_free;
  shared_port_.free_at = after.shared_free;
  ++next_request_;
  Slot(access, data_space) += static_cast<uint64_t>(count);
  row_accesses_ += static_cast<uint64_t>(rows);
}

void StorageCore::FileStats(stats::StatGroup& group, const std::vector<std::string>& names) const {
  const char* kVerb[kAccessKinds] = {"read by the level below", "written from the level above",
                                     "written back from the level below"};
  for (int a = 0; a < kAccessKinds; ++a)
    for (size_t d = 0; d < names.size() && d < data_spaces_; ++d) {
      const uint64_t value = Count(static_cast<Access>(a), static_cast<int>(d));
      if (value == 0) continue;
      group
          .AddCounter(std::string(AccessName(static_cast<Access>(a))) + "_" + names[d], "values",
                      names[d] + " values " + kVerb[a])
          .Add(value);
    }
  const char* kSparseMeaning[kSparseActions] = {"gated (the cycle spent, no energy)",
                                                "skipped (neither cycle nor energy)",
                                                "not stored by the compressed format (no access)"};
  for (int s = 0; s <= kSparseActions; ++s)
    for (int a = 0; a < kAccessKinds; ++a)
      for (size_t d = 0; d < names.size() && d < data_spaces_; ++d) {
        const uint64_t value =
            sparse_counts_[SparseIndex(static_cast<size_t>(s), static_cast<Access>(a), static_cast<int>(d))];
        if (value == 0) continue;
        const std::string access = AccessName(static_cast<Access>(a));
        if (s == kSparseActions) {
          group
              .AddCounter("metadata_" + access + "_" + names[d], "words",
                          names[d] + " metadata words moved with compressed " + access)
              .Add(value);
        } else {
          group
              .AddCounter(
                  std::string(SparseActionName(static_cast<SparseAction>(s))) + "_" + access + "_" + names[d],
                  "values", names[d] + " " + access + " " + kSparseMeaning[s] + ", of those counted")
              .Add(value);
        }
      }
  group.AddCounter("row_accesses", "rows", "row (block) accesses of any kind").Add(row_accesses_);
  if (config_.bank_conflicts)
    group
        .AddCounter("bank_conflict_cycles", "cycles",
                    "row accesses delayed by another access to the same bank")
        .Add(bank_conflict_cycles_);
}

}  // namespace cyclops::models
