// The typed specs: what the spec loader produces from YAML and what every other folder consumes.
// Nothing downstream reads YAML; everything here is already validated (DESIGN.md decision 2).
//
// Conventions (Timeloop's):
//   - Storage levels are indexed innermost first: storage[0] is the level nearest the MACs
//     (Timeloop's "Level 1"); storage.back() is the outermost (usually DRAM).
//   - Permutations list dimension indices innermost first (Timeloop's "permutation: MPCQ" = M innermost).
//   - Data spaces keep the order of the problem's `data_spaces` list.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "sim/core/error.h"
#include "sim/spec/sparse_spec.h"

namespace cyclops::spec {

// ---------------------------------------------------------------- workload (Timeloop `problem`)

// One term of an affine projection: coefficient × dimension. coefficient < 0 means the constant 1.
struct ProjectionTerm {
  int dimension = 0;
  int coefficient = -1;
};
// A data-space coordinate is a sum of terms, e.g. Inputs' W = Wstride*P + Wdilation*R.
using ProjectionExpression = std::vector<ProjectionTerm>;

struct DataSpaceSpec {
  std::string name;
  std::vector<ProjectionExpression> projection;  // one expression per data-space rank
  bool read_write = false;                       // true for the output (accumulated) data space
};

struct Workload {
  std::string name;
  std::vector<std::string> dimensions;  // e.g. {C, M, R, S, N, P, Q}
  std::vector<int64_t> bounds;          // per dimension (from `instance`)
  std::vector<SourceLocation> bound_where;  // per dimension, where its bound was written (may be unknown)
  std::vector<std::string> coefficient_names;
  std::vector<int64_t> coefficient_values;  // per coefficient, after `instance` overrides defaults
  std::vector<DataSpaceSpec> data_spaces;
  // Per data space, from the instance's `densities` (Sparseloop); empty when none are given (all dense).
  std::vector<DensitySpec> densities;
  SourceLocation where;

  int DimensionIndex(const std::string& name) const;  // -1 if unknown
  int DataSpaceIndex(const std::string& name) const;  // -1 if unknown
  int64_t Coefficient(const ProjectionTerm& term) const {
    return term.coefficient < 0 ? 1 : coefficient_values[term.coefficient];
  }
  int64_t TotalOperations() const;  // product of all bounds (MACs for a conv)
  // Full size of a data space: product over ranks of (max projected coordinate + 1).
  int64_t DataSpaceSize(int data_space) const;
  // The density of a data space (fixed_structured 1.0 when none is given) and whether any is below 1.
  DensitySpec Density(int data_space) const;
  bool HasSparseDensities() const;
};

// ---------------------------------------------------------------- architecture

// The smallest bandwidth accepted anywhere (spec attributes, --bus-width), in values per cycle: below it
// any real layer would need more than 2^63 cycles (configs/README.md).
inline constexpr double kSmallestBandwidth = 1e-6;

struct StorageLevelSpec {
  std::string name;             // e.g. "shared_glb" (no hierarchy prefix, no instance range)
  std::string component_class;  // e.g. "smartbuffer_SRAM", "DRAM", "dummy_storage"
  std::string subclass;         // Timeloop `class: storage, subclass: X` form; empty otherwise
  int64_t instances = 1;        // total instances of this level in the whole accelerator
  int64_t mesh_x = 1;           // instances laid out as mesh_x × mesh_y (Timeloop meshX/meshY)
  int64_t mesh_y = 1;
  std::optional<int64_t> depth;  // rows of `width_bits`; empty = unbounded (DRAM)
  int64_t width_bits = 0;        // bits per row (vector)
  int64_t word_bits = 0;         // bits per value (Timeloop datawidth / word-bits)
  int64_t block_size = 1;        // values per row = width_bits / word_bits
  int64_t cluster_size = 1;
  int64_t n_banks = 1;
  double multiple_buffering = 1.0;
  std::optional<double> read_bandwidth;  // values per cycle per instance; empty = unlimited
  std::optional<double> write_bandwidth;
  std::optional<double> shared_bandwidth;
  bool is_dummy = false;  // a spatial fan-out point (Timeloop `dummy_storage`), holds nothing
  bool is_dram = false;   // class DRAM (or `technology: DRAM`)
  std::map<std::string, std::string> attributes;  // every attribute as written, for reports
  SourceLocation where;

