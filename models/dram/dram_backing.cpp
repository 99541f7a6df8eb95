#include "models/dram/dram_backing.h"

#include <algorithm>
#include <numeric>

namespace cyclops::models {

namespace {

constexpr const char* kCauseNames[kDramStallCauses] = {
    "refresh", "row_conflict_precharge", "row_activate", "tfaw_trrd", "cas_latency", "data_bus"};
constexpr const char* kCauseDescriptions[kDramStallCauses] = {
    "waiting for refreshes (tRP + tRFC)",
    "closing another open row first (tRAS, tRTP, tWR, tRP)",
    "opening closed rows (tRCD)",
    "the four-activate window and activate spacing (tFAW, tRRD)",
    "column access to data (tCL, tCWL)",
    "data beats at the DRAM's peak rate, and bursts queued ahead on the bus or bank"};

}  // namespace

const char* DramStallCauseName(int cause) {
  return cause >= 0 && cause < kDramStallCauses ? kCauseNames[cause] : "?";
}

uint64_t DramReport::Total(const std::array<uint64_t, kDramStallCauses>& cycles) {
  return std::accumulate(cycles.begin(), cycles.end(), uint64_t{0});
}

std::array<uint64_t, kDramStallCauses> Apportion(uint64_t total,
                                                 const std::array<int64_t, kDramStallCauses>& weights) {
  std::array<uint64_t, kDramStallCauses> parts{};
  const int64_t sum = std::accumulate(weights.begin(), weights.end(), int64_t{0});
  if (total == 0) return parts;
  if (sum <= 0) {
    parts[kDramStallCauses - 1] = total;
    return parts;
  }
  std::array<unsigned __int128, kDramStallCauses> remainder{};
  uint64_t given = 0;
  for (int i = 0; i < kDramStallCauses; ++i) {
    const unsigned __int128 product =
        static_cast<unsigned __int128>(total) * static_cast<uint64_t>(weights[i]);
    parts[i] = static_cast<uint64_t>(product / static_cast<uint64_t>(sum));
    remainder[i] = product % static_cast<uint64_t>(sum);
    given += parts[i];
  }
  std::array<int, kDramStallCauses> order{};
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return remainder[a] > remainder[b]; });
  for (int k = 0; given < total; ++k, ++given) ++parts[order[k % kDramStallCauses]];
  return parts;
}

DramBacking::DramBacking(DramTimingParams params, double accelerator_hz, int word_bits)
    : timing_(std::move(params), accelerator_hz), word_bits_(word_bits) {}

Cycle DramBacking::Book(Access access, Cycle at, int64_t start, int64_t count, Cycle calendar_done) {
  const int64_t bits = static_cast<int64_t>(word_bits_);
  const int64_t first_byte = start * bits / 8;
  const int64_t end_byte = ((start + count) * bits + 7) / 8;
  const Cycle done =
      timing_.Schedule(at, static_cast<uint64_t>(first_byte), end_byte - first_byte, access != Access::kRead);
  if (done > calendar_done) {
    const DramDelays& d = timing_.last_transfer();
    const std::array<int64_t, kDramStallCauses> weights = {d.refresh, d.precharge, d.activate,
                                                           d.faw_rrd, d.latency,   d.data_bus};
    const std::array<uint64_t, kDramStallCauses> parts = Apportion(done - calendar_done, weights);
    for (int i = 0; i < kDramStallCauses; ++i) delay_cycles_[i] += parts[i];
  }
  return done;
}

DramReport DramBacking::Report() const {
  const DramTimingStats& s = timing_.stats();
  DramReport report;
  report.preset = timing_.params().name;
  report.source = timing_.params().source;
  report.transfers = s.transfers, report.bursts = s.bursts, report.bytes = s.bytes;
  report.row_hits = s.row_hits, report.row_misses = s.row_misses, report.row_conflicts = s.row_conflicts;
  report.refreshes = s.refreshes;
  report.row_hit_rate = s.RowHitRate();
  report.achieved_bytes_per_second = timing_.AchievedBytesPerSecond();
  report.peak_bytes_per_second = timing_.params().PeakBytesPerSecond();
  report.transfer_delay_cycles = delay_cycles_;
  return report;
}

void DramBacking::FileStats(const DramReport& report, stats::StatGroup& group) {
  auto add = [&](const std::string& name, const char* unit, const std::string& description,
                 int64_t value) -> stats::Counter& {
    stats::Counter& counter = group.AddCounter(name, unit, description);
    counter.Add(static_cast<uint64_t>(value));
    return counter;
  };
  add("transfers", "transfers", "transfers booked on the DRAM", report.transfers);
  const stats::Counter& bursts = add("bursts", "bursts", "DRAM bursts", report.bursts);
  add("bytes", "bytes", "bytes moved to and from the DRAM", report.bytes);
  const stats::Counter& hits = add("row_hits", "bursts", "bursts to the open row", report.row_hits);
  add("row_misses", "bursts", "bursts to a bank with no open row", report.row_misses);
  add("row_conflicts", "bursts", "bursts to a bank with another row open", report.row_conflicts);
  add("refreshes", "refreshes", "all-bank refreshes", report.refreshes);
  group.AddRatio("row_hit_rate", "share of bursts that hit the open row", hits, bursts);
  for (int i = 0; i < kDramStallCauses; ++i) {
    add(std::string("delay_cycles_") + kCauseNames[i], "cycles",
        std::string(
            "cycles the DRAM added to transfers beyond the level's bandwidth, summed over transfers: ") +
            kCauseDescriptions[i],
        static_cast<int64_t>(report.transfer_delay_cycles[i]));
    add(std::string("pe_stall_cycles_") + kCauseNames[i], "cycles",
        std::string("the last PE's waits for DRAM reads, in the delays' proportions: ") +
            kCauseDescriptions[i],
        static_cast<int64_t>(report.pe_stall_cycles[i]));
  }
  const double achieved = report.achieved_bytes_per_second, peak = report.peak_bytes_per_second;
  group.AddFormula("achieved_bytes_per_second", "B/s", "bytes over the span of the DRAM traffic",
                   [achieved] { return achieved; });
  group.AddFormula("peak_bytes_per_second", "B/s", "the preset's peak bandwidth", [peak] { return peak; });
}

}  // namespace cyclops::models
