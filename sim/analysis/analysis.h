// The analytical model: the simulator's twin (DESIGN.md decision 9). Given architecture, workload and
// mapping it computes, in closed form and the way Timeloop's model does, what every storage level and
// the arithmetic level do: tile sizes, reads, fills, updates, reductions, multicast, utilized instances,
// ideal cycles (compute vs each level's bandwidth) and energy (counts × ERT).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/spec/specs.h"

namespace cyclops::analysis {

// Metadata and payload units of one rank of a format (Sparseloop's "(metadata, payload)").
struct RankUnits {
  int64_t metadata = 0;
  int64_t payload = 0;
};

// One kind of metadata action (reads, fills or updates) split like the data: per rank, innermost first,
// and the bits they move.
struct MetadataActions {
  std::vector<RankUnits> actual, gated, skipped;
  int64_t actual_bits = 0, gated_bits = 0, skipped_bits = 0;
};

// An action split the way Sparseloop splits it: actual accesses move data and cost energy, gated ones
// cost the cycle (and the ERT's gated energy, usually zero), skipped ones cost neither.
struct SparseActionCounts {
  int64_t actual = 0;
  int64_t gated = 0;
  int64_t skipped = 0;
};

// What a sparse-aware level does with one data space, per instance (Sparseloop's report).
struct SparseDataSpaceAccesses {
  std::string density_distribution;  // fixed_structured, hypergeometric, banded
  std::string format;                // ranks outermost first, e.g. "uop cp"; "none" without metadata
  bool compressed = false;
  double expected_density = 1;
  int64_t max_occupancy = 0;                      // values held at once at most ("max utilized capacity")
  std::vector<RankUnits> max_metadata_occupancy;  // per rank, innermost first
  int64_t max_metadata_bits = 0;
  double average_utilized_instances = 0;  // fewer than the dense count when empty tiles are never sent
  SparseActionCounts reads, fills, updates;
  MetadataActions metadata_reads, metadata_fills, metadata_updates;
  int64_t decompressions = 0;     // values decompressed on arrival from a compressed parent
  int64_t compressions = 0;       // values compressed for a compressed parent
  double data_energy_pj = 0;      // per instance, gated actions included
  double metadata_energy_pj = 0;  // per instance
};

// What one storage level does with one data space. "Per instance" counts are for one instance of the
// level (Timeloop's "(per-instance)"); multiply by utilized_instances for totals.
struct DataSpaceAccesses {
  bool kept = false;               // false: bypassed here (all figures zero)
  int64_t partition_size = 0;      // distinct values one instance sees over the run
  int64_t utilized_capacity = 0;   // values held at once (the tile)
  int64_t utilized_instances = 0;  // instances that hold this data space
  int64_t utilized_clusters = 0;
  int64_t reads = 0;                // scalar reads, per instance
  int64_t fills = 0;                // scalar fills (writes from the level above), per instance
  int64_t updates = 0;              // scalar updates (psum writes from below), per instance
  int64_t temporal_reductions = 0;  // per instance
  int64_t address_generations = 0;  // per cluster
  // Over all instances: the per-instance figures × utilized_instances, except for imperfectly factorized
  // mappings, where instances differ and the per-instance figures are averages (imperfect_tiles.h).
  int64_t reads_total = 0, fills_total = 0, updates_total = 0;
  double energy_per_instance_pj = 0;  // reads/fills/updates × ERT action energy ÷ block size
  double energy_total_pj = 0;
  double read_bandwidth = 0;   // values per cycle per instance (reads / cycles)
  double write_bandwidth = 0;  // (fills + updates) / cycles
  // With sparse optimizations: the split of the counts above (which stay the dense, "algorithmic" ones).
  std::optional<SparseDataSpaceAccesses> sparse;
};

struct StorageLevelResult {
  std::string name;
  std::vector<DataSpaceAccesses> data_spaces;  // indexed like Workload::data_spaces
  int64_t cycles = 0;                          // cycles this level needs for its traffic
  int64_t utilized_instances = 0;              // instances the mapping uses (they leak), kept data or not
  double leakage_energy_pj = 0;                // total over instances and cycles
  double energy_pj = 0;                        // dynamic energy over all data spaces and instances
  std::vector<std::string> loop_nest;          // human-readable loops of this level, outermost first
};

struct ArithmeticResult {
  std::string name;
  int64_t utilized_instances = 0;
  int64_t computes = 0;  // total MACs
  int64_t cycles = 0;
  double energy_pj = 0;
  // With sparse optimizations: `computes` stays the algorithmic count.
  std::optional<SparseActionCounts> sparse_computes;
  double average_utilized_instances = 0;
};

// One transfer over the on-chip network, bounded by its most loaded link (sim/analysis/noc_bound.h).
struct NocTransferBound {
  std::string data_space;
  std::string from, to;  // storage level names, in the direction the words move
  std::string network;   // the data type's network: iact, weight, psum
  std::string link;      // its most loaded link (an out port and what it drives)
  int64_t words = 0;     // values sent, over all groups (each multicast once)
  int64_t groups = 0;    // multicast or reduction groups over all parent instances
  int64_t cycles = 0;    // what the most loaded link needs for its share of the words
};

struct AnalysisResult {
  std::vector<StorageLevelResult> storage;  // indexed like Architecture::storage (innermost first)
  ArithmeticResult arithmetic;
  int64_t cycles = 0;  // max over the arithmetic level and every storage level (Timeloop's bound)
  // With the architecture's NoC (noc_bound.h): each transfer's link bound, and the largest of them (0
  // without a NoC). `cycles` stays Timeloop's; BoundedCycles() is the larger of the two.
  std::vector<NocTransferBound> noc_bounds;
  int64_t noc_cycles = 0;
  double utilization = 0;  // computes / (cycles × arithmetic instances)
  double energy_pj = 0;    // dynamic + leakage, all levels
  double pj_per_compute = 0;
  std::string bottleneck;  // the level that sets `cycles` ("mac" when compute-bound)
};

// Throws SpecError (pointing at the mapping) when a tile does not fit a level's capacity.
// The energy table is optional: without it every energy figure is zero. With sparse optimizations the
// model is Sparseloop's (sparse_model.h): the counts are split into actual, gated and skipped, metadata
// is counted, and cycles and energy follow; without them it is Timeloop's dense model.
// How the tile walk behind every fill count runs (tile_analysis.h): Timeloop's two-iteration sample (the
// model Cyclops matches Timeloop with) or every iteration, as the simulated hardware runs it.
enum class TileWalk { kTimeloopSample, kExact };

AnalysisResult Analyze(const spec::Architecture& architecture, const spec::Workload& workload,
                       const spec::Mapping& mapping, const spec::EnergyTable* energy,
                       const spec::SparseOptimizations* sparse = nullptr,
                       TileWalk walk = TileWalk::kTimeloopSample);

// Analyze for many mappings of one architecture, workload and energy table, as the mapper needs it: what
// depends only on those (energy per action, the projections) is looked up once, the working storage and
// the result's own storage are reused, and a tile that does not fit is a return value, not an exception.
// Not thread-safe: one per thread. The architecture, workload and table must outlive it.
class Evaluator {
 public:
  // With sparse optimizations a compressed tile that does not fit throws SpecError from Evaluate, as
  // Analyze does (Sparseloop's failed evaluation); `sparse` must outlive the evaluator too.
  Evaluator(const spec::Architecture& architecture, const spec::Workload& workload,
            const spec::EnergyTable* energy, const spec::SparseOptimizations* sparse = nullptr);
  ~Evaluator();
  Evaluator(const Evaluator&) = delete;
  Evaluator& operator=(const Evaluator&) = delete;

  // Fills `result` with Analyze's figures and returns true, or returns false (with `result` partial)
  // when a tile does not fit a level's capacity. `describe` false leaves every level's `loop_nest`
  // lines empty; Describe adds them afterwards.
  bool Evaluate(const spec::Mapping& mapping, AnalysisResult& result, bool describe = true);
  void SetTileWalk(TileWalk walk);
  // The `loop_nest` lines of the mapping last given to Evaluate.
  void Describe(AnalysisResult& result) const;
  // Why the last Evaluate returned false: Analyze's SpecError for that mapping, thrown.
  [[noreturn]] void ThrowCapacityError(const spec::Mapping& mapping) const;

 private:
  struct State;
  const spec::Architecture& architecture_;
  const spec::Workload& workload_;
  const spec::EnergyTable* energy_;
  const spec::SparseOptimizations* sparse_;
  std::unique_ptr<State> state_;
};

}  // namespace cyclops::analysis
