#include "sim/analysis/analysis_writer.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "sim/core/output_schema.h"
#include "sim/stats/text_format.h"

namespace cyclops::analysis {

using stats::Energy;
using stats::Format;
using stats::Grouped;

namespace {

std::string ProblemLine(const spec::Workload& workload) {
  std::string text = workload.name + " ";
  for (size_t d = 0; d < workload.dimensions.size(); ++d)
    text += (d ? " " : "") + workload.dimensions[d] + "=" + std::to_string(workload.bounds[d]);
  return text;
}

int64_t MetadataUnits(const std::vector<analysis::RankUnits>& ranks) {
  int64_t units = 0;
  for (const analysis::RankUnits& rank : ranks) units += rank.metadata + rank.payload;
  return units;
}

std::string Split(const analysis::SparseActionCounts& counts) {
  return Grouped(counts.actual) + " / " + Grouped(counts.gated) + " / " + Grouped(counts.skipped);
}

bool IsSparse(const AnalysisResult& result) {
  return result.arithmetic.sparse_computes.has_value();
}

// Sparseloop's split of every count, per instance: actual / gated / skipped, and the metadata moved.
std::string SparseTable(const spec::Architecture& architecture, const spec::Workload& workload,
                        const AnalysisResult& result) {
  std::string out =
      "\n  sparse (Sparseloop): per instance, actual / gated / skipped; metadata in units "
      "(metadata + payload) read / filled / updated\n";
  out += Format("  %-24s %-9s %-8s %7s %19s %28s %23s %23s %20s\n", "level", "data", "format", "density",
                "max occupancy", "reads", "fills", "updates", "metadata r/f/u");
  for (size_t i = architecture.storage.size(); i-- > 0;) {
    bool printed = false;
    for (size_t d = 0; d < workload.data_spaces.size(); ++d) {
      const analysis::DataSpaceAccesses& access = result.storage[i].data_spaces[d];
      if (!access.kept || !access.sparse) continue;
      const analysis::SparseDataSpaceAccesses& sparse = *access.sparse;
      const std::string metadata = sparse.format == "none"
                                       ? std::string("-")
                                       : Grouped(MetadataUnits(sparse.metadata_reads.actual)) + " / " +
                                             Grouped(MetadataUnits(sparse.metadata_fills.actual)) + " / " +
                                             Grouped(MetadataUnits(sparse.metadata_updates.actual));
      out += Format("  %-24s %-9s %-8s %7.4f %19s %28s %23s %23s %20s\n",
                    printed ? "" : architecture.storage[i].name.c_str(), workload.data_spaces[d].name.c_str(),
                    sparse.format.c_str(), sparse.expected_density,
                    (Grouped(sparse.max_occupancy) + " / " + Grouped(access.utilized_capacity)).c_str(),
                    Split(sparse.reads).c_str(), Split(sparse.fills).c_str(), Split(sparse.updates).c_str(),
                    metadata.c_str());
      printed = true;
    }
  }
  out +=
      Format("  %-24s %-9s %-8s %7s %19s %28s   (of %s algorithmic)\n", architecture.arithmetic.name.c_str(),
             "computes", "", "", "", Split(*result.arithmetic.sparse_computes).c_str(),
             Grouped(result.arithmetic.computes).c_str());
  return out;
}

nlohmann::ordered_json RanksJson(const std::vector<analysis::RankUnits>& ranks) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const analysis::RankUnits& rank : ranks) list.push_back({rank.metadata, rank.payload});
  return list;
}

nlohmann::ordered_json MetadataJson(const analysis::MetadataActions& actions) {
  return {{"actual", RanksJson(actions.actual)},   {"gated", RanksJson(actions.gated)},
          {"skipped", RanksJson(actions.skipped)}, {"actual_bits", actions.actual_bits},
          {"gated_bits", actions.gated_bits},      {"skipped_bits", actions.skipped_bits}};
}

