#include "sim/stats/analysis_writer.h"

#include <cinttypes>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "sim/stats/text_format.h"

namespace cyclops::stats {

namespace {

std::string ProblemLine(const spec::Workload& workload) {
  std::string text = workload.name + " ";
  for (size_t d = 0; d < workload.dimensions.size(); ++d)
    text += (d ? " " : "") + workload.dimensions[d] + "=" + std::to_string(workload.bounds[d]);
  return text;
}

}  // namespace

std::string AnalysisText(const spec::Architecture& architecture, const spec::Workload& workload,
                         const analysis::AnalysisResult& result) {
  const auto& mac = architecture.arithmetic;
  std::string out;
  out += "Cyclops analytical model (Timeloop semantics)\n";
  out += "  workload     " + ProblemLine(workload) + "  (" + Grouped(result.arithmetic.computes) + " MACs)\n";
  out += "  hardware     " + Grouped(mac.instances) + " x " + mac.name + " (" + std::to_string(mac.mesh_x) +
         " x " + std::to_string(mac.mesh_y) + "), " + std::to_string(architecture.storage.size()) +
         " storage levels\n";
  out += "  cycles       " + Grouped(result.cycles) + "  (set by " + result.bottleneck + ")\n";
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
                         const analysis::AnalysisResult& result) {
  nlohmann::ordered_json root;
  root["workload"]["name"] = workload.name;
  for (size_t d = 0; d < workload.dimensions.size(); ++d)
    root["workload"]["bounds"][workload.dimensions[d]] = workload.bounds[d];
  root["summary"] = {{"cycles", result.cycles},
                     {"bottleneck", result.bottleneck},
                     {"computes", result.arithmetic.computes},
                     {"utilization", result.utilization},
                     {"energy_pj", result.energy_pj},
                     {"pj_per_compute", result.pj_per_compute}};
  root["arithmetic"] = {{"name", result.arithmetic.name},
                        {"utilized_instances", result.arithmetic.utilized_instances},
                        {"computes", result.arithmetic.computes},
                        {"cycles", result.arithmetic.cycles},
                        {"energy_pj", result.arithmetic.energy_pj}};
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
    }
    levels.push_back(entry);
  }
  root["storage_levels"] = levels;
  return root.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace cyclops::stats
