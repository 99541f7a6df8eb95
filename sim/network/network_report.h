// The end-to-end report of a network run: a per-layer table (cycles split into accelerator compute,
// on-chip stalls, vector unit, DMA and host; MAC utilisation; energy; DRAM bytes; share of the total),
// totals with the accelerator's share, and the same as OUT/network.json and OUT/layers.csv. Nothing here
// depends on wall time or on which layers came from the cache, so a resumed run reports byte-identically.
#pragma once

#include <optional>
#include <string>

#include "sim/network/network.h"
#include "sim/network/network_run.h"

namespace cyclops::network {

struct ReportContext {
  std::string architecture;  // the architecture file(s), for the header
  int64_t mac_instances = 1;
  double clock_hz = 200e6;
  bool relative_energy = false;      // the energy table's unit is one MAC, not pJ: no power in mW
  std::optional<double> noc_hop_pj;  // the ERT's noc.hop (none: the NoC's energy is not priced)
  uint64_t seed = spec::CyclopsSettings::kDefaultSeed;
  int value_bits = spec::CyclopsSettings::kDefaultOperandBits;
  bool output_checked = false;
  bool output_matches = false;
  std::string output_hash;  // of the final output's values (sim/network/activation.h HashValues)
  int64_t output_nonzero = 0;
  std::vector<std::string> notes;  // e.g. placeholders for unsupported ONNX ops
};

std::string NetworkText(const Network& network, const NetworkRunResult& run, const ReportContext& context);
std::string NetworkJson(const Network& network, const NetworkRunResult& run, const ReportContext& context);
std::string LayersCsv(const Network& network, const NetworkRunResult& run, const ReportContext& context);

}  // namespace cyclops::network