void AddSparseJson(const analysis::SparseDataSpaceAccesses& sparse, nlohmann::ordered_json& entry) {
  entry["density_distribution"] = sparse.density_distribution;
  entry["expected_density"] = sparse.expected_density;
  entry["format"] = sparse.format;
  entry["compressed"] = sparse.compressed;
  entry["max_occupancy"] = sparse.max_occupancy;
  entry["average_utilized_instances"] = sparse.average_utilized_instances;
  const std::pair<const char*, const analysis::SparseActionCounts*> actions[] = {
      {"reads", &sparse.reads}, {"fills", &sparse.fills}, {"updates", &sparse.updates}};
  for (const auto& [name, counts] : actions) {
    entry[std::string("actual_") + name + "_per_instance"] = counts->actual;
    entry[std::string("gated_") + name + "_per_instance"] = counts->gated;
    entry[std::string("skipped_") + name + "_per_instance"] = counts->skipped;
  }
  // Ranks innermost first, each [metadata units, payload units].
  entry["metadata"] = {{"max_occupancy", RanksJson(sparse.max_metadata_occupancy)},
                       {"max_occupancy_bits", sparse.max_metadata_bits},
                       {"reads_per_instance", MetadataJson(sparse.metadata_reads)},
                       {"fills_per_instance", MetadataJson(sparse.metadata_fills)},
                       {"updates_per_instance", MetadataJson(sparse.metadata_updates)}};
  entry["decompressions_per_instance"] = sparse.decompressions;
  entry["compressions_per_instance"] = sparse.compressions;
  entry["data_energy_per_instance_pj"] = sparse.data_energy_pj;
  entry["metadata_energy_per_instance_pj"] = sparse.metadata_energy_pj;
}

}  // namespace

std::string AnalysisText(const spec::Architecture& architecture, const spec::Workload& workload,
                         const AnalysisResult& result) {
  const auto& mac = architecture.arithmetic;
  std::string out;
  out += "Cyclops analytical model (Timeloop semantics)\n";
  out += "  workload     " + ProblemLine(workload) + "  (" + Grouped(result.arithmetic.computes) + " MACs)\n";
  out += "  hardware     " + Grouped(mac.instances) + " x " + mac.name + " (" + std::to_string(mac.mesh_x) +
         " x " + std::to_string(mac.mesh_y) + "), " + std::to_string(architecture.storage.size()) +
         " storage levels\n";
  out += "  cycles       " + Grouped(result.cycles) + "  (set by " + result.bottleneck + ")\n";
  if (!result.noc_bounds.empty()) {
    const analysis::NocTransferBound* worst = &result.noc_bounds.front();
    for (const analysis::NocTransferBound& bound : result.noc_bounds)
      if (bound.cycles > worst->cycles) worst = &bound;
    out += "  NoC bound    " + Grouped(result.noc_cycles) + "  (" + worst->data_space + " " + worst->from +
           " -> " + worst->to + " over " + worst->link + ")" +
           (result.noc_cycles > result.cycles ? "  -> NoC-bound: " + Grouped(result.noc_cycles) + " cycles"
                                              : "") +
           "\n";
  }
  out += Format("  utilization  %.2f %% of %s MACs\n", 100.0 * result.utilization,
                Grouped(mac.instances).c_str());
  out += "  energy       " + Energy(result.energy_pj) + Format("  (%.3f pJ/MAC)\n", result.pj_per_compute);
  out += "\n";
  out += Format("  %-24s %-9s %19s %7s %15s %13s %15s %15s\n", "level", "data", "tile / capacity", "inst",
                "reads/inst", "fills/inst", "updates/inst", "energy");
  for (size_t i = architecture.storage.size(); i-- > 0;) {
    const spec::StorageLevelSpec& level = architecture.storage[i];
    const analysis::StorageLevelResult& level_result = result.storage[i];
    bool printed = false;
    for (size_t d = 0; d < workload.data_spaces.size(); ++d) {
      const analysis::DataSpaceAccesses& access = level_result.data_spaces[d];
      if (!access.kept) continue;
      const auto capacity = level.Capacity();
      const std::string tile =
          Grouped(access.utilized_capacity) + " / " + (capacity ? Grouped(*capacity) : std::string("-"));
      out += Format("  %-24s %-9s %19s %7s %15s %13s %15s %15s\n", printed ? "" : level.name.c_str(),
                    workload.data_spaces[d].name.c_str(), tile.c_str(),
                    Grouped(access.utilized_instances).c_str(), Grouped(access.reads).c_str(),
                    Grouped(access.fills).c_str(), Grouped(access.updates).c_str(),
                    Energy(access.energy_total_pj).c_str());
      printed = true;
    }
    if (!printed)
      out += Format("  %-24s %-9s %19s %7s\n", level.name.c_str(), "-", "(fan-out only)",
                    Grouped(level.instances).c_str());
  }
  out += Format("  %-24s %-9s %19s %7s %15s %13s %15s %15s\n", mac.name.c_str(), "computes", "",
                Grouped(result.arithmetic.utilized_instances).c_str(),
                Grouped(result.arithmetic.computes).c_str(), "", "",
                Energy(result.arithmetic.energy_pj).c_str());
  if (IsSparse(result)) out += SparseTable(architecture, workload, result);
  if (!result.noc_bounds.empty()) {
    out += Format("\n  %-9s %-26s %-7s %15s %9s %13s  %s\n", "NoC", "transfer", "network", "words", "groups",
                  "cycles", "most loaded link");
    for (const analysis::NocTransferBound& bound : result.noc_bounds)
      out += Format("  %-9s %-26s %-7s %15s %9s %13s  %s\n", bound.data_space.c_str(),
                    (bound.from + " -> " + bound.to).c_str(), bound.network.c_str(),
                    Grouped(bound.words).c_str(), Grouped(bound.groups).c_str(),
                    Grouped(bound.cycles).c_str(), bound.link.c_str());
  }
  out += "\n  loop nest (outermost first)\n";
  std::string indent = "    ";
  for (size_t i = architecture.storage.size(); i-- > 0;) {
    for (const std::string& loop : result.storage[i].loop_nest) {
      out += indent + loop + "   [" + architecture.storage[i].name + "]\n";
      indent += "  ";
    }
  }
  out += indent + "<< compute >>\n";
  return out;
}