  // Capacity in values; empty = unbounded.
  std::optional<int64_t> Capacity() const {
    if (!depth) return std::nullopt;
    return *depth * block_size;
  }
};

struct ArithmeticSpec {
  std::string name;  // e.g. "mac"
  std::string component_class;
  int64_t instances = 1;
  int64_t mesh_x = 1;
  int64_t mesh_y = 1;
  int64_t word_bits = 16;
  std::map<std::string, std::string> attributes;
  SourceLocation where;
};

// Mapper constraints written on one architecture component (Timeloop v0.4 `constraints:`), resolved to
// indices. A container's constraints apply to the `inter_<name>_spatial` level its fan-out created.
// Only filled when the spec has a problem (names are checked against it). The mapper uses them;
// given mappings are not re-checked against them (Timeloop's mapper outputs can violate them).
struct LevelConstraints {
  int level = 0;                                          // index into Architecture::storage
  std::vector<std::pair<int, int64_t>> temporal_factors;  // (dimension, factor); factor 0 = "what remains"
  std::vector<int> temporal_permutation;                  // innermost first, possibly partial
  std::vector<std::pair<int, int64_t>> spatial_factors;
  std::vector<int> spatial_permutation;
  std::optional<int> spatial_split;
  std::vector<int> keep;    // data-space indices
  std::vector<int> bypass;  // data-space indices
  SourceLocation where;
};

// The on-chip network (Cyclops-only key `noc:` inside `architecture:`, next to `version:`). Names are kept
// as written: the topology builders (noc/topology) check builder names and parameters, the layer engine
// checks data-space names and modes against the workload; both report at the locations kept here.
using NocParamValue = std::variant<int64_t, double, bool, std::string>;
// A parameter keeps the type it is written with: "3" is an integer, "2.5" a double, "true" a boolean,
// anything else a name. Shared by the `params:` map and `cyclops run --noc-param NAME=VALUE`.
NocParamValue NocParamFromText(const std::string& text);

struct NocNodeSpec {  // a node of a `custom` topology
  std::string name;
  std::string kind;        // router, bus, glb_bank, offchip_port, pe
  std::string data_types;  // "iact,weight,psum" (default: all)
  int64_t cluster_x = 0, cluster_y = 0, local_x = 0, local_y = 0;
  int64_t in_ports = 0, out_ports = 0;  // 0 = as many as its links use
  SourceLocation where;
};

struct NocLinkSpec {  // a link of a `custom` topology
  std::string from, to;
  std::string data_types;  // default: all
  int64_t width_bits = 0;
  int64_t latency_cycles = 1;
  std::optional<int64_t> buffer_depth;
  std::optional<int64_t> from_port, to_port;  // empty = a port of its own
  SourceLocation where;
};

struct NocSpec {
  std::string topology;  // a registered builder: eyeriss_v2_hm, eyeriss_v1_bus, mesh2d, crossbar, custom
  SourceLocation topology_where;
  std::map<std::string, NocParamValue> params;
  std::map<std::string, SourceLocation> param_where;
  std::vector<NocNodeSpec> nodes;
  std::vector<NocLinkSpec> links;
  // Data-space name → (router mode as written, where). Modes: unicast, broadcast, grouped_multicast,
  // interleaved_multicast. Absent data spaces take the mode their mapping needs.
  std::map<std::string, std::pair<std::string, SourceLocation>> modes;
  // Data-space name → (the network it travels on: iact, weight or psum; where). Absent data spaces take
  // the rule in top::NocDataTypes (the result on psum, then Timeloop's order: weights, then inputs).
  std::map<std::string, std::pair<std::string, SourceLocation>> carries;
  SourceLocation where;
};

struct Architecture {
  std::vector<StorageLevelSpec> storage;  // innermost first (see top of file)
  ArithmeticSpec arithmetic;
  double global_cycle_seconds = 1e-9;
  std::vector<LevelConstraints> constraints;
  bool imperfect_mapspace = false;  // the mapper searches imperfect factors too (mapspace `template: ruby`)
  std::optional<NocSpec> noc;  // empty: every fan-out is an ideal bus (Timeloop's networks)
  SourceLocation where;

