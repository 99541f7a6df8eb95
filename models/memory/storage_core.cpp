#include "models/memory/storage_core.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

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

namespace {

constexpr int kAccessKinds = 3;

void CheckRate(const std::optional<double>& rate, const char* what) {
  if (rate && !(*rate > 0)) throw std::invalid_argument(std::string(what) + " must be > 0 values/cycle");
}

}  // namespace

StorageCore::StorageCore(StorageConfig config)
    : config_(std::move(config)), store_(std::max<int64_t>(config_.capacity, 0), "storage") {
  if (config_.capacity <= 0) throw std::invalid_argument("storage capacity must be > 0 values");
  if (config_.block_size <= 0) throw std::invalid_argument("storage block_size must be > 0");
  if (config_.n_banks <= 0) throw std::invalid_argument("storage n_banks must be > 0");
  CheckRate(config_.read_bandwidth, "read_bandwidth");
  CheckRate(config_.write_bandwidth, "write_bandwidth");
  CheckRate(config_.shared_bandwidth, "shared_bandwidth");
  if (config_.data_spaces.empty()) config_.data_spaces = {"data"};
  read_port_.rate = config_.read_bandwidth;
  write_port_.rate = config_.write_bandwidth;
  shared_port_.rate = config_.shared_bandwidth;
  bank_busy_cycle_.assign(static_cast<size_t>(config_.n_banks), 0);
  bank_request_.assign(static_cast<size_t>(config_.n_banks), 0);

  const char* kVerb[kAccessKinds] = {"read by the level below", "written from the level above",
                                     "written back from the level below"};
  for (int a = 0; a < kAccessKinds; ++a) {
    for (const std::string& ds : config_.data_spaces) {
      counters_.push_back(&stats_.AddCounter(std::string(AccessName(static_cast<Access>(a))) + "_" + ds,
                                             "values", ds + " values " + kVerb[a]));
    }
  }
  row_accesses_ = &stats_.AddCounter("row_accesses", "rows", "row (block) accesses of any kind");
  bank_conflict_cycles_ = &stats_.AddCounter("bank_conflict_cycles", "cycles",
                                             "row accesses delayed by another access to the same bank");
}

std::vector<int64_t> StorageCore::RowsTouched(const std::vector<int64_t>& addresses) const {
  std::vector<int64_t> rows;
  for (int64_t address : addresses) {
    store_.Check(address);
    const int64_t row = address / config_.block_size;
    if (rows.empty() || rows.back() != row) rows.push_back(row);  // consecutive values of a row: one access
  }
  return rows;
}

Cycle StorageCore::Schedule(Access access, int data_space, Cycle at, int64_t start, int64_t count,
                            int64_t stride) {
  if (stride != 1 || count <= 0) {
    std::vector<int64_t> addresses;
    for (int64_t i = 0; i < count; ++i) addresses.push_back(start + i * stride);
    return ScheduleAddresses(access, data_space, at, addresses);
  }
  // Contiguous values: the rows are a range, no per-value address list needed.
  store_.Check(start);
  store_.Check(start + count - 1);
  const int64_t first_row = start / config_.block_size;
  const int64_t rows = (start + count - 1) / config_.block_size - first_row + 1;
  return ScheduleRows(access, data_space, at, count, static_cast<size_t>(rows),
                      [first_row](size_t i) { return first_row + static_cast<int64_t>(i); });
}

Cycle StorageCore::ScheduleAddresses(Access access, int data_space, Cycle at,
                                     const std::vector<int64_t>& addresses) {
  const std::vector<int64_t> rows = RowsTouched(addresses);
  return ScheduleRows(access, data_space, at, static_cast<int64_t>(addresses.size()), rows.size(),
                      [&rows](size_t i) { return rows[i]; });
}

template <typename RowAt>
Cycle StorageCore::ScheduleRows(Access access, int data_space, Cycle at, int64_t count, size_t n_rows,
                                RowAt row) {
  if (data_space < 0 || data_space >= static_cast<int>(config_.data_spaces.size())) {
    throw std::out_of_range("storage: data space " + std::to_string(data_space) + " not declared");
  }
  if (count <= 0) return at;
  counters_[static_cast<size_t>(static_cast<int>(access)) * config_.data_spaces.size() + data_space]->Add(
      count);

  row_accesses_->Add(n_rows);
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
  size_t n_rows_booked = n_rows;
  // Without bank conflicts the banks' state is never read, and the rows' cycles only grow: the last row
  // decides (the same floating-point sum the loop below would compute for it).
  if (!config_.bank_conflicts && n_rows > 0) {
    last_row_cycle =
        std::max(last_row_cycle,
                 static_cast<Cycle>(std::floor(begin + shift + static_cast<double>(n_rows - 1) * row_time)));
    n_rows_booked = 0;
  }
  for (size_t i = 0; i < n_rows_booked; ++i) {
    const Cycle ideal = static_cast<Cycle>(std::floor(begin + shift + static_cast<double>(i) * row_time));
    const size_t bank = static_cast<size_t>(row(i) % config_.n_banks);
    Cycle cycle = ideal;
    // Only a row in the very same cycle conflicts: the read and write ports keep separate calendars, so a
    // bank may already be booked further ahead by the other port, which does not delay this row.
    if (config_.bank_conflicts && bank_request_[bank] != 0 && bank_request_[bank] != request &&
        bank_busy_cycle_[bank] == cycle) {
      cycle = bank_busy_cycle_[bank] + 1;
      bank_conflict_cycles_->Add(cycle - ideal);
      shift += static_cast<double>(cycle - ideal);
    }
    bank_busy_cycle_[bank] = std::max(bank_busy_cycle_[bank], cycle);
    bank_request_[bank] = request;
    last_row_cycle = std::max(last_row_cycle, cycle);
  }
  const double end = begin + shift + static_cast<double>(n_rows) * row_time;
  port.free_at = end;
  if (shared_port_.rate) {
    // The shared port is occupied only for its own share of the transfer.
    const int64_t moved =
        config_.bandwidth_in_values ? count : static_cast<int64_t>(n_rows) * config_.block_size;
    shared_port_.free_at = begin + shift + static_cast<double>(moved) / *shared_port_.rate;
  }
  return std::max(last_row_cycle + 1, static_cast<Cycle>(std::ceil(end)));
}


int64_t StorageCore::Read(int64_t address) const { return store_.Read(address); }

void StorageCore::Write(int64_t address, int64_t value) { store_.Write(address, value); }

uint64_t StorageCore::Count(Access access, int data_space) const {
  return counters_[static_cast<size_t>(static_cast<int>(access)) * config_.data_spaces.size() + data_space]
      ->value();
}

}  // namespace cyclops::models
