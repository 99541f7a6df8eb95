// What one simulated layer comes to, side by side with the analytical model, as one typed value: the
// cycles and where they went, per level and data space the accesses and their energy (counts × the energy
// table, DESIGN.md decision 8), the network, the output check. Built once from the run (whose counters
// come from the blocks' stats tree) and the analysis; the text report, summary.json, a network's layer
// record and a re-rank's row are all read from it. summary.json is its JSON form, with a round trip.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/analysis/analysis.h"
#include "sim/energy/action_counts.h"
#include "sim/spec/specs.h"
#include "sim/top/layer_simulation.h"

namespace cyclops::top {

struct RunSummary {
  struct Actions {
    uint64_t reads = 0, fills = 0, updates = 0;
    double energy_pj = 0;
    bool operator==(const Actions&) const = default;
  };
  // With sparse optimizations: an access kind split as Sparseloop splits it (actual ones move data and
  // cost energy, gated ones their cycle only, skipped ones nothing). Simulated: the counts minus the gated,
  // skipped and absent (compressed-away) accesses the blocks counted.
  struct Split {
    int64_t actual = 0, gated = 0, skipped = 0;
    bool operator==(const Split&) const = default;
  };
  // Metadata of the format's innermost rank (runs, coordinates, bitmask bits) moved by each access kind,
  // in data words (analytical: Sparseloop's bits over the level's data word).
  struct Metadata {
    int64_t reads = 0, fills = 0, updates = 0;
    int64_t Words() const { return reads + fills + updates; }
    bool operator==(const Metadata&) const = default;
  };
  struct SparseActions {
    Split reads, fills, updates;
    Metadata metadata;
    // Analytical only, which the simulator does not model: the outer ranks' metadata (uop offsets and
    // the like), in data words, and whether the reads here are the PE's own walk of its operand.
    int64_t outer_rank_words = 0;
    bool operand_level = false;
    int64_t MetadataWords() const { return metadata.Words() + outer_rank_words; }
    bool operator==(const SparseActions&) const = default;
  };
  struct DataSpace {
    std::string name;
    Actions analytical, simulated;
    // The analytical model walking every loop iteration (analysis::TileWalk::kExact), where that differs
    // from Timeloop's two-iteration sample in `analytical`: the simulated hardware is held to it.
    std::optional<Actions> exact_walk;
    // The counts the simulation must equal: the exact walk's where there is one.
    const Actions& expected() const { return exact_walk ? *exact_walk : analytical; }
    std::optional<SparseActions> analytical_sparse, simulated_sparse;
    bool operator==(const DataSpace&) const = default;
  };
  struct SparseComputes {
    Split analytical, simulated;
    // Simulated MACs removed before the compute unit by a gated / skipped operand read, or whose operands
    // were both compressed away (Sparseloop counts none of them as computes).
    int64_t removed_gated = 0, removed_skipped = 0, nonexistent = 0;
    bool operator==(const SparseComputes&) const = default;
  };
  struct Density {
    std::string data_space;
    double declared = 1, measured = 1;  // measured: nonzeros of the data that flowed (outputs: computed)
    std::string distribution;
    bool operator==(const Density&) const = default;
  };
  struct Level {
    std::string name;
    std::vector<DataSpace> data_spaces;  // the kept ones
    bool operator==(const Level&) const = default;
  };
  struct Stall {
    std::string cause;
    int64_t cycles = 0;
    bool operator==(const Stall&) const = default;
  };
  struct Port {
    std::string port;
    uint64_t stall_cycles = 0, busy_cycles = 0;
    bool operator==(const Port&) const = default;
  };
  struct Noc {
    std::string topology;
    std::vector<std::string> modes;
    std::vector<Port> busiest_ports;
    uint64_t value_hops = 0;
    double energy_pj = 0;  // value-hops × the ERT's noc.hop; not in the simulated energy
    bool operator==(const Noc&) const = default;
  };

  // `cyclops: dram:`: the outermost level's DRAM traffic (models/dram/dram_backing.h).
  struct Dram {
    std::string preset;
    int64_t bytes = 0, bursts = 0;
    double row_hit_rate = 0, achieved_bytes_per_second = 0, peak_bytes_per_second = 0;
    std::vector<Stall> pe_stall_cycles;  // the last PE's waits for DRAM reads by cause (non-zero ones)
    bool operator==(const Dram&) const = default;
  };

  std::string workload;
  int64_t macs = 0, analytical_macs = 0;
  int64_t mac_instances = 0;
  int64_t cycles = 0, analytical_cycles = 0, compute_cycles = 0, drain_cycles = 0;
  std::vector<Stall> stalls;  // the last PE's, largest first
  std::optional<Noc> noc;
  std::optional<Dram> dram;
  bool outputs_match = true;
  std::string first_mismatch;
  // Simulated: Accelergy's computation over the run's action counts (SimulatedActionCounts), so
  // action_counts.yaml x the ERT gives exactly this; analytical: the model's.
  double energy_pj = 0, analytical_energy_pj = 0;
  std::string energy_source = "ERT";  // or "estimated (no ERT given): ..."
  int counter_mismatches = 0;         // per-level counters that differ from the analysis (its exact walk)
  // Counters that differ from Timeloop's sampled count only: the simulation equals the exact walk.
  int sampling_differences = 0;
  std::vector<Level> levels;  // outermost first
  int64_t tiles = 1;          // outermost-level temporal iterations of the mapping (host tile set-up)
  std::optional<SparseComputes> sparse_computes;  // with sparse optimizations
  std::vector<Density> densities;                 // when any data space is declared below density 1

  std::string ToJson() const;
  // std::runtime_error naming `where` (a file path) for text that is not a summary.
  static RunSummary FromJson(const std::string& text, const std::string& where);
  bool operator==(const RunSummary&) const = default;
};

RunSummary Summarize(const spec::Spec& spec, const analysis::AnalysisResult& analysis,
                     const SimulationResult& simulation);

// Every storage level's simulated reads, fills and updates per data space and instance, the MACs, and
// leakage over the simulated cycles for the instances the analysis says the mapping uses, counted as
// Accelergy counts actions (sim/energy/action_counts.h).
energy::ActionCounts SimulatedActionCounts(const spec::Spec& spec, const analysis::AnalysisResult& analysis,
                                           const SimulationResult& simulation);

}  // namespace cyclops::top
