// Testbench for the engine's storage block calendar (StorageCore): the completion cycles it books, worked out
// by hand from the timing model in storage_core.h, and the counters it keeps.
#include "models/memory/storage_core.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace cyclops::models {
namespace {

constexpr int kInputs = 0;

// A configuration named setting by setting; the rest keep StorageConfig's defaults.
struct Storage {
  StorageConfig config;
  Storage& Block(int64_t values) {
    config.block_size = values;
    return *this;
  }
  Storage& Banks(int64_t banks) {
    config.n_banks = banks;
    return *this;
  }
  Storage& Read(double rate) {
    config.read_bandwidth = rate;
    return *this;
  }
  Storage& Shared(double rate) {
    config.shared_bandwidth = rate;
    return *this;
  }
  Storage& InValues() {
    config.bandwidth_in_values = true;
    return *this;
  }
  Storage& NoConflicts() {
    config.bank_conflicts = false;
    return *this;
  }
};

StorageCore Core(const Storage& storage, int64_t address_space = 64) {
  StorageCore core(storage.config);
  core.Reset(1, address_space);
  return core;
}

TEST(StorageCoreCalendar, WholeRowsPaceTransfersWhenBandwidthIsInRows) {
  // Rows of 4 values at 2 values/cycle: each row costs 4 / 2 = 2 cycles, even for one value of it.
  StorageCore core = Core(Storage().Block(4).Read(2.0).NoConflicts());
  EXPECT_EQ(core.Schedule(Access::kRead, kInputs, 0, 1, 1), 2);  // one row: cycles [0, 2)
  // 8 values from address 4 = rows 1 and 2; the port is free at 2, so [2, 6).
  EXPECT_EQ(core.Schedule(Access::kRead, kInputs, 0, 4, 8), 6);
  EXPECT_EQ(core.Count(Access::kRead, kInputs), 9u);
  EXPECT_EQ(core.row_accesses(), 3u);
}

TEST(StorageCoreCalendar, ValuesPaceTransfersWhenBandwidthIsInValues) {
  // Timeloop's reading: 1 value at 2 values/cycle takes 0.5 cycle (done at 1, the earliest); the next
  // 8 values start at 0.5 and take 4 cycles, ending at 4.5, so they are all there at cycle 5.
  StorageCore core = Core(Storage().Block(4).Read(2.0).InValues().NoConflicts());
  EXPECT_EQ(core.Schedule(Access::kRead, kInputs, 0, 1, 1), 1);
  EXPECT_EQ(core.Schedule(Access::kRead, kInputs, 0, 4, 8), 5);
  EXPECT_DOUBLE_EQ(core.calendar().read_free, 4.5);
}

TEST(StorageCoreCalendar, TheSharedPortCapsReadsAndWritesTogether) {
  // Unlimited ports, 1 value/cycle shared: 2 reads occupy [0, 2), so a fill asked for at 0 runs [2, 3).
  StorageCore core = Core(Storage().Shared(1.0).NoConflicts());
  EXPECT_EQ(core.Schedule(Access::kRead, kInputs, 0, 0, 2), 2);
  EXPECT_EQ(core.Schedule(Access::kFill, kInputs, 0, 2, 1), 3);
  EXPECT_EQ(core.Count(Access::kFill, kInputs), 1u);
}

TEST(StorageCoreCalendar, ABankServesOneRequestPerCycle) {
  // Rows of 1 value over 2 banks (row r in bank r mod 2), unlimited bandwidth.
  StorageCore core = Core(Storage().Block(1).Banks(2));
  EXPECT_EQ(core.Schedule(Access::kRead, kInputs, 0, 0, 1), 1);  // bank 0 at cycle 0
  // A fill of row 2 (bank 0) in the same cycle waits one cycle: done at 2, one conflict cycle.
  EXPECT_EQ(core.Schedule(Access::kFill, kInputs, 0, 2, 1), 2);
  EXPECT_EQ(core.bank_conflict_cycles(), 1u);
  // Row 1 is in bank 1, which nobody used: no wait.
  EXPECT_EQ(core.Schedule(Access::kRead, kInputs, 0, 1, 1), 1);
  EXPECT_EQ(core.bank_conflict_cycles(), 1u);
}

TEST(StorageCoreCalendar, RowsOfOneRequestNeverConflictWithEachOther) {
  // Rows 0..3 hit banks 0, 1, 0, 1 in cycle 0, all one request.
  StorageCore core = Core(Storage().Block(1).Banks(2));
  EXPECT_EQ(core.Schedule(Access::kRead, kInputs, 0, 0, 4), 1);
  EXPECT_EQ(core.bank_conflict_cycles(), 0u);
}

TEST(StorageCoreCalendar, ALayerStartsWithAnEmptyCalendarAndZeroCounters) {
  StorageCore core = Core(Storage().Block(4).Read(1.0).NoConflicts());
  EXPECT_EQ(core.Schedule(Access::kRead, kInputs, 0, 0, 4), 4);
  core.Reset(2, 16);
  EXPECT_EQ(core.Count(Access::kRead, kInputs), 0u);
  EXPECT_EQ(core.Schedule(Access::kRead, 1, 0, 0, 4), 4);  // not 8: the last layer's booking is gone
}

TEST(StorageCoreCalendar, OutOfRangeAccessesAndBadConfigurationsAreRefused) {
  StorageCore core = Core(Storage(), 8);
  EXPECT_THROW(core.Schedule(Access::kRead, kInputs, 0, 6, 4), std::out_of_range);  // [6, 10) of 8
  EXPECT_THROW(core.Schedule(Access::kRead, 1, 0, 0, 1), std::out_of_range);        // one data space
  EXPECT_THROW(StorageCore(Storage().Block(0).config), std::invalid_argument);
  EXPECT_THROW(StorageCore(Storage().Read(0.0).config), std::invalid_argument);
}

}  // namespace
}  // namespace cyclops::models
