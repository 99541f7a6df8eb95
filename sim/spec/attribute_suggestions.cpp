#include "sim/spec/attribute_suggestions.h"

#include <algorithm>

namespace cyclops::spec {

namespace {

// Where each group comes from: Cyclops reads the first group (architecture_loader.cpp); Timeloop's
// buffer and arithmetic specs (src/model/buffer.cpp, arithmetic.cpp) and its front end's defaults the
// second; Accelergy's primitive component classes and plug-ins (SRAM, DRAM, regfile, adders,
// multipliers, MACs, wires) the third.
const std::vector<std::string> kKnown = {
    // Cyclops
    "depth", "width", "datawidth", "block_size", "cluster_size", "n_banks", "multiple_buffering",
    "read_bandwidth", "write_bandwidth", "shared_bandwidth", "meshX", "meshY", "global_cycle_seconds",
    "technology", "memory_depth", "memory_width", "word-bits", "word_bits", "block-size", "cluster-size",
    "multiplier_width", "adder_width",
    // Timeloop
    "addr_gen_energy", "allow_overbooking", "bandwidth", "cluster_area", "compression_supported",
    "concordant_compressed_tile_traversal", "data_storage_depth", "data_storage_width",
    "decompression_supported", "entries", "instances", "metadata_block_size", "metadata_datawidth",
    "metadata_depth", "metadata_storage_depth", "metadata_storage_width", "metadata_width",
    "metadata_word_bits", "min_utilization", "n_ports", "n_words", "network_drain", "network_drain_latency",
    "network_fill", "network_fill_latency", "network_read", "network_update", "num_banks", "num_ports",
    "per_dataspace_bandwidth_consumption_scale", "power_gated_at", "has_power_gating", "reduction_supported",
    "sizeKB", "tile_partition_supported", "vector_access_energy", "word_width", "area", "energy",
    "network_operand", "network_result", "version",
    // Accelergy primitives and plug-ins
    "type", "n_rd_ports", "n_wr_ports", "n_rdwr_ports", "n_rw_ports", "latency", "length", "datawidth_a",
    "datawidth_b", "width_a", "width_b", "n_bits", "precision", "exponent", "mantissa", "num_pipeline_stages",
    "n_instances", "area_scale", "energy_scale", "action_latency_cycles", "cycle_seconds", "n_inputs",
    "n_outputs", "resolution", "voltage"};

void CheckAttributes(const YamlNode& attributes, const std::vector<std::string>& known,
                     std::vector<SpecWarning>& warnings) {
  if (!attributes.IsMap()) return;  // the architecture loader reports the wrong kind
  for (const YamlNode::Entry& entry : attributes.Entries()) {
    const std::string closest = ClosestKnownName(entry.key, known);
    if (closest.empty()) continue;
    SourceLocation where = entry.key_where;
    warnings.push_back({where,
                        "attribute '" + entry.key + "' is not one Cyclops, Timeloop or Accelergy reads",
                        "did you mean '" + closest + "'?"});
  }
}

void Walk(const YamlNode& node, const std::vector<std::string>& known, std::vector<SpecWarning>& warnings) {
  if (node.IsList()) {
    for (const YamlNode& item : node.Items()) Walk(item, known, warnings);
    return;
  }
  if (!node.IsMap()) return;
  if (auto attributes = node.Find("attributes")) CheckAttributes(*attributes, known, warnings);
  for (const char* key : {"nodes", "subtree", "local"})
    if (auto children = node.Find(key)) Walk(*children, known, warnings);
}

}  // namespace

int EditDistance(const std::string& a, const std::string& b) {
  const size_t n = a.size(), m = b.size();
  std::vector<std::vector<int>> d(n + 1, std::vector<int>(m + 1, 0));
  for (size_t i = 0; i <= n; ++i) d[i][0] = static_cast<int>(i);
  for (size_t j = 0; j <= m; ++j) d[0][j] = static_cast<int>(j);
  for (size_t i = 1; i <= n; ++i) {
    for (size_t j = 1; j <= m; ++j) {
      const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[n][m];
}

std::string ClosestKnownName(const std::string& name, const std::vector<std::string>& known) {
  if (std::find(known.begin(), known.end(), name) != known.end()) return "";
  // Short names are too close to each other to guess at: one edit for 4-5 letters, two from 6.
  const int allowed = name.size() >= 6 ? 2 : name.size() >= 4 ? 1 : 0;
  std::string best;
  int best_distance = allowed + 1;
  for (const std::string& candidate : known) {
    const int distance = EditDistance(name, candidate);
    if (distance < best_distance) best = candidate, best_distance = distance;
  }
  return best;
}

const std::vector<std::string>& KnownAttributeNames() {
  return kKnown;
}

void SuggestAttributeNames(const YamlNode& architecture, const std::vector<ComponentClassSpec>& classes,
                           std::vector<SpecWarning>& warnings) {
  std::vector<std::string> known = kKnown;
  for (const ComponentClassSpec& component : classes)
    known.insert(known.end(), component.attributes.begin(), component.attributes.end());
  Walk(architecture, known, warnings);
}

}  // namespace cyclops::spec
