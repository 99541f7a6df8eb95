// Runs one layer cycle by cycle: instantiates and wires the storage cores, fan-out buses, level controllers
// and PEs for the layer's mapping (the one place that builds and binds), loads real data, runs sc_start()
// until every PE and controller is done, checks the outputs against the reference kernel, and collects
// the counters. SystemC allows one elaboration per process, so a process simulates one LayerSimulation.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "models/common/cycle.h"
#include "sim/spec/specs.h"
#include "sim/stats/stats_tree.h"

namespace cyclops::top {

struct SimulationOptions {
  uint64_t seed = 1;
  int value_bits = 8;               // operand precision (signed)
  int psum_bits = 32;               // accumulator width
  std::optional<double> bus_width;  // values per cycle on every fan-out bus; empty = unlimited
  models::Cycle bus_latency = 1;
  // The architecture's `noc:` topology carries the transfers; false (`--noc none`) uses the buses above.
  bool use_noc = true;
  std::map<std::string, spec::NocParamValue> noc_params;  // replace or add topology builder parameters
  models::Cycle mac_latency = 1;
  bool bank_conflicts = false;  // model storage bank conflicts (Timeloop does not)
  // Tile versions a level may hold ahead of the one in use: 1 overlaps every fill with compute (Timeloop's
  // assumption). 0 is a staging buffer too small to ever hand over a tile: the run deadlocks and the
  // watchdog names the stuck modules.
  int prefetch_depth = 1;
  models::Cycle watchdog_cycles = 1000000;  // no progress for this long = stuck
  // When not empty: the second operand's values (a conv's Inputs, e.g. the previous layer's output in a
  // network run) in place of seeded ones; must hold exactly that data space's size.
  std::vector<int64_t> second_operand;
  std::vector<int64_t> first_operand;  // the same for the first operand (a two-activation matmul's Weights)
};

// Simulated totals of one storage level and data space, over all instances.
struct SimulatedAccesses {
  bool kept = false;
  int64_t instances = 0;
  uint64_t reads = 0, fills = 0, updates = 0;                              // totals
  std::vector<uint64_t> instance_reads, instance_fills, instance_updates;  // per instance
};

struct StallEntry {
  std::string cause;
  models::Cycle cycles = 0;
};

struct SimulationResult {
  models::Cycle cycles = 0;          // when the last write-back landed
  models::Cycle compute_cycles = 0;  // MAC-busy cycles of the PE that finished last
  models::Cycle pe_finished_at = 0;  // when that PE issued its last MAC
  uint64_t macs = 0;
  std::vector<StallEntry> stalls;                        // that PE's waits by cause, largest first
  std::vector<std::vector<SimulatedAccesses>> accesses;  // [level][data space]
  std::optional<std::string> mismatch;                   // first differing output, if any
  std::vector<int64_t> outputs;                          // the simulated result data space, wrapped
  std::string pe_program;                                // the PE program listing
  double wall_seconds = 0;
  // The on-chip network, when the architecture has one: its name, the router configuration per data
  // space, and the out ports that held transfers up longest.
  struct NocBottleneck {
    std::string channel;
    uint64_t stall_cycles = 0;
    uint64_t busy_cycles = 0;
  };
  std::string noc_topology;
  std::vector<std::string> noc_modes;
  std::vector<NocBottleneck> noc_bottlenecks;
  uint64_t noc_value_hops = 0;  // values × links crossed (NoC energy is priced per value per hop)
};

class LayerSimulation {
 public:

  LayerSimulation(const spec::Architecture& architecture, const spec::Workload& workload,
                  const spec::Mapping& mapping, SimulationOptions options);
  ~LayerSimulation();

  // Simulates; throws SimulationError when the watchdog finds the run stuck.
  SimulationResult Run();
  stats::StatsTree& stats();
  // After Run: the topology with every link's counters as JSON (noc.json), or empty without a NoC.
  std::string NocJson() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cyclops::top
