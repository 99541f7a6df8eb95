// The DRAM presets, in DRAM clocks (nCK), each from its JEDEC standard's speed bin (nanosecond figures
// rounded up to whole clocks at the preset's tCK), as DRAMsim3's configs (configs/DDR4_8Gb_x8_3200.ini,
// configs/HBM2_8Gb_x128.ini) also derive them.
#include "models/dram/dram_timing.h"

namespace cyclops::models {
namespace {

// One 64-bit DDR4-3200AA channel of x8 8 Gb devices (22-22-22): JESD79-4B. tCK 0.625 ns; tRAS 32 ns,
// tFAW 21 ns (1 KB page per device, 8 KB per rank), tRRD_S 2.5 ns (4 nCK), tWR 15 ns, tRTP 7.5 ns,
// tREFI 7.8 µs, tRFC 350 ns (8 Gb); 16 banks (4 groups of 4), BL8.
struct Ddr4_3200 : DramTimingParams {
  Ddr4_3200() {
    name = "ddr4_3200";
    source = "JEDEC JESD79-4B, DDR4-3200AA, x8 8 Gb devices on a 64-bit channel";
    clock_mhz = 1600, channels = 1, banks = 16, row_bytes = 8192, bus_bytes = 8, burst_length = 8;
    tCL = 22, tCWL = 16, tRCD = 22, tRP = 22, tRAS = 52, tFAW = 34, tRRD = 4, tWR = 24, tRTP = 12;
    tREFI = 12480, tRFC = 560;
  }
};

// LPDDR4-4266, one x32 die of two x16 channels: JESD209-4B. tCK 0.469 ns; RL 36 (DBI off), WL 18 (set A);
// tRCD 18 ns, tRPpb 18 ns, tRAS 42 ns, tFAW 40 ns, tRRD 10 ns, tWR 18 ns, tRTP 7.5 ns (8 nCK minimum);
// tREFIab 3.904 µs, tRFCab 280 ns (8 Gb per channel); 8 banks, 2 KB page, BL16.
struct Lpddr4_4266 : DramTimingParams {
  Lpddr4_4266() {
    name = "lpddr4_4266";
    source = "JEDEC JESD209-4B, LPDDR4-4266, two x16 channels";
    clock_mhz = 2133, channels = 2, banks = 8, row_bytes = 2048, bus_bytes = 2, burst_length = 16;
    tCL = 36, tCWL = 18, tRCD = 39, tRP = 39, tRAS = 90, tFAW = 86, tRRD = 22, tWR = 39, tRTP = 16;
    tREFI = 8329, tRFC = 598;
  }
};

// One HBM2 stack at 2 Gb/s per pin: JESD235B, 8 channels of 128 bits, BL4, tCK 1 ns; CL 14, CWL 4,
// tRCD 14, tRP 14, tRAS 34, tFAW 30, tRRD_S 4, tWR 16, tRTP_S 4, tREFI 3.9 µs, tRFC 260 ns (8 Gb dies);
// 16 banks per channel, 1 KB page.
struct Hbm2 : DramTimingParams {
  Hbm2() {
    name = "hbm2";
    source = "JEDEC JESD235B, HBM2 2 Gb/s, 8 channels x 128 bits";
    clock_mhz = 1000, channels = 8, banks = 16, row_bytes = 1024, bus_bytes = 16, burst_length = 4;
    tCL = 14, tCWL = 4, tRCD = 14, tRP = 14, tRAS = 34, tFAW = 30, tRRD = 4, tWR = 16, tRTP = 4;
    tREFI = 3900, tRFC = 260;
  }
};

}  // namespace

CYCLOPS_REGISTER_DRAM_PRESET("ddr4_3200", Ddr4_3200);
CYCLOPS_REGISTER_DRAM_PRESET("lpddr4_4266", Lpddr4_4266);
CYCLOPS_REGISTER_DRAM_PRESET("hbm2", Hbm2);

}  // namespace cyclops::models
