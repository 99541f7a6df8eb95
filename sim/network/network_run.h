// Runs a whole network with real data. First every accelerator layer is mapped (each shape once, remembered
// in OUT/mappings/ across runs, unless --mappings names its file); then the layers run in DAG order —
// accelerator layers on one accelerator elaborated in this process, or on `jobs` worker processes as the DAG
// allows (sim/network/layer_executor.h); every other layer in this process with its kernel's reference
// computation. The layers read their inputs from that reference chain (so a layer need not wait for the
// simulation of the one before it), and every simulated output is checked against its kernel's. Finished
// accelerator layers are cached under OUT/layers/<key> (sim/network/layer_record.h), so --resume
// recomputes at most the layers that were in flight. A progress line (layer k of n, ETA) goes to stderr when
// it is a terminal.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/network/layer_record.h"
#include "sim/network/network.h"
#include "sim/network/soc_model.h"
#include "sim/top/accelerator.h"
#include "sim/top/map_first.h"

namespace cyclops::network {

struct NetworkRunOptions {
  std::string self;                     // the cyclops binary (/proc/self/exe), for worker processes
  std::vector<std::string> arch_files;  // architecture, optionally an ERT (keys merge)
  top::HardwareOptions hardware;        // what the accelerator is beyond the architecture
  std::string out_dir;
  bool resume = false;
  int jobs = 1;
  uint64_t seed = spec::CyclopsSettings::kDefaultSeed;
  std::string mappings_dir;              // optional: NAME.yaml per layer (NAME with non-alphanumerics as '_')
  std::vector<std::string> worker_args;  // the hardware options as `cyclops layer-worker` takes them
  int value_bits = spec::CyclopsSettings::kDefaultOperandBits;
  int psum_bits = spec::CyclopsSettings::kDefaultPsumBits;
  int64_t dram_word_bits = 8;
  bool progress = false;
  bool analytical_only = false;  // the analytical model instead of the cycle-level simulation (no stalls)
  int64_t map_evaluations = top::MapFirstOptions{}.evaluations;
  std::optional<double> prune_density;  // --prune: every MAC layer's seeded weights (a layer's `prune:` wins)
  // Every simulated layer's timeline, one after another (needs jobs == 1: the layers run in this process).
  trace::TraceRecorder* trace = nullptr;
};

struct LayerOutcome {
  LayerLatency latency;
  std::optional<LayerRecord> record;  // accelerator layers
  bool reused = false;                // taken from the cache (--resume)
  // Wall seconds from handing the layer to its executor to its record read back (accelerator layers that
  // ran; with --jobs N they overlap). For --verbose only: never in an output file, which stays the same
  // run after run.
  double wall_seconds = 0;
};

struct NetworkRunResult {
  std::vector<LayerOutcome> layers;  // per layer of the network
  Activation output;                 // the last layer's output
  // Accelerator layers whose simulated (or cached) output differs from their kernel's on the same input.
  // The layers after one read the kernel's output, so every layer runs as soon as its inputs are
  // computed; the final output matches the reference forward pass only when this is empty.
  std::vector<std::string> diverged;
  int reused = 0;
  int shapes_mapped = 0;  // mapper searches run (a shape seen before, or in the cache, needs none)
  // Wall time per phase, in order: "map" (every layer's mapping), "simulate" (the layers, elaboration
  // included), as (phase, seconds).
  std::vector<std::pair<std::string, double>> phase_seconds;
};

// Throws OutputMismatchError / SimulationError / SpecError when a layer's run fails that way.
NetworkRunResult RunNetwork(const Network& network, const NetworkRunOptions& options);

// The file-name form of a layer name ("/layer1/conv1/Conv" → "_layer1_conv1_Conv").
std::string FileSafe(const std::string& name);

}  // namespace cyclops::network
