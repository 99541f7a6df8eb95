// The DRAM timing model (dram_timing.h) behind the outermost storage level's calendar, for one layer: the
// level's value addresses become byte addresses (values of the level's word width, the layer's data spaces
// laid out one after another as the level lays them out), each transfer is booked on the DRAM, and the
// cycles the DRAM takes beyond what the level's calendar (its port bandwidth) would are counted by cause.
//
// Delay by cause: for each transfer, excess = max(0, DRAM done − calendar done) accelerator cycles, split
// over the causes in proportion to where the transfer's last burst spent its time (DramDelays: refresh,
// precharge of a conflicting row, activate, tFAW/tRRD, CAS latency, data bus), largest remainders first so
// the parts add up to the excess. Transfers overlap in time (fills of several data spaces and groups,
// prefetching under compute), so these sums say what the DRAM added to transfers, not what the PEs waited.
// The stall cycles the DRAM causes are the PEs' (the last PE's waits for DRAM reads, the run's stalls);
// the accelerator splits them by cause in the proportions of these delays (DramReport::pe_stall_cycles).
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "models/dram/dram_timing.h"
#include "models/memory/backing_timing.h"
#include "sim/stats/stat_group.h"

namespace cyclops::models {

inline constexpr int kDramStallCauses = 6;
// "refresh", "row_conflict_precharge", "row_activate", "tfaw_trrd", "cas_latency", "data_bus"
const char* DramStallCauseName(int cause);

// What a layer's DRAM traffic measured.
struct DramReport {
  std::string preset, source;
  int64_t transfers = 0, bursts = 0, bytes = 0;
  int64_t row_hits = 0, row_misses = 0, row_conflicts = 0, refreshes = 0;
  double row_hit_rate = 0;
  double achieved_bytes_per_second = 0;  // over the span from the first request to the last data beat
  double peak_bytes_per_second = 0;
  // accelerator cycles, by DramStallCauseName: summed over transfers, and the last PE's waits for DRAM
  // reads split in the same proportions
  std::array<uint64_t, kDramStallCauses> transfer_delay_cycles{};
  std::array<uint64_t, kDramStallCauses> pe_stall_cycles{};
  static uint64_t Total(const std::array<uint64_t, kDramStallCauses>& cycles);
};

class DramBacking : public BackingTiming {
 public:
  DramBacking(DramTimingParams params, double accelerator_hz, int word_bits);

  Cycle Book(Access access, Cycle at, int64_t start, int64_t count, Cycle calendar_done) override;

  const DramTiming& timing() const { return timing_; }
  DramReport Report() const;
  // Declares `report`'s counters in `group` (bursts, row hits/misses/conflicts, refreshes, bytes, delay and
  // PE stall cycles by cause, row hit rate, bandwidth achieved and peak).
  static void FileStats(const DramReport& report, stats::StatGroup& group);

 private:
  DramTiming timing_;
  int word_bits_;
  std::array<uint64_t, kDramStallCauses> delay_cycles_{};
};

// Splits `total` over `weights` in proportion, largest remainders first (ties to the lower index); all of
// it to the last weight when every weight is zero.
std::array<uint64_t, kDramStallCauses> Apportion(uint64_t total,
                                                 const std::array<int64_t, kDramStallCauses>& weights);

}  // namespace cyclops::models