std::string AnalysisJson(const spec::Architecture& architecture, const spec::Workload& workload,
                         const AnalysisResult& result) {
  nlohmann::ordered_json root;
  root["schema"] = {{"name", kAnalysisJsonSchema.name}, {"version", kAnalysisJsonSchema.version}};
  root["workload"]["name"] = workload.name;
  for (size_t d = 0; d < workload.dimensions.size(); ++d)
    root["workload"]["bounds"][workload.dimensions[d]] = workload.bounds[d];
  root["summary"] = {{"cycles", result.cycles},
                     {"bottleneck", result.bottleneck},
                     {"computes", result.arithmetic.computes},
                     {"utilization", result.utilization},
                     {"energy_pj", result.energy_pj},
                     {"pj_per_compute", result.pj_per_compute}};
  if (!result.noc_bounds.empty()) {
    root["summary"]["noc_cycles"] = result.noc_cycles;
    root["summary"]["bounded_cycles"] = std::max(result.cycles, result.noc_cycles);
    nlohmann::ordered_json transfers = nlohmann::ordered_json::array();
    for (const analysis::NocTransferBound& bound : result.noc_bounds)
      transfers.push_back({{"data_space", bound.data_space},
                           {"from", bound.from},
                           {"to", bound.to},
                           {"network", bound.network},
                           {"link", bound.link},
                           {"words", bound.words},
                           {"groups", bound.groups},
                           {"cycles", bound.cycles}});
    root["noc_bound"] = transfers;
  }
  root["arithmetic"] = {{"name", result.arithmetic.name},
                        {"utilized_instances", result.arithmetic.utilized_instances},
                        {"computes", result.arithmetic.computes},
                        {"cycles", result.arithmetic.cycles},
                        {"energy_pj", result.arithmetic.energy_pj}};
  if (const auto& computes = result.arithmetic.sparse_computes) {
    root["arithmetic"]["actual_computes"] = computes->actual;
    root["arithmetic"]["gated_computes"] = computes->gated;
    root["arithmetic"]["skipped_computes"] = computes->skipped;
  }
  nlohmann::ordered_json levels = nlohmann::ordered_json::array();
  for (size_t i = architecture.storage.size(); i-- > 0;) {
    const analysis::StorageLevelResult& level = result.storage[i];
    nlohmann::ordered_json entry;
    entry["name"] = level.name;
    entry["instances"] = architecture.storage[i].instances;
    entry["cycles"] = level.cycles;
    entry["energy_pj"] = level.energy_pj;
    entry["leakage_energy_pj"] = level.leakage_energy_pj;
    entry["loop_nest"] = level.loop_nest;
    entry["data_spaces"] = nlohmann::ordered_json::object();
    for (size_t d = 0; d < workload.data_spaces.size(); ++d) {
      const analysis::DataSpaceAccesses& a = level.data_spaces[d];
      if (!a.kept) continue;
      entry["data_spaces"][workload.data_spaces[d].name] = {
          {"partition_size", a.partition_size},
          {"utilized_capacity", a.utilized_capacity},
          {"utilized_instances", a.utilized_instances},
          {"utilized_clusters", a.utilized_clusters},
          {"reads_per_instance", a.reads},
          {"fills_per_instance", a.fills},
          {"updates_per_instance", a.updates},
          {"temporal_reductions_per_instance", a.temporal_reductions},
          {"address_generations_per_cluster", a.address_generations},
          {"read_bandwidth", a.read_bandwidth},
          {"write_bandwidth", a.write_bandwidth},
          {"energy_per_instance_pj", a.energy_per_instance_pj},
          {"energy_total_pj", a.energy_total_pj}};
      if (a.sparse) AddSparseJson(*a.sparse, entry["data_spaces"][workload.data_spaces[d].name]);
    }
    levels.push_back(entry);
  }
  root["storage_levels"] = levels;
  return root.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace cyclops::analysis
