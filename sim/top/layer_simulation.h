// One layer on the elaborated accelerator, end to end: compiles the mapping into a LayerProgram for the
// accelerator's layout, draws (or takes) real operand values, runs the program, and checks the simulated
// outputs against the reference kernel. What `cyclops run`, `cyclops map --sim-rerank` and `cyclops
// network` do for every layer, in one process.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/top/accelerator.h"

namespace cyclops::top {

struct LayerOptions {
  uint64_t seed = spec::CyclopsSettings::kDefaultSeed;
  int value_bits = spec::CyclopsSettings::kDefaultOperandBits;  // operand precision (signed)
  int psum_bits = spec::CyclopsSettings::kDefaultPsumBits;      // accumulator width
  RunSettings run;
  // When not empty: the second operand's values (a conv's Inputs, e.g. the previous layer's output in a
  // network run) in place of seeded ones; must hold exactly that data space's size.
  std::vector<int64_t> second_operand;
  std::vector<int64_t> first_operand;  // the same for the first operand (a two-activation matmul's Weights)
  // Seeded operands are drawn at the workload's declared densities (sim/mapping/sparse_data.h); given ones
  // keep their own zeros. When set: the first operand (a layer's Weights) magnitude-pruned to this density
  // after that (`--prune DENSITY`).
  std::optional<double> prune_density;
  // Sparseloop's sparse optimizations of the architecture (must outlive the call); null: none.
  const spec::SparseOptimizations* sparse = nullptr;
  // When set: the reference kernel's result, kept across calls that simulate the same workload with the
  // same operands (seed, bits, given values) under different mappings — filled by the first call (while
  // its values are empty), reused by the next. `cyclops map --sim-rerank` checks every candidate against one.
  mapping::Tensor* reference = nullptr;
};

struct SimulationResult : LayerRun {
  std::optional<std::string> mismatch;   // first differing output, if any
  std::vector<int64_t> outputs;          // the simulated result data space, wrapped
  std::string pe_program;                // the PE program listing
  std::string transfer_listing;          // what every fill engine does
  double wall_seconds = 0;               // the simulation (sc_start) alone
  std::vector<double> measured_density;  // per data space: nonzeros / values of the data that flowed
};

// Throws SpecError for a mapping the simulator cannot run, SimulationError when the run gets stuck.
SimulationResult SimulateLayer(Accelerator& accelerator, const spec::Workload& workload,
                               const spec::Mapping& mapping, const LayerOptions& options);

// The operand precision of an architecture: its innermost storage level's word, at most 16 bits.
int OperandBits(const spec::Architecture& architecture);

// Hardware and layer options together, for a process that simulates one layer.
struct SimulationOptions : HardwareOptions, LayerOptions {};

// One layer in a process of its own (tests, benchmarks): elaborates the accelerator and runs the layer.
// SystemC elaborates once per process, so a process makes at most one.
class LayerSimulation {
 public:
  LayerSimulation(const spec::Architecture& architecture, const spec::Workload& workload,
                  const spec::Mapping& mapping, SimulationOptions options);
  ~LayerSimulation();
  SimulationResult Run();

 private:
  const spec::Workload& workload_;
  const spec::Mapping& mapping_;
  SimulationOptions options_;
  std::unique_ptr<Accelerator> accelerator_;
};

}  // namespace cyclops::top
