#include "sim/network/layer_record.h"

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "sim/core/error.h"

namespace cyclops::network {

LayerRecord RecordFromSummary(const top::RunSummary& summary, int64_t dram_word_bits) {
  LayerRecord record;
  record.cycles = summary.cycles;
  record.compute_cycles = summary.compute_cycles;
  record.analytical_cycles = summary.analytical_cycles;
  record.macs = summary.macs;
  record.tiles = summary.tiles;
  record.energy_pj = summary.energy_pj;
  if (summary.noc) {
    record.noc_value_hops = static_cast<int64_t>(summary.noc->value_hops);
    record.noc_energy_pj = summary.noc->energy_pj;
  }
  record.outputs_match = summary.outputs_match;
  double storage_pj = 0;
  bool outermost = true;
  for (const top::RunSummary::Level& level : summary.levels) {
    double level_pj = 0;
    uint64_t accesses = 0;
    for (const top::RunSummary::DataSpace& space : level.data_spaces) {
      level_pj += space.simulated.energy_pj;
      // Compressed data moves as its actual words plus metadata words; gated and skipped ones move nothing.
      if (const auto& sparse = space.simulated_sparse)
        accesses += static_cast<uint64_t>(sparse->reads.actual + sparse->fills.actual +
                                          sparse->updates.actual + sparse->MetadataWords());
      else
        accesses += space.simulated.reads + space.simulated.fills + space.simulated.updates;
    }
    if (outermost) record.dram_bytes = static_cast<int64_t>(std::ceil(accesses * dram_word_bits / 8.0));
    outermost = false;
    storage_pj += level_pj;
    record.level_energy_pj.emplace_back(level.name, level_pj);
  }
  record.level_energy_pj.emplace_back("mac", record.energy_pj - storage_pj);
  if (summary.dram) {
    record.dram_preset = summary.dram->preset;
    record.dram_bursts = summary.dram->bursts;
    record.dram_row_hits =
        std::llround(summary.dram->row_hit_rate * static_cast<double>(summary.dram->bursts));
    for (const top::RunSummary::Stall& stall : summary.dram->pe_stall_cycles)
      record.dram_stall_cycles += stall.cycles;
  }
  if (summary.sparse_computes) {
    LayerRecord::Sparse sparse;
    for (const top::RunSummary::Density& density : summary.densities)
      sparse.densities.emplace_back(density.data_space, density.measured);
    const top::RunSummary::Split& macs = summary.sparse_computes->simulated;
    sparse.actual_macs = macs.actual, sparse.gated_macs = macs.gated, sparse.skipped_macs = macs.skipped;
    record.sparse = std::move(sparse);
  }
  return record;
}

std::string RecordJson(const LayerRecord& record) {
  nlohmann::ordered_json json;
  json["key"] = record.key;
  json["cycles"] = record.cycles;
  json["compute_cycles"] = record.compute_cycles;
  json["analytical_cycles"] = record.analytical_cycles;
  json["macs"] = record.macs;
  json["tiles"] = record.tiles;
  json["energy_pj"] = record.energy_pj;
  nlohmann::ordered_json levels = nlohmann::ordered_json::array();
  for (const auto& [name, pj] : record.level_energy_pj) levels.push_back({{"name", name}, {"energy_pj", pj}});
  json["level_energy"] = levels;
  json["dram_bytes"] = record.dram_bytes;
  json["noc"] = {{"value_hops", record.noc_value_hops}, {"energy_pj", record.noc_energy_pj}};
  json["outputs_match"] = record.outputs_match;
  if (!record.dram_preset.empty())
    json["dram_timing"] = {{"preset", record.dram_preset},
                           {"bursts", record.dram_bursts},
                           {"row_hits", record.dram_row_hits},
                           {"stall_cycles", record.dram_stall_cycles}};
  if (record.sparse) json["sparse"] = SparseJson(*record.sparse);
  return json.dump(2) + "\n";
}

nlohmann::ordered_json SparseJson(const LayerRecord::Sparse& sparse) {
  nlohmann::ordered_json densities = nlohmann::ordered_json::object();
  for (const auto& [name, density] : sparse.densities) densities[name] = density;
  return {{"densities", densities},
          {"macs",
           {{"actual", sparse.actual_macs}, {"gated", sparse.gated_macs}, {"skipped", sparse.skipped_macs}}}};
}

// The record's fields; nlohmann's exceptions escape (ParseRecord names the file).
static LayerRecord ParseRecordFields(const std::string& path) {
  std::ifstream file(path);
  if (!file) throw SpecError({path, 0, 0, ""}, "cannot read the layer cache file", "run without --resume");
  const nlohmann::json json = nlohmann::json::parse(file);
  LayerRecord record;
  record.key = json.at("key").get<std::string>();
  record.cycles = json.at("cycles").get<int64_t>();
  record.compute_cycles = json.at("compute_cycles").get<int64_t>();
  record.analytical_cycles = json.at("analytical_cycles").get<int64_t>();
  record.macs = json.at("macs").get<int64_t>();
  record.tiles = json.at("tiles").get<int64_t>();
  record.energy_pj = json.at("energy_pj").get<double>();
  for (const nlohmann::json& level : json.at("level_energy"))
    record.level_energy_pj.emplace_back(level.at("name").get<std::string>(),
                                        level.at("energy_pj").get<double>());
  record.dram_bytes = json.at("dram_bytes").get<int64_t>();
  record.noc_value_hops = json.at("noc").at("value_hops").get<int64_t>();
  record.noc_energy_pj = json.at("noc").at("energy_pj").get<double>();
  record.outputs_match = json.at("outputs_match").get<bool>();
  if (json.contains("dram_timing")) {
    const nlohmann::json& dram = json.at("dram_timing");
    record.dram_preset = dram.at("preset").get<std::string>();
    record.dram_bursts = dram.at("bursts").get<int64_t>();
    record.dram_row_hits = dram.at("row_hits").get<int64_t>();
    record.dram_stall_cycles = dram.at("stall_cycles").get<int64_t>();
  }
  if (json.contains("sparse")) {
    const nlohmann::json& sparse = json.at("sparse");
    LayerRecord::Sparse fields;
    for (const auto& [name, density] : sparse.at("densities").items())
      fields.densities.emplace_back(name, density.get<double>());
    const nlohmann::json& macs = sparse.at("macs");
    fields.actual_macs = macs.at("actual").get<int64_t>();
    fields.gated_macs = macs.at("gated").get<int64_t>();
    fields.skipped_macs = macs.at("skipped").get<int64_t>();
    record.sparse = std::move(fields);
  }
  return record;
}

LayerRecord ParseRecord(const std::string& path) {
  // A cache file is input too: a corrupted one is reported naming it, with the way out.
  try {
    return ParseRecordFields(path);
  } catch (const nlohmann::json::exception& error) {
    throw SpecError({path, 0, 0, ""}, std::string("the layer cache file is corrupted: ") + error.what(),
                    "delete it (or DIR/layers) to recompute the layer, or run without --resume");
  }
}

}  // namespace cyclops::network