  int StorageIndex(const std::string& name) const;  // -1 if unknown
  // The innermost level that holds data (a dummy fan-out point below the spads, e.g. a SIMD container's,
  // holds none): its word is the width of the values the MACs read. Null when no level holds data.
  const StorageLevelSpec* InnermostDataLevel() const;
};

// ---------------------------------------------------------------- mapping

// What one storage level does in the loop nest. Factors and permutations always cover every dimension
// (the loader fills factor 1 and completes permutations), so consumers never deal with missing entries.
//
// Imperfect factors (Timeloop v3 "Ruby", factors "Q=14,13"): a loop's bound (its factor) need not divide
// the dimension; its residual is how many iterations it runs when every loop of the same dimension outside
// it is at its last iteration (Timeloop's residual_end; the outermost loop of a dimension always runs its
// residual). The loops of one dimension count in mixed radix (radices = factors) up to bound − 1, so
//   bound − 1 = Σ over the dimension's loops (residual − 1) × (product of the factors of the loops inside).
// Residual vectors are empty for perfect levels (every residual = its factor).
struct LevelMapping {
  std::vector<int64_t> temporal_factors;    // per dimension
  std::vector<int> temporal_permutation;    // dimension indices, innermost first
  std::vector<int64_t> spatial_factors;     // per dimension; all 1 when the level has no spatial fan-out
  std::vector<int> spatial_permutation;     // innermost first
  std::vector<int64_t> temporal_residuals;  // per dimension, 1 ≤ residual ≤ factor; empty = perfect
  std::vector<int64_t> spatial_residuals;
  int spatial_split = 0;          // permutation positions [0, split) are X, [split, n) are Y
  std::vector<bool> keep;         // per data space: true = this level holds it
  SourceLocation temporal_where;  // where the level's temporal directive was written
  SourceLocation spatial_where;
  SourceLocation keep_where;

  int64_t TemporalResidual(int d) const {
    return temporal_residuals.empty() ? temporal_factors[d] : temporal_residuals[d];
  }
  int64_t SpatialResidual(int d) const {
    return spatial_residuals.empty() ? spatial_factors[d] : spatial_residuals[d];
  }
  bool Imperfect() const;  // some residual differs from its factor
};

struct Mapping {
  std::vector<LevelMapping> levels;  // indexed like Architecture::storage (innermost first)
  SourceLocation where;

  bool Imperfect() const;
  // The dimension's bound the factors and residuals make (the formula above); equal to the product of the
  // factors when the mapping is perfect.
  int64_t Bound(int dimension) const;
};

// ---------------------------------------------------------------- energy (Accelergy ERT)

struct EnergyTable {
  // component name (hierarchy prefix and instance range removed) → action name → energy in pJ
  std::map<std::string, std::map<std::string, double>> components;
  // Where each component's name and each of its actions' names was written, for name checks.
  std::map<std::string, SourceLocation> component_where;
  std::map<std::string, std::map<std::string, SourceLocation>> action_where;
  // component name → its name as the table writes it (e.g. "system_top_level.DRAM[1..1]"), which is
  // the name Accelergy's action counts must use
  std::map<std::string, std::string> full_names;
  // component name → action name → the arguments of the entry priced (the first listed), as one line of
  // YAML flow text; empty when the entry has none
  std::map<std::string, std::map<std::string, std::string>> arguments;
  // Empty when read from an Accelergy ERT; else how the table was estimated (no ERT was given), e.g.
  // "Cyclops' primitive-component table at 40nm (configs/energy/README.md)".
  std::string estimated_from;
  // `unit: relative` (Cyclops' key beside `version` and `tables`): energies in units of one MAC, not pJ, so
  // no power in mW can be given.
  bool relative = false;
  SourceLocation where;

