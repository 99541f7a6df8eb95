// What one finished accelerator layer contributes to the network report, as written to (and read back
// from) the layer cache: DIR/record.json beside DIR/output.bin (and the run's summary.json), in
// DIR = OUT/layers/<key>. The record is
// written last, atomically, so its presence means the layer is complete (a run killed mid-layer leaves no
// record and the layer is recomputed on --resume).
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sim/top/run_summary.h"

namespace cyclops::network {

struct LayerRecord {
  std::string key;  // hex hash of (architecture files, problem, mapping, seed, input values, run options)
  int64_t cycles = 0, compute_cycles = 0, analytical_cycles = 0;
  int64_t macs = 0;
  int64_t tiles = 1;  // outermost-level temporal iterations of the mapping (host tile set-up)
  double energy_pj = 0;
  std::vector<std::pair<std::string, double>> level_energy_pj;  // storage levels outermost first, then "mac"
  int64_t dram_bytes = 0;
  // The NoC's values moved times links crossed, and their energy at the ERT's noc.hop (0 without it),
  // beside energy_pj as `cyclops run` prints it: a NoC is not a storage level of the analysis.
  int64_t noc_value_hops = 0;
  double noc_energy_pj = 0;
  bool outputs_match = true;
  // `cyclops: dram:` (the DRAM timing model): its preset ("" = bandwidth-only DRAM, and the rest 0), bursts,
  // row hits among them, and the PE stall cycles spent waiting for DRAM reads (all causes).
  std::string dram_preset;
  int64_t dram_bursts = 0, dram_row_hits = 0, dram_stall_cycles = 0;
  // With sparse optimizations: each data space's density in the data that flowed (outputs: the psums
  // computed), and the MACs the compute unit did (actual), gated and skipped (simulated, or the analytical
  // model's with --analytical-only); `macs` minus the three were removed before the compute unit.
  struct Sparse {
    std::vector<std::pair<std::string, double>> densities;
    int64_t actual_macs = 0, gated_macs = 0, skipped_macs = 0;
  };
  std::optional<Sparse> sparse;
};

// Hashed into every layer's cache key, so that a record.json of an earlier format is never reused.
inline constexpr const char* kRecordFormat = "layer record 2 (with noc)";

// From a simulated layer's summary; `dram_word_bits` sizes the outermost level's accesses.
LayerRecord RecordFromSummary(const top::RunSummary& summary, int64_t dram_word_bits);

std::string RecordJson(const LayerRecord& record);
// The `sparse` object of record.json and of network.json's layers: {densities: {NAME: d}, macs: {actual,
// gated, skipped}}.
nlohmann::ordered_json SparseJson(const LayerRecord::Sparse& sparse);
LayerRecord ParseRecord(const std::string& path);  // throws std::runtime_error naming the path

}  // namespace cyclops::network
