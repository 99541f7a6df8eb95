// The DRAM timing model (models/dram) on access sequences computed by hand below, the presets' peak
// bandwidths against their JEDEC figures, and the `cyclops: dram:` spec keys.
#include "models/dram/dram_timing.h"

#include <gtest/gtest.h>

#include "sim/core/error.h"
#include "sim/spec/loader.h"

namespace cyclops::models {
namespace {

// A small part to count by hand: one channel, 2 banks, 64-byte rows of two 32-byte bursts (8-byte bus,
// BL4 = 2 clocks), tCL 5, tCWL 3, tRCD 4, tRP 3, tRAS 10, tFAW 20, tRRD 2, tWR 4, tRTP 2, tREFI 1000,
// tRFC 50; the accelerator runs at the DRAM clock, so cycles are clocks.
// Bursts map to bank (burst / 2) % banks, row (burst / 2) / banks.
DramTimingParams Small(int64_t banks = 2) {
  DramTimingParams p;
  p.name = "small";
  p.clock_mhz = 100, p.channels = 1, p.banks = banks, p.row_bytes = 64, p.bus_bytes = 8, p.burst_length = 4;
  p.tCL = 5, p.tCWL = 3, p.tRCD = 4, p.tRP = 3, p.tRAS = 10, p.tFAW = 20, p.tRRD = 2, p.tWR = 4, p.tRTP = 2;
  p.tREFI = 1000, p.tRFC = 50;
  return p;
}

TEST(DramTiming, RowMissThenRowHit) {
  DramTiming dram(Small(), 100e6);
  // bank 0 closed: ACT at 0, READ at 0 + tRCD = 4, data 4 + tCL = 9 .. 11
  EXPECT_EQ(dram.Schedule(0, 0, 32, false), 11u);
  // the same row (bytes 32..63): READ at 11 (the bank was ready at 6), data 16 .. 18
  EXPECT_EQ(dram.Schedule(11, 32, 32, false), 18u);
  EXPECT_EQ(dram.stats().row_misses, 1);
  EXPECT_EQ(dram.stats().row_hits, 1);
  EXPECT_DOUBLE_EQ(dram.stats().RowHitRate(), 0.5);
}

TEST(DramTiming, BankConflictPrechargesFirst) {
  DramTiming dram(Small(), 100e6);
  dram.Schedule(0, 0, 32, false);    // bank 0 row 0: ACT 0, READ 4, data 9..11
  dram.Schedule(11, 32, 32, false);  // hit: READ 11, data 16..18
  // byte 128 = burst 4: bank 0, row 1. PRECHARGE at max(18, tRAS: 0 + 10, tRTP: 11 + 2 = 13) = 18,
  // ACT at 18 + tRP = 21, READ at 25, data 30 .. 32
  EXPECT_EQ(dram.Schedule(18, 128, 32, false), 32u);
  EXPECT_EQ(dram.stats().row_conflicts, 1);
  // a write to bank 1 (byte 64, closed): ACT at max(32, tRRD after 21 = 23) = 32, WRITE at 36,
  // data 36 + tCWL = 39 .. 41
  EXPECT_EQ(dram.Schedule(32, 64, 32, true), 41u);
}

TEST(DramTiming, RefreshClosesRowsAndBlocksForTrfc) {
  DramTiming dram(Small(), 100e6);
  dram.Schedule(0, 0, 32, false);  // bank 0 row 0 open, data ends at 11
  // the refresh due at 1000 (tREFI) starts at 1000 (bank 0 may precharge since 10), takes tRP + tRFC =
  // 53 clocks; the row is closed after it: ACT at 1053, READ at 1057, data 1062 .. 1064
  EXPECT_EQ(dram.Schedule(1000, 0, 32, false), 1064u);
  EXPECT_EQ(dram.stats().refreshes, 1);
  EXPECT_EQ(dram.stats().row_misses, 2);  // what was a row hit before the refresh is a miss after it
  EXPECT_EQ(dram.stats().refresh_clocks, 53);
}

TEST(DramTiming, FourActivateWindow) {
  DramTiming dram(Small(8), 100e6);
  // five bursts to five closed banks (byte 64·k = burst 2k = bank k), all asked for at 0:
  // ACTs at 0, 2, 4, 6 (tRRD 2); the fifth waits for tFAW after the first: 20. Its READ at 24, data 29..31
  for (int k = 0; k < 4; ++k) dram.Schedule(0, 64 * k, 32, false);
  EXPECT_EQ(dram.Schedule(0, 64 * 4, 32, false), 31u);
  EXPECT_EQ(dram.stats().faw_rrd_clocks, 2 + 4 + 6 + 20);
}

TEST(DramTiming, AcceleratorCyclesConvert) {
  // a 100 MHz DRAM clock is two cycles of a 200 MHz accelerator: the first read ends at clock 11 = cycle 22;
  // a 50 MHz accelerator sees it end at cycle ceil(11 / 2) = 6
  DramTiming fast(Small(), 200e6), slow(Small(), 50e6);
  EXPECT_EQ(fast.Schedule(0, 0, 32, false), 22u);
  EXPECT_EQ(slow.Schedule(0, 0, 32, false), 6u);
}

TEST(DramTiming, PresetsPeakBandwidthIsTheirJedecFigure) {
  // DDR4-3200 64-bit: 25.6 GB/s; LPDDR4-4266 x32: 17.06 GB/s; HBM2 2 Gb/s × 1,024 bits: 256 GB/s
  EXPECT_NEAR(ResolveDramParams("ddr4_3200", {}, {}).PeakBytesPerSecond() / 1e9, 25.6, 1e-9);
  EXPECT_NEAR(ResolveDramParams("lpddr4_4266", {}, {}).PeakBytesPerSecond() / 1e9, 17.064, 1e-9);
  EXPECT_NEAR(ResolveDramParams("hbm2", {}, {}).PeakBytesPerSecond() / 1e9, 256, 1e-9);
}

TEST(DramTiming, StreamingApproachesPeakAndHbm2BeatsLpddr4) {
  auto stream = [](const std::string& preset) {
    DramTiming dram(ResolveDramParams(preset, {}, {}), 200e6);
    Cycle at = 0;
    for (int k = 0; k < 64; ++k) at = dram.Schedule(at, 16384ull * k, 16384, false);  // 1 MiB in order
    return std::pair{at, dram.AchievedBytesPerSecond() / dram.params().PeakBytesPerSecond()};
  };
  const auto [lpddr4, lpddr4_share] = stream("lpddr4_4266");
  const auto [hbm2, hbm2_share] = stream("hbm2");
  // 1 MiB at 17.06 GB/s is 61.4 µs = 12,290 cycles at 200 MHz; at 256 GB/s 4.1 µs = 819 cycles
  EXPECT_GT(lpddr4, 12290u);
  EXPECT_GT(hbm2, 819u);
  EXPECT_LT(hbm2 * 5, lpddr4);
  EXPECT_GT(lpddr4_share, 0.6);  // row hits dominate a sequential stream
  EXPECT_LT(lpddr4_share, 1.0);
  EXPECT_LT(hbm2_share, 1.0);
}

TEST(DramTiming, BadPresetsAndParametersAreLocatedErrors) {
  const SourceLocation where{"arch.yaml", 7, 12, "cyclops.dram.preset"};
  try {
    ResolveDramParams("ddr5", {}, where);
    FAIL();
  } catch (const SpecError& error) {
    EXPECT_EQ(error.where().line, 7);
    EXPECT_NE(error.valid().find("hbm2"), std::string::npos);
  }
  try {
    ResolveDramParams("hbm2", {{"tRCDD", {3, {"arch.yaml", 9, 5, "cyclops.dram.tRCDD"}}}}, where);
    FAIL();
  } catch (const SpecError& error) {
    EXPECT_EQ(error.where().line, 9);
    EXPECT_NE(error.valid().find("tRCD"), std::string::npos);
  }
  EXPECT_THROW(ResolveDramParams("hbm2", {{"channels", {0, where}}}, where), SpecError);
  EXPECT_THROW(ResolveDramParams("hbm2", {{"burst_length", {3, where}}}, where), SpecError);
  EXPECT_EQ(ResolveDramParams("hbm2", {{"tRCD", {20, where}}}, where).tRCD, 20);
}

TEST(DramSpec, CyclopsDramKeysAreTypedAndLocated) {
  const spec::Spec spec =
      spec::LoadSpecDocuments({{"a.yaml", "cyclops:\n  dram:\n    preset: hbm2\n    tRCD: 20\n"}});
  ASSERT_TRUE(spec.cyclops.dram);
  EXPECT_EQ(spec.cyclops.dram->preset, "hbm2");
  EXPECT_EQ(spec.cyclops.dram->overrides.at("tRCD").first, 20);
  EXPECT_EQ(spec.cyclops.dram->overrides.at("tRCD").second.line, 4);
  try {
    spec::LoadSpecDocuments({{"b.yaml", "cyclops:\n  dram:\n    preset: hbm2\n    tRCD: -1\n"}});
    FAIL();
  } catch (const SpecError& error) {
    EXPECT_EQ(error.where().line, 4);
  }
  EXPECT_THROW(spec::LoadSpecDocuments({{"c.yaml", "cyclops:\n  dram:\n    tRCD: 3\n"}}), SpecError);
}

}  // namespace
}  // namespace cyclops::models
