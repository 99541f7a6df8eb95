// Where a DRAM transfer's time goes (DramDelays), the split of late cycles by cause (Apportion), the DRAM
// behind a storage level's calendar (DramBacking through StorageCore), on the small part of
// dram_timing_test.cpp, counted by hand below.
#include "models/dram/dram_backing.h"

#include <gtest/gtest.h>

#include "models/memory/storage_core.h"

namespace cyclops::models {
namespace {

// One channel, 2 banks, 64-byte rows of two 32-byte bursts (8-byte bus, BL4 = 2 clocks), tCL 5, tCWL 3,
// tRCD 4, tRP 3, tRAS 10, tFAW 20, tRRD 2, tWR 4, tRTP 2, tREFI 1000, tRFC 50, at the accelerator's clock.
DramTimingParams Small() {
  DramTimingParams p;
  p.name = "small";
  p.clock_mhz = 100, p.channels = 1, p.banks = 2, p.row_bytes = 64, p.bus_bytes = 8, p.burst_length = 4;
  p.tCL = 5, p.tCWL = 3, p.tRCD = 4, p.tRP = 3, p.tRAS = 10, p.tFAW = 20, p.tRRD = 2, p.tWR = 4, p.tRTP = 2;
  p.tREFI = 1000, p.tRFC = 50;
  return p;
}

TEST(DramDelays, RowMissHitConflictAndRefreshAddUp) {
  DramTiming dram(Small(), 100e6);
  // row miss: ACT at 0, READ at tRCD 4, data 4 + tCL 5 = 9 .. 11
  EXPECT_EQ(dram.Schedule(0, 0, 32, false), 11u);
  DramDelays d = dram.last_transfer();
  EXPECT_EQ(d.activate, 4);
  EXPECT_EQ(d.latency, 5);
  EXPECT_EQ(d.data_bus, 2);
  EXPECT_EQ(d.precharge + d.refresh + d.faw_rrd, 0);
  EXPECT_EQ(d.Total(), 11);
  // row hit asked for at 6: READ at 6 (bank ready since 6), data 11 .. 13 — the bus is free at 11
  EXPECT_EQ(dram.Schedule(6, 32, 32, false), 13u);
  d = dram.last_transfer();
  EXPECT_EQ(d.activate, 0);
  EXPECT_EQ(d.latency, 5);
  EXPECT_EQ(d.data_bus, 2);
  // conflict (byte 128: bank 0, row 1) at 13: PRECHARGE at max(13, tRAS 10, tRTP 6 + 2) = 13, ACT at 16,
  // READ at 20, data 25 .. 27: 3 precharge + 4 activate + 5 latency + 2 data = 14
  EXPECT_EQ(dram.Schedule(13, 128, 32, false), 27u);
  d = dram.last_transfer();
  EXPECT_EQ(d.precharge, 3);
  EXPECT_EQ(d.activate, 4);
  EXPECT_EQ(d.Total(), 14);
  // asked for at 1,010, during the refresh due at 1,000 (tRP + tRFC = 53 clocks, to 1,053): ACT 1,053,
  // READ 1,057, data 1,062 .. 1,064 — 43 clocks of refresh, then a row miss
  EXPECT_EQ(dram.Schedule(1010, 0, 32, false), 1064u);
  d = dram.last_transfer();
  EXPECT_EQ(d.refresh, 43);
  EXPECT_EQ(d.activate, 4);
  EXPECT_EQ(d.Total(), 1064 - 1010);
}

TEST(DramDelays, TwoBurstsQueueOnTheBus) {
  DramTiming dram(Small(), 100e6);
  // 64 bytes = bursts 0 and 1 of bank 0's row 0, both asked for at 0: the first opens the row (ACT 0,
  // READ 4, data 9 .. 11); the second is a row hit whose READ waits for the bank until 6 (tCCD = BL/2),
  // data 11 .. 13. Along that last burst: 6 clocks behind the burst ahead + 5 latency + 2 data = 13, the
  // activate belonging to the first burst.
  EXPECT_EQ(dram.Schedule(0, 0, 64, false), 13u);
  const DramDelays d = dram.last_transfer();
  EXPECT_EQ(d.Total(), 13);
  EXPECT_EQ(d.latency, 5);
  EXPECT_EQ(d.data_bus, 8);
}

TEST(Apportion, SplitsInProportionAndAddsUp) {
  // 10 cycles over weights 1, 1, 1, 0, 0, 0: 3.33 each, the first remainder gets the extra one
  EXPECT_EQ(Apportion(10, {1, 1, 1, 0, 0, 0}), (std::array<uint64_t, 6>{4, 3, 3, 0, 0, 0}));
  EXPECT_EQ(Apportion(7, {0, 0, 4, 0, 5, 2}), (std::array<uint64_t, 6>{0, 0, 3, 0, 3, 1}));
  EXPECT_EQ(Apportion(0, {1, 2, 3, 4, 5, 6}), (std::array<uint64_t, 6>{}));
  EXPECT_EQ(Apportion(5, {0, 0, 0, 0, 0, 0}), (std::array<uint64_t, 6>{0, 0, 0, 0, 0, 5}));
}

// A storage level of 8-bit values with 16 values per cycle of read bandwidth and the small DRAM behind it.
StorageConfig Level() {
  StorageConfig config;
  config.word_bits = 8;
  config.read_bandwidth = 16;
  config.bandwidth_in_values = true;
  config.bank_conflicts = false;
  return config;
}

TEST(DramBacking, TheLaterOfCalendarAndDramFinishesATransfer) {
  StorageCore core(Level());
  core.Reset(1, 1024);
  DramBacking dram(Small(), 100e6, 8);
  core.SetBacking(&dram);
  EXPECT_FALSE(core.bookings_copyable());
  // 32 values = 32 bytes: the calendar needs 2 cycles (done at 2), the DRAM 11 (row miss): done at 11,
  // 9 cycles late, split 4 : 5 : 2 over activate, latency and data (9 × 4/11 = 3.27, 9 × 5/11 = 4.09,
  // 9 × 2/11 = 1.64: 3, 4, 1 and the largest remainder, data's .64, takes the ninth)
  EXPECT_EQ(core.Schedule(Access::kRead, 0, 0, 0, 32), 11u);
  DramReport report = dram.Report();
  EXPECT_EQ(report.bytes, 32);
  EXPECT_EQ(report.row_misses, 1);
  EXPECT_EQ(report.transfer_delay_cycles, (std::array<uint64_t, kDramStallCauses>{0, 0, 3, 0, 4, 2}));
  // 160 values (bursts 0..4) at cycle 20: the calendar takes 10 cycles (done at 30). The DRAM: bursts 0, 1
  // hit bank 0's open row (READs at 20, 22), burst 2 misses bank 1 (ACT 20, READ 24), burst 3 hits it
  // (READ 26), burst 4 conflicts in bank 0 (PRECHARGE at tRTP after the READ at 22 = 24, ACT 27, READ 31);
  // the bus carries 25..27, 27..29, 29..31, 31..33, then 36..38. Done at 38, 8 cycles after the calendar.
  EXPECT_EQ(core.Schedule(Access::kRead, 0, 20, 0, 160), 38u);
  report = dram.Report();
  EXPECT_EQ(report.row_hits, 3);
  EXPECT_EQ(report.row_misses, 2);
  EXPECT_EQ(report.row_conflicts, 1);
  EXPECT_EQ(DramReport::Total(report.transfer_delay_cycles), 9u + 8u);
  // Behind a slower port (2 values per cycle) the calendar decides and the DRAM adds nothing: 32 values
  // take 16 cycles, the DRAM's row miss 11.
  StorageConfig slow = Level();
  slow.read_bandwidth = 2;
  StorageCore narrow(slow);
  narrow.Reset(1, 1024);
  DramBacking fresh(Small(), 100e6, 8);
  narrow.SetBacking(&fresh);
  EXPECT_EQ(narrow.Schedule(Access::kRead, 0, 0, 0, 32), 16u);
  EXPECT_EQ(DramReport::Total(fresh.Report().transfer_delay_cycles), 0u);
  EXPECT_EQ(fresh.Report().row_misses, 1);
}

TEST(DramBacking, ValuesBecomeBytesOfTheLevelsWord) {
  // 16-bit values: 16 values from value 8 are bytes 16 .. 47, bursts 0 and 1 (one row): 32 bytes
  DramBacking dram(Small(), 100e6, 16);
  dram.Book(Access::kUpdate, 0, 8, 16, 1);
  EXPECT_EQ(dram.Report().bytes, 32);
  EXPECT_EQ(dram.Report().bursts, 2);
  // 4-bit values: 3 values from value 1 are bits 4 .. 15, bytes 0 .. 1 (2 bytes, rounded out to whole bytes)
  DramBacking nibbles(Small(), 100e6, 4);
  nibbles.Book(Access::kRead, 0, 1, 3, 1);
  EXPECT_EQ(nibbles.Report().bytes, 2);
}

}  // namespace
}  // namespace cyclops::models
