#include "models/dram/dram_timing.h"

#include <algorithm>
#include <cmath>

namespace cyclops::models {

std::map<std::string, int64_t*> DramTimingParams::Fields() {
  return {{"channels", &channels},
          {"banks", &banks},
          {"row_bytes", &row_bytes},
          {"bus_bytes", &bus_bytes},
          {"burst_length", &burst_length},
          {"tCL", &tCL},
          {"tCWL", &tCWL},
          {"tRCD", &tRCD},
          {"tRP", &tRP},
          {"tRAS", &tRAS},
          {"tFAW", &tFAW},
          {"tRRD", &tRRD},
          {"tWR", &tWR},
          {"tRTP", &tRTP},
          {"tREFI", &tREFI},
          {"tRFC", &tRFC}};
}

DramTimingParams ResolveDramParams(const std::string& name, const DramOverrides& overrides,
                                   const SourceLocation& where) {
  std::unique_ptr<DramTimingParams> made = DramPresetRegistry::Make(name);
  if (!made) {
    std::string known;
    for (const std::string& preset : DramPresetRegistry::Names())
      known += (known.empty() ? "" : ", ") + preset;
    throw SpecError(where, "unknown DRAM preset '" + name + "'", known);
  }
  DramTimingParams params = *made;
  std::map<std::string, int64_t*> fields = params.Fields();
  for (const auto& [key, given] : overrides) {
    const auto found = fields.find(key);
    if (found == fields.end()) {
      std::string known = "preset";
      for (const auto& [field, pointer] : fields) known += ", " + field;
      throw SpecError(given.second, "unknown DRAM parameter '" + key + "'", known);
    }
    *found->second = given.first;
  }
  for (const auto& [key, pointer] : fields) {
    const bool positive = key == "channels" || key == "banks" || key == "row_bytes" || key == "bus_bytes" ||
                          key == "burst_length" || key == "tREFI";
    const auto given = overrides.find(key);
    if (*pointer < (positive ? 1 : 0) || *pointer > (int64_t{1} << 31))
      throw SpecError(given != overrides.end() ? given->second.second : where,
                      "DRAM " + key + " = " + std::to_string(*pointer),
                      positive ? "1 to 2^31" : "0 to 2^31 clocks");
  }
  if (params.burst_length % 2 != 0)
    throw SpecError(
        where,
        "DRAM burst_length " + std::to_string(params.burst_length) + " is not a whole number of clocks",
        "an even number of beats");
  if (params.row_bytes % params.BurstBytes() != 0)
    throw SpecError(where,
                    "a DRAM row of " + std::to_string(params.row_bytes) + " bytes for bursts of " +
                        std::to_string(params.BurstBytes()),
                    "row_bytes a multiple of bus_bytes · burst_length");
  if (params.tRFC >= params.tREFI)
    throw SpecError(where,
                    "DRAM tRFC " + std::to_string(params.tRFC) + " >= tREFI " + std::to_string(params.tREFI),
                    "tRFC < tREFI");
  return params;
}

DramTiming::DramTiming(DramTimingParams params, double accelerator_hz)
    : params_(std::move(params)),
      clocks_per_cycle_(params_.clock_mhz * 1e6 / accelerator_hz),
      fs_per_clock_(1e9 / params_.clock_mhz),
      channels_(params_.channels) {
  for (Channel& channel : channels_) {
    channel.banks.assign(params_.banks, Bank{});
    channel.next_refresh = params_.tREFI;
  }
}

int64_t DramTiming::Refresh(Channel& channel, int64_t at) {
  // A refresh due before `at` has happened; one still running delays `at` to its end. All rows close.
  while (channel.next_refresh <= at) {
    const int64_t start = channel.next_refresh;
    int64_t begin = start;
    for (const Bank& bank : channel.banks)
      begin = std::max(begin, bank.open_row >= 0 ? bank.precharge_ready : 0);
    const int64_t end = begin + params_.tRP + params_.tRFC;
    for (Bank& bank : channel.banks) {
      bank.open_row = -1;
      bank.activate_ready = std::max(bank.activate_ready, end);
    }
    ++stats_.refreshes;
    if (at < end) {
      stats_.refresh_clocks += end - at;
      at = end;
    }
    channel.next_refresh = start + params_.tREFI;
  }
  return at;
}

int64_t DramTiming::Burst(int64_t at, uint64_t burst_index, bool write, DramDelays& delays) {
  const int64_t channel_index = static_cast<int64_t>(burst_index % params_.channels);
  uint64_t rest = burst_index / params_.channels;
  const int64_t per_row = params_.row_bytes / params_.BurstBytes();
  rest /= per_row;  // the column within the row does not matter to the timing
  const int64_t bank_index = static_cast<int64_t>(rest % params_.banks);
  const int64_t row = static_cast<int64_t>(rest / params_.banks);
  Channel& channel = channels_[channel_index];
  delays = DramDelays{};
  const int64_t requested = at;
  at = Refresh(channel, at);
  delays.refresh = at - requested;
  Bank& bank = channel.banks[bank_index];
  int64_t column = std::max(at, bank.column_ready);
  if (bank.open_row != row) {
    int64_t activate = std::max(at, bank.activate_ready);
    if (bank.open_row >= 0) {  // conflict: close the other row first
      ++stats_.row_conflicts;
      const int64_t precharge = std::max(at, bank.precharge_ready);
      activate = std::max(activate, precharge + params_.tRP);
      stats_.precharge_clocks += activate - at;
    } else {
      ++stats_.row_misses;
    }
    delays.precharge = activate - at;
    const int64_t unconstrained = activate;
    if (!channel.activates.empty()) activate = std::max(activate, channel.activates.back() + params_.tRRD);
    if (channel.activates.size() == 4)
      activate = std::max(activate, channel.activates.front() + params_.tFAW);
    stats_.faw_rrd_clocks += activate - unconstrained;
    delays.faw_rrd = activate - unconstrained;
    // A refresh may fall due while waiting for the activate.
    const int64_t after_refresh = Refresh(channel, activate);
    if (after_refresh != activate) {
      const int64_t waited = std::max(after_refresh, bank.activate_ready);
      delays.refresh += waited - activate;
      activate = waited;
    }
    channel.activates.push_back(activate);
    if (channel.activates.size() > 4) channel.activates.erase(channel.activates.begin());
    bank.open_row = row;
    bank.activate_at = activate;
    bank.precharge_ready = activate + params_.tRAS;
    column = activate + params_.tRCD;
    stats_.activate_clocks += params_.tRCD;
    delays.activate = params_.tRCD;
  } else {
    ++stats_.row_hits;
    delays.data_bus = column - at;  // the bank still busy with an earlier burst (tCCD)
  }
  const int64_t burst_clocks = params_.burst_length / 2;
  const int64_t latency = write ? params_.tCWL : params_.tCL;
  delays.latency = latency;
  int64_t data = column + latency;
  if (data < channel.bus_free) {
    stats_.bus_clocks += channel.bus_free - data;
    delays.data_bus += channel.bus_free - data;
    column += channel.bus_free - data;
    data = channel.bus_free;
  }
  const int64_t end = data + burst_clocks;
  delays.data_bus += burst_clocks;
  channel.bus_free = end;
  bank.column_ready = column + burst_clocks;  // tCCD = BL/2
  bank.precharge_ready = std::max(bank.precharge_ready, write ? end + params_.tWR : column + params_.tRTP);
  ++stats_.bursts;
  return end;
}

Cycle DramTiming::Schedule(Cycle at, uint64_t address, int64_t bytes, bool write) {
  const int64_t start = static_cast<int64_t>(std::ceil(static_cast<double>(at) * clocks_per_cycle_ - 1e-9));
  ++stats_.transfers;
  stats_.bytes += bytes;
  if (stats_.first_request_fs < 0) stats_.first_request_fs = static_cast<int64_t>(start * fs_per_clock_);
  int64_t end = start;
  last_transfer_ = DramDelays{};
  if (bytes > 0) {
    const uint64_t burst_bytes = static_cast<uint64_t>(params_.BurstBytes());
    const uint64_t first = address / burst_bytes,
                   last = (address + static_cast<uint64_t>(bytes) - 1) / burst_bytes;
    DramDelays delays;
    for (uint64_t burst = first; burst <= last; ++burst) {
      const int64_t burst_end = Burst(start, burst, write, delays);
      if (burst_end > end) end = burst_end, last_transfer_ = delays;
    }
  }
  stats_.last_data_fs = std::max(stats_.last_data_fs, static_cast<int64_t>(end * fs_per_clock_));
  const Cycle done = static_cast<Cycle>(std::ceil(static_cast<double>(end) / clocks_per_cycle_ - 1e-9));
  return std::max(done, at + 1);
}

double DramTiming::AchievedBytesPerSecond() const {
  const int64_t span = stats_.last_data_fs - stats_.first_request_fs;
  return span > 0 ? stats_.bytes / (span * 1e-15) : 0;
}

}  // namespace cyclops::models
