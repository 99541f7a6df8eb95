#include "sim/mapping/resource_estimate.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "sim/core/error.h"
#include "sim/mapping/hardware_layout.h"
#include "sim/mapping/layer_plan.h"
#include "sim/mapping/layer_program.h"
#include "sim/stats/text_format.h"

namespace cyclops::mapping {

namespace {

// Calibrated with `cyclops run` on this project's 2-core machine (README "Robustness"): maximum resident
// memory and simulation wall time of the example, tutorial-06, the Eyeriss v1 and v2 preset mappings and
// the 16,384-PE array (0.34 GB, about 20 kB per PE with its NoC), fitted per part. Estimates, not
// promises: they tell seconds from hours and megabytes from terabytes.
constexpr double kBytesPerValue = 8;       // tensors hold int64_t values
constexpr double kBytesPerPe = 16 * 1024;  // a TiledPe: its SystemC thread's used stack, MAC stats
constexpr double kBytesPerStorageInstance = 2 * 1024;  // a StorageCore: calendars and counters
constexpr double kBytesPerBank = 16;                   // a StorageCore's per-bank busy cycle and request
constexpr double kBytesPerController = 64 * 1024;      // a LevelController thread and its schedules
constexpr double kNocBytesPerPe = 8 * 1024;            // topology nodes and links, per PE they serve
constexpr double kNocBytesPerDelivery = 256;           // a planned route's share per receiving instance
constexpr double kBaseBytes = 16 * 1024 * 1024;        // the process itself: code, SystemC kernel, specs
constexpr double kMacsPerSecond = 4e8;                 // MACs inside bursts (tutorial-06: 4.5 s)
constexpr double kBurstsPerSecond = 2e6;  // per burst: events, tile hand-overs (depth-wise layers)
constexpr double kFixedSeconds = 0.02;    // elaboration and the output check of a small layer

using stats::Grouped;

// "0.03 s", "4.7 s", "12 s", "7 min", "3.2 h".
std::string Duration(double seconds) {
  char text[32];
  if (seconds < 1)
    std::snprintf(text, sizeof text, "%.2f s", seconds);
  else if (seconds < 10)
    std::snprintf(text, sizeof text, "%.1f s", seconds);
  else if (seconds < 120)
    std::snprintf(text, sizeof text, "%.0f s", seconds);
  else if (seconds < 7200)
    std::snprintf(text, sizeof text, "%.0f min", seconds / 60);
  else
    std::snprintf(text, sizeof text, "%.1f h", seconds / 3600);
  return text;
}

}  // namespace

ResourceEstimate EstimateHardware(const spec::Architecture& architecture) {
  ResourceEstimate estimate;
  estimate.pes = architecture.arithmetic.instances;
  double storage_bytes = 0;
  for (const spec::StorageLevelSpec& level : architecture.storage)
    if (!level.is_dummy)
      storage_bytes += static_cast<double>(level.instances) *
                       (kBytesPerStorageInstance + static_cast<double>(level.n_banks) * kBytesPerBank);
  estimate.module_bytes = kBaseBytes + static_cast<double>(estimate.pes) * kBytesPerPe + storage_bytes;
  if (architecture.noc) estimate.noc_bytes = static_cast<double>(estimate.pes) * kNocBytesPerPe;
  return estimate;
}

ResourceEstimate EstimateLayerRun(const spec::Architecture& architecture, const spec::Workload& workload,
                                  const spec::Mapping& mapping, const analysis::AnalysisResult& analysis,
                                  bool with_noc) {
  // The accelerator elaborates every instance of the architecture, whatever the mapping uses.
  ResourceEstimate estimate = EstimateHardware(architecture);
  if (!with_noc) estimate.noc_bytes = 0;
  const LayerPlan plan(architecture, workload, mapping);
  const LayerProgram program =
      CompileLayer(plan, HardwareLayout(architecture), spec::CyclopsSettings::kDefaultPsumBits);
  estimate.macs = workload.TotalOperations();
  estimate.analytical_cycles = analysis.cycles;
  estimate.pes = static_cast<int64_t>(program.pes.size());
  estimate.bursts = static_cast<double>(program.pe.bursts) * static_cast<double>(estimate.pes);

  const std::vector<int64_t> origin(workload.dimensions.size(), 0);
  for (int d = 0; d < plan.num_data_spaces(); ++d) {
    const double size = static_cast<double>(workload.DataSpaceSize(d));
    // The tensor, the outermost level's copy, and for the result the simulated and the expected copies.
    estimate.value_bytes += size * kBytesPerValue * (workload.data_spaces[d].read_write ? 4 : 2);
  }
  for (const TransferProgram& transfer : program.transfers) {
    const double tile = static_cast<double>(
        plan.nest().Project(transfer.data_space, origin, plan.nest().TileExtent(transfer.level)).Size());
    double stores = 0, deliveries = 0;
    for (const TransferGroup& group : transfer.groups) {
      deliveries += static_cast<double>(group.children.size());
      stores += transfer.share_store ? 1 : static_cast<double>(group.children.size());
    }
    // The tile in use and one staged version; psums also keep a fresh flag per value.
    estimate.tile_buffer_bytes += stores * tile * (2 * kBytesPerValue + (transfer.read_write ? 2 : 0));
    estimate.module_bytes += kBytesPerController;
    if (with_noc && architecture.noc) estimate.noc_bytes += deliveries * kNocBytesPerDelivery;
  }
  estimate.expected_seconds = kFixedSeconds + static_cast<double>(estimate.macs) / kMacsPerSecond +
                              estimate.bursts / kBurstsPerSecond;
  return estimate;
}

double DefaultMaxMemoryBytes() {
  const long pages = sysconf(_SC_PHYS_PAGES);
  const long page_size = sysconf(_SC_PAGESIZE);
  if (pages <= 0 || page_size <= 0) return 4.0 * 1024 * 1024 * 1024;  // unknown: assume a small machine
  return 0.5 * static_cast<double>(pages) * static_cast<double>(page_size);
}

void CheckResourceLimits(const ResourceEstimate& estimate, const ResourceLimits& limits,
                         const SourceLocation& where, const std::string& what) {
  const double max_memory = limits.max_memory_bytes > 0 ? limits.max_memory_bytes : DefaultMaxMemoryBytes();
  const double max_macs = limits.max_macs > 0 ? limits.max_macs : kDefaultMaxMacs;
  if (estimate.total_bytes() > max_memory) {
    const std::pair<double, const char*> parts[] = {
        {estimate.value_bytes, "the tensors' values"},
        {estimate.tile_buffer_bytes, "the tile buffers"},
        {estimate.module_bytes, "the PEs and storage instances (and their banks)"},
        {estimate.noc_bytes, "the NoC routes"}};
    const auto largest = *std::max_element(std::begin(parts), std::end(parts));
    throw SpecError(where,
                    what + " would need about " + FormatBytes(estimate.total_bytes()) +
                        " of memory (most of it for " + largest.second + "), above --max-memory " +
                        FormatBytes(max_memory),
                    "a smaller problem or architecture, --max-memory SIZE to allow more, or cyclops analyze");
  }
  if (static_cast<double>(estimate.macs) > max_macs) {
    char limit[32];
    std::snprintf(limit, sizeof limit, "%.3g", max_macs);
    throw SpecError(where,
                    what + " means " + Grouped(estimate.macs) + " MACs (about " +
                        Duration(estimate.expected_seconds) + "), above --max-macs " + limit,
                    "--analytical-only (cyclops network) or cyclops analyze for the analytical estimate, or "
                    "--max-macs N to simulate anyway");
  }
}

std::string EstimateLine(const ResourceEstimate& estimate) {
  return "work estimate: " + Grouped(estimate.macs) + " MACs in " +
         Grouped(static_cast<int64_t>(estimate.bursts)) + " bursts on " + Grouped(estimate.pes) + " PEs, " +
         Grouped(estimate.analytical_cycles) + " analytical cycles, about " +
         Duration(estimate.expected_seconds) + "; memory about " + FormatBytes(estimate.total_bytes()) +
         " (values " + FormatBytes(estimate.value_bytes) + ", tile buffers " +
         FormatBytes(estimate.tile_buffer_bytes) + ", modules " + FormatBytes(estimate.module_bytes) +
         (estimate.noc_bytes > 0 ? ", NoC " + FormatBytes(estimate.noc_bytes) : "") + ")";
}

std::optional<double> ParseByteSize(const std::string& text) {
  char* end = nullptr;
  const double number = std::strtod(text.c_str(), &end);
  if (end == text.c_str() || !std::isfinite(number) || number <= 0) return std::nullopt;
  std::string unit(end);
  std::transform(unit.begin(), unit.end(), unit.begin(), [](unsigned char c) { return std::tolower(c); });
  if (unit.size() == 2 && unit[1] == 'b') unit.pop_back();  // "GB" as "G"
  const double scale = unit.empty() || unit == "b" ? 1
                       : unit == "k"               ? 1024.0
                       : unit == "m"               ? 1024.0 * 1024
                       : unit == "g"               ? 1024.0 * 1024 * 1024
                       : unit == "t"               ? 1024.0 * 1024 * 1024 * 1024
                                                   : 0;
  if (scale == 0) return std::nullopt;
  return number * scale;
}

std::string FormatBytes(double bytes) {
  char text[32];
  if (bytes >= 1024.0 * 1024 * 1024)
    std::snprintf(text, sizeof text, "%.2f GB", bytes / (1024.0 * 1024 * 1024));
  else
    std::snprintf(text, sizeof text, "%.0f MB", std::ceil(bytes / (1024.0 * 1024)));
  return text;
}

}  // namespace cyclops::mapping
