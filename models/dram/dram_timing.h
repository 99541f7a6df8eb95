// A DRAM timing model in plain C++ (no SystemC): channels of banks with row buffers (open-page policy),
// all-bank refresh, and the JEDEC timing parameters, serving transfers one burst at a time in order.
// Its caller (the outermost storage level) asks, per transfer, when the last byte has moved:
//
//   Cycle done = dram.Schedule(at, address, bytes, write);   // accelerator cycles in and out
//
// Timing contract, per burst of bus_bytes · burst_length bytes, on its channel and bank:
//   - row hit: column command at the earliest of `at` and the bank's column-ready time;
//   - row closed: ACTIVATE (after tRP since the last PRECHARGE, tRRD since the channel's last ACTIVATE and
//     tFAW since its fourth-last), column command tRCD later;
//   - row conflict: PRECHARGE (tRAS after the ACTIVATE, tWR after the last write data, tRTP after the last
//     read), then as a closed row;
//   - data: tCL (reads) or tCWL (writes) after the column command, burst_length / 2 clocks on the channel's
//     data bus (double data rate), never overlapping another burst on that bus;
//   - refresh: every tREFI all banks of a channel close and nothing issues for tRFC.
// Addresses map burst by burst: channel = burst % channels (a stream spreads over the channels), then the
// column within the row, then the bank, then the row (row:bank:column:channel). Bursts are served in
// request order (no reordering scheduler): a bound a FR-FCFS controller can only improve on.
// Parameters are in DRAM clock cycles (nCK); presets register by name (DramPresetRegistry).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "models/common/cycle.h"
#include "sim/core/error.h"
#include "sim/core/registry.h"

namespace cyclops::models {

struct DramTimingParams {
  std::string name;
  std::string source;        // where the figures come from
  double clock_mhz = 1600;   // command clock (data moves on both edges)
  int64_t channels = 1;      // independent channels (or pseudo-channels)
  int64_t banks = 16;        // per channel
  int64_t row_bytes = 8192;  // row buffer (page) per channel
  int64_t bus_bytes = 8;     // data bus width per channel
  int64_t burst_length = 8;  // beats per burst
  int64_t tCL = 22, tCWL = 16, tRCD = 22, tRP = 22, tRAS = 52, tFAW = 34, tRRD = 4;
  int64_t tWR = 24, tRTP = 12, tREFI = 12480, tRFC = 560;

  int64_t BurstBytes() const { return bus_bytes * burst_length; }
  double PeakBytesPerSecond() const { return channels * bus_bytes * 2 * clock_mhz * 1e6; }
  // The parameters by key (the spec's names: channels, banks, row_bytes, bus_bytes, burst_length, tCL, ...).
  std::map<std::string, int64_t*> Fields();
};

// A named preset: a DramTimingParams subclass whose constructor fills in the figures.
using DramPresetRegistry = Registry<DramTimingParams>;

// The preset `name` with `overrides` applied (keys as DramTimingParams::Fields(), each with where it was
// written); throws SpecError at the preset's or the key's location naming the valid ones, and for values
// that make no sense (0 channels, a burst that is not a whole number of clocks, a row not a whole number of
// bursts, tRFC ≥ tREFI).
using DramOverrides = std::map<std::string, std::pair<int64_t, SourceLocation>>;
DramTimingParams ResolveDramParams(const std::string& name, const DramOverrides& overrides,
                                   const SourceLocation& where);

struct DramTimingStats {
  int64_t transfers = 0, bursts = 0, bytes = 0;
  int64_t row_hits = 0, row_misses = 0, row_conflicts = 0;  // miss: row closed; conflict: another row open
  int64_t refreshes = 0;
  // Time lost beyond the bursts' data time, by cause, in DRAM clocks (summed over bursts).
  int64_t activate_clocks = 0, precharge_clocks = 0, refresh_clocks = 0, faw_rrd_clocks = 0, bus_clocks = 0;
  int64_t first_request_fs = -1, last_data_fs = 0;  // span of the traffic
  double RowHitRate() const { return bursts > 0 ? static_cast<double>(row_hits) / bursts : 0; }
};

// Where one transfer's time went, along the burst that finished last (DRAM clocks): the parts add up to
// that burst's last data beat minus the request. `data_bus` is the data moving (its own and, queued
// before it on the channel's bus or bank, the bursts ahead of it): the bandwidth part.
struct DramDelays {
  int64_t refresh = 0;    // waiting for a refresh (tRP + tRFC) to end
  int64_t precharge = 0;  // closing another open row (row conflict: tRAS, tRTP, tWR, then tRP)
  int64_t activate = 0;   // opening the row (row closed or conflict: tRCD)
  int64_t faw_rrd = 0;    // the channel's activate window (tFAW) and spacing (tRRD)
  int64_t latency = 0;    // column access to first data (tCL reads, tCWL writes)
  int64_t data_bus = 0;   // the data beats, and waiting for earlier bursts on the bus or in the bank
  int64_t Total() const { return refresh + precharge + activate + faw_rrd + latency + data_bus; }
};

class DramTiming {
 public:
  // `accelerator_hz`: the clock `Schedule` counts in.
  DramTiming(DramTimingParams params, double accelerator_hz);

  // Books `bytes` from `address` (read or write) no earlier than accelerator cycle `at`; returns the cycle
  // at which the last data beat has moved (at least at + 1). Calls must come in non-decreasing `at`.
  Cycle Schedule(Cycle at, uint64_t address, int64_t bytes, bool write);

  const DramTimingParams& params() const { return params_; }
  const DramTimingStats& stats() const { return stats_; }
  // The last Schedule's breakdown (all zero for a transfer of no bytes).
  const DramDelays& last_transfer() const { return last_transfer_; }
  // Bytes per second over the span from the first request to the last data beat.
  double AchievedBytesPerSecond() const;

 private:
  struct Bank {
    int64_t open_row = -1;
    int64_t activate_at = INT64_MIN / 4;  // clocks
    int64_t column_ready = 0;             // earliest column command
    int64_t precharge_ready = 0;          // earliest precharge (tRAS, tWR, tRTP)
    int64_t activate_ready = 0;           // earliest activate (tRP after a precharge)
  };
  struct Channel {
    std::vector<Bank> banks;
    int64_t bus_free = 0;            // first clock the data bus is free
    int64_t next_refresh = 0;        // clock of the next refresh
    std::vector<int64_t> activates;  // the last four activates (tFAW)
  };
  // Returns the clock its data ends; `delays` gets where the time from `at` went.
  int64_t Burst(int64_t at, uint64_t burst_index, bool write, DramDelays& delays);
  int64_t Refresh(Channel& channel, int64_t at);  // applies due refreshes; returns `at` or later

  DramTimingParams params_;
  double clocks_per_cycle_;  // DRAM clocks per accelerator cycle
  double fs_per_clock_;
  std::vector<Channel> channels_;
  DramTimingStats stats_;
  DramDelays last_transfer_;
};

}  // namespace cyclops::models

#define CYCLOPS_REGISTER_DRAM_PRESET(name, Type)                    \
  [[maybe_unused]] static const bool kRegisteredDramPreset_##Type = \
      ::cyclops::models::DramPresetRegistry::Add(name, [] { return std::make_unique<Type>(); })