  std::optional<double> Lookup(const std::string& component, const std::string& action) const;
};

// ---------------------------------------------------------------- Cyclops-only settings

// Settings Timeloop does not have; read from the top-level `cyclops:` key (documented in
// configs/README.md). Each default is written here and nowhere else.
// `cyclops: dram:`: a DRAM timing model (models/dram/dram_timing.h) for the outermost level in place of the
// bandwidth-only DRAM: a preset by name and parameters that override it, each with where it was written
// (the preset and parameter names are the model's, checked by top::CheckCyclopsSettings at these locations
// when the files are loaded).
struct DramTimingSpec {
  std::string preset;
  std::map<std::string, std::pair<int64_t, SourceLocation>> overrides;
  SourceLocation where;  // of the preset's value
};

struct CyclopsSettings {
  // The defaults, written here once; every other struct that carries these starts from them.
  static constexpr uint64_t kDefaultSeed = 1;
  static constexpr int kDefaultPsumBits = 32;
  // Operand precision: the innermost storage level's word, at most this (OperandBits in sim/top).
  static constexpr int kMaxOperandBits = 16;
  static constexpr int kDefaultOperandBits = 8;  // before an architecture says otherwise

  std::optional<double> clock_hz;  // accelerator clock; default 1 / global_cycle_seconds
  std::optional<DramTimingSpec> dram;
  uint64_t seed = kDefaultSeed;      // seed for generated input and weight values
  int psum_bits = kDefaultPsumBits;  // accumulator width in the PEs
  SourceLocation where;

  double ClockHz(const Architecture& architecture) const {  // clock_hz, else 1 / global_cycle_seconds
    return clock_hz ? *clock_hz : 1.0 / architecture.global_cycle_seconds;
  }
};

// ---------------------------------------------------------------- Timeloop mapper settings and Accelergy
// classes

// Timeloop's `mapper:` search settings (mapper_loader.h); names are checked, their meaning for Cyclops'
// search is the mapper's business (sim/mapping/mapper.h).
struct MapperSpec {
  std::vector<std::string> metrics;  // optimization_metric(s) in order: delay, energy, edp, ...
  SourceLocation metrics_where;
  std::optional<int64_t> search_size;        // valid mappings to evaluate in all; 0 = no limit
  std::optional<int64_t> timeout;            // consecutive invalid mappings that end a search thread
  std::optional<int64_t> victory_condition;  // consecutive valid non-improving mappings that end it; 0 = off
  std::optional<int64_t> num_threads;
  std::string algorithm;  // as written (random, random_pruned, linear_pruned, exhaustive, hybrid); "" = none
  SourceLocation algorithm_where;
  SourceLocation where;
};

// One Accelergy compound component class (`compound_components: {classes: [...]}`, merged over files).
struct ComponentClassSpec {
  std::string name;
  std::vector<std::string> attributes;                             // attribute names the class declares
  std::vector<std::pair<std::string, std::string>> subcomponents;  // (name, class), in order
  std::vector<std::string> actions;
  SourceLocation where;
};

// Something the loader accepted but the user should look at (e.g. an attribute name one letter off one
// Cyclops uses). `cyclops ... --strict` turns the first into an error (exit 2).
struct SpecWarning {
  SourceLocation where;
  std::string problem;
  std::string suggestion;        // "did you mean 'read_bandwidth'?"; may be empty
  std::string ToString() const;  // "file:line:col: warning: at 'key': problem (suggestion)"
};

// ---------------------------------------------------------------- the bundle

// Everything one invocation read, after merging the top-level keys of all files.
struct Spec {
  std::vector<std::string> files;
  std::optional<Architecture> architecture;
  std::optional<Workload> workload;
  std::optional<Mapping> mapping;
  std::optional<EnergyTable> energy;
  std::optional<SparseOptimizations> sparse;  // Sparseloop's sparse_optimizations, when any are written
  CyclopsSettings cyclops;
  std::optional<MapperSpec> mapper;                   // Timeloop `mapper:`, for `cyclops map`
  std::vector<ComponentClassSpec> component_classes;  // Accelergy compound classes, all files merged
  std::vector<std::string> notes;     // things read but deliberately not used, told to the user once
  std::vector<SpecWarning> warnings;  // accepted, but probably not what was meant
};

}  // namespace cyclops::spec
