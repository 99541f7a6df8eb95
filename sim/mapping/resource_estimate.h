// What a cycle-level run of one layer will cost, estimated before anything is allocated or elaborated:
// the memory its values, tile buffers, SystemC modules and NoC routes take, and the work (MACs, MAC
// bursts, analytical cycles) with the wall time it should take at a calibrated rate. The `run` command
// prints the estimate on a terminal and refuses a run above --max-memory or --max-macs, so that a
// spec whose tensors cannot fit ends in one clear message instead of std::bad_alloc or the OOM killer,
// and an enormous layer does not run for hours without a word.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "sim/analysis/analysis.h"
#include "sim/spec/specs.h"

namespace cyclops::mapping {

struct ResourceEstimate {
  int64_t macs = 0;
  int64_t analytical_cycles = 0;
  int64_t pes = 0;
  double bursts = 0;             // MAC bursts over all PEs: what the simulation's cost follows
  double value_bytes = 0;        // tensors, the reference result and the outermost level's copy
  double tile_buffer_bytes = 0;  // every instance's tile and its staged next version
  double module_bytes = 0;       // PEs (SystemC thread stacks), storage instances, level controllers
  double noc_bytes = 0;          // topology, planned routes and link calendars
  double expected_seconds = 0;   // wall time at the calibrated rates below

  double total_bytes() const { return value_bytes + tile_buffer_bytes + module_bytes + noc_bytes; }
};

// Throws SpecError when the mapping cannot be simulated (as LayerSimulation would).
ResourceEstimate EstimateLayerRun(const spec::Architecture& architecture, const spec::Workload& workload,
                                  const spec::Mapping& mapping, const analysis::AnalysisResult& analysis,
                                  bool with_noc);

// The hardware alone (PEs, storage instances), before a mapping exists: for refusing an enormous
// architecture before the mapper plans layers on it.
ResourceEstimate EstimateHardware(const spec::Architecture& architecture);

struct ResourceLimits {
  double max_memory_bytes = 0;  // 0: DefaultMaxMemoryBytes()
  double max_macs = 0;          // 0: kDefaultMaxMacs
};

// Refusing above this is the default: a run of 10^11 MACs takes four minutes or more at the calibrated
// rate (README "Robustness"), a whole ResNet-50 is 4 x 10^9; more must be asked for with --max-macs.
inline constexpr double kDefaultMaxMacs = 1e11;
// Half the machine's physical memory: a safe share, leaving room for everything else on it.
double DefaultMaxMemoryBytes();

// Throws SpecError at `where` when the estimate is above a limit, naming the largest part; `what` starts the
// message ("simulating CNN_Layer").
void CheckResourceLimits(const ResourceEstimate& estimate, const ResourceLimits& limits,
                         const SourceLocation& where, const std::string& what);

// One line for a person: "work estimate: 924,844,032 MACs, 5,652,480 analytical cycles, about 5 s; memory
// about 0.21 GB (values 0.01 GB, tile buffers ..., modules ..., NoC ...)".
std::string EstimateLine(const ResourceEstimate& estimate);

// "8G", "512M", "64k" or a plain number of bytes; nothing when the text is not one (or is not positive).
std::optional<double> ParseByteSize(const std::string& text);
std::string FormatBytes(double bytes);  // "1.5 GB", "20 MB"

}  // namespace cyclops::mapping
