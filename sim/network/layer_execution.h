// One accelerator layer of a network run, prepared in a directory and run on an elaborated accelerator —
// in the network's own process, or in a worker process that elaborated its own (`--jobs N`): the same
// function either way, so the records and outputs do not depend on where a layer ran.
//   DIR/problem.yaml, DIR/input.bin   in (written by the runner; DIR/weights.bin too for a matmul of two
//                                     activations)
//   DIR/summary.json, DIR/output.bin  out, then DIR/record.json last (its presence means the layer is done;
//                                     a layer whose outputs differ from the reference gets none)
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/top/accelerator.h"

namespace cyclops::network {

struct LayerTask {
  std::vector<std::string> spec_files;  // architecture (+ ERT), DIR/problem.yaml, the layer's mapping
  uint64_t seed = spec::CyclopsSettings::kDefaultSeed;
  std::string dir;
  std::string key;                      // the layer cache key, kept in the record
  std::string name;                     // the network's name for the layer (the trace's layer slice)
  std::optional<double> prune_density;  // magnitude-prune the seeded weights to this density
};

struct ExecutionSettings {
  int value_bits = spec::CyclopsSettings::kDefaultOperandBits;
  int psum_bits = spec::CyclopsSettings::kDefaultPsumBits;
  int64_t dram_word_bits = 8;
  top::RunSettings run;
};

// A layer's files loaded; without an ERT among them every component is priced from Cyclops' built-in
// primitive table, as `cyclops run` prices it (energy_source says so).
spec::Spec LoadLayerFiles(const std::vector<std::string>& files);

// Throws SpecError, SimulationError as the simulation does, and OutputMismatchError when the outputs
// differ from the reference kernel.
void ExecuteLayer(top::Accelerator& accelerator, const LayerTask& task, const ExecutionSettings& settings);

}  // namespace cyclops::network
