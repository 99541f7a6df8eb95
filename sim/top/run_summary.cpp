#include "sim/top/run_summary.h"

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "sim/energy/energy_model.h"

namespace cyclops::top {

namespace {

using nlohmann::ordered_json;

// Dynamic energy of one level and data space, summed over the instances the run used.
double SimulatedEnergy(const spec::Spec& spec, const SimulatedAccesses& access, int level) {
  const energy::StorageEnergy costs =
      energy::LookupStorageEnergy(spec.energy ? &*spec.energy : nullptr, spec.architecture->storage[level]);
  double total = 0;
  for (size_t i = 0; i < access.instance_actual_reads.size(); ++i)
    total += energy::AccessEnergy(costs, static_cast<int64_t>(access.instance_actual_reads[i]),
                                  static_cast<int64_t>(access.instance_actual_fills[i]),
                                  static_cast<int64_t>(access.instance_actual_updates[i]));
  return total;
}

// The MACs that cost energy: all of them in a dense run, the actual ones with sparse optimizations (gated
// ones at the ERT's gated energy, which these tables leave at zero).
uint64_t EnergyMacs(const SimulationResult& simulation) {
  return simulation.sparse_macs ? simulation.sparse_macs->actual : simulation.macs;
}

RunSummary::Split SplitOf(uint64_t counted, const std::array<uint64_t, models::kSparseActions>& sparse) {
  const auto gated = static_cast<int64_t>(sparse[static_cast<int>(models::SparseAction::kGated)]);
  const auto skipped = static_cast<int64_t>(sparse[static_cast<int>(models::SparseAction::kSkipped)]);
  const auto absent = static_cast<int64_t>(sparse[static_cast<int>(models::SparseAction::kAbsent)]);
  return {static_cast<int64_t>(counted) - gated - skipped - absent, gated, skipped};
}

RunSummary::Split Scaled(const analysis::SparseActionCounts& counts, int64_t instances) {
  return {counts.actual * instances, counts.gated * instances, counts.skipped * instances};
}

// Sparseloop's metadata of a data space at a level, in words of the level's data width (what the
// simulator counts): the innermost rank's apart from the outer ranks', which the simulator does not move.
RunSummary::SparseActions AnalyticalSparse(const analysis::DataSpaceAccesses& a,
                                           const spec::DataSpaceFormatSpec* format, int64_t word_bits,
                                           bool operand_level) {
  const analysis::SparseDataSpaceAccesses& sparse = *a.sparse;
  const int64_t n = a.utilized_instances;
  const int64_t inner_bits =
      format != nullptr && !format->ranks.empty() && format->ranks.front().format != "uop"
          ? format->ranks.front().metadata_word_bits
          : 0;
  auto words = [&](int64_t bits) { return word_bits > 0 ? (bits + word_bits - 1) / word_bits * n : 0; };
  int64_t outer_bits = 0;
  auto inner = [&](const analysis::MetadataActions& actions) {
    const int64_t units = actions.actual.empty() ? 0 : actions.actual.front().metadata;
    outer_bits += actions.actual_bits - units * inner_bits;
    return words(units * inner_bits);
  };
  RunSummary::SparseActions out{
      Scaled(sparse.reads, n),
      Scaled(sparse.fills, n),
      Scaled(sparse.updates, n),
      {inner(sparse.metadata_reads), inner(sparse.metadata_fills), inner(sparse.metadata_updates)},
      0,
      operand_level};
  out.outer_rank_words = words(outer_bits);
  return out;
}

// The level the PE reads a data space from: the innermost one that keeps it.
size_t OperandLevel(const analysis::AnalysisResult& analysis, size_t data_space) {
  for (size_t level = 0; level < analysis.storage.size(); ++level)
    if (analysis.storage[level].data_spaces[data_space].kept) return level;
  return analysis.storage.size();
}

RunSummary::SparseActions SimulatedSparse(const SimulatedAccesses& s) {
  return {SplitOf(s.reads, s.sparse_reads),
          SplitOf(s.fills, s.sparse_fills),
          SplitOf(s.updates, s.sparse_updates),
          {static_cast<int64_t>(s.metadata_reads), static_cast<int64_t>(s.metadata_fills),
           static_cast<int64_t>(s.metadata_updates)}};
}

void SummarizeSparse(const spec::Spec& spec, const analysis::AnalysisResult& analysis,
                     const SimulationResult& simulation, RunSummary& summary) {
  const spec::Workload& workload = *spec.workload;
  bool declared = false;
  for (size_t d = 0; d < workload.data_spaces.size(); ++d)
    declared |= !workload.Density(static_cast<int>(d)).IsDense();
  if (declared)
    for (size_t d = 0; d < workload.data_spaces.size(); ++d) {
      const spec::DensitySpec density = workload.Density(static_cast<int>(d));
      const double measured = d < simulation.measured_density.size() ? simulation.measured_density[d] : 1.0;
      summary.densities.push_back(
          {workload.data_spaces[d].name, density.density, measured, density.distribution});
    }
  if (!analysis.arithmetic.sparse_computes || !simulation.sparse_macs) return;
  const models::SparseMacCounts& macs = *simulation.sparse_macs;
  const analysis::SparseActionCounts& want = *analysis.arithmetic.sparse_computes;
  summary.sparse_computes =
      RunSummary::SparseComputes{{want.actual, want.gated, want.skipped},
                                 {static_cast<int64_t>(macs.actual), static_cast<int64_t>(macs.gated),
                                  static_cast<int64_t>(macs.skipped)},
                                 static_cast<int64_t>(macs.removed_gated),
                                 static_cast<int64_t>(macs.removed_skipped),
                                 static_cast<int64_t>(macs.nonexistent)};
}

ordered_json SplitJson(const RunSummary::Split& split) {
  return {{"actual", split.actual}, {"gated", split.gated}, {"skipped", split.skipped}};
}
RunSummary::Split SplitFrom(const nlohmann::json& json) {
  return {json.at("actual").get<int64_t>(), json.at("gated").get<int64_t>(),
          json.at("skipped").get<int64_t>()};
}
ordered_json SparseJson(const RunSummary::SparseActions& sparse) {
  return {{"reads", SplitJson(sparse.reads)},
          {"fills", SplitJson(sparse.fills)},
          {"updates", SplitJson(sparse.updates)},
          {"metadata_words", sparse.MetadataWords()},
          {"metadata",
           {{"reads", sparse.metadata.reads},
            {"fills", sparse.metadata.fills},
            {"updates", sparse.metadata.updates}}},
          {"outer_rank_metadata_words", sparse.outer_rank_words},
          {"operand_level", sparse.operand_level}};
}
RunSummary::SparseActions SparseFrom(const nlohmann::json& json) {
  const nlohmann::json& metadata = json.at("metadata");
  return {SplitFrom(json.at("reads")),
          SplitFrom(json.at("fills")),
          SplitFrom(json.at("updates")),
          {metadata.at("reads").get<int64_t>(), metadata.at("fills").get<int64_t>(),
           metadata.at("updates").get<int64_t>()},
          json.at("outer_rank_metadata_words").get<int64_t>(),
          json.at("operand_level").get<bool>()};
}

ordered_json ActionsJson(const RunSummary::Actions& actions) {
  return {{"reads", actions.reads},
          {"fills", actions.fills},
          {"updates", actions.updates},
          {"energy_pj", actions.energy_pj}};
}

RunSummary::Actions ActionsFrom(const nlohmann::json& json) {
  return {json.at("reads").get<uint64_t>(), json.at("fills").get<uint64_t>(),
          json.at("updates").get<uint64_t>(), json.at("energy_pj").get<double>()};
}

int CountersDiffering(const RunSummary::Actions& a, const RunSummary::Actions& b) {
  return (a.reads != b.reads) + (a.fills != b.fills) + (a.updates != b.updates);
}

}  // namespace

energy::ActionCounts SimulatedActionCounts(const spec::Spec& spec, const analysis::AnalysisResult& analysis,
                                           const SimulationResult& simulation) {
  std::vector<energy::StorageActivity> activity(spec.architecture->storage.size());
  for (size_t level = 0; level < activity.size(); ++level) {
    for (const SimulatedAccesses& access : simulation.accesses[level]) {
      activity[level].reads.push_back(access.instance_actual_reads);
      activity[level].fills.push_back(access.instance_actual_fills);
      activity[level].updates.push_back(access.instance_actual_updates);
    }
    activity[level].used_instances = analysis.storage[level].utilized_instances;
  }
  static const spec::EnergyTable kNoTable;
  return energy::CountActions(*spec.architecture, spec.energy ? *spec.energy : kNoTable, activity,
                              EnergyMacs(simulation), simulation.cycles);
}

RunSummary Summarize(const spec::Spec& spec, const analysis::AnalysisResult& analysis,
                     const SimulationResult& simulation) {
  const spec::Architecture& arch = *spec.architecture;
  const spec::EnergyTable* table = spec.energy ? &*spec.energy : nullptr;
  RunSummary summary;
  summary.workload = spec.workload->name;
  summary.macs = static_cast<int64_t>(simulation.macs);
  summary.analytical_macs = analysis.arithmetic.computes;
  summary.mac_instances = analysis.arithmetic.utilized_instances;
  summary.cycles = static_cast<int64_t>(simulation.cycles);
  summary.analytical_cycles = analysis.cycles;
  summary.compute_cycles = static_cast<int64_t>(simulation.compute_cycles);
  summary.drain_cycles = static_cast<int64_t>(simulation.cycles - simulation.pe_finished_at);
  for (const StallEntry& stall : simulation.stalls)
    summary.stalls.push_back({stall.cause, static_cast<int64_t>(stall.cycles)});
  if (!simulation.noc_topology.empty()) {
    RunSummary::Noc noc{simulation.noc_topology, simulation.noc_modes, {}, simulation.noc_value_hops, 0};
    for (const auto& port : simulation.noc_bottlenecks)
      noc.busiest_ports.push_back({port.channel, port.stall_cycles, port.busy_cycles});
    if (table)
      noc.energy_pj =
          static_cast<double>(simulation.noc_value_hops) * table->Lookup("noc", "hop").value_or(0);
    summary.noc = std::move(noc);
  }
  if (simulation.dram) {
    const models::DramReport& report = *simulation.dram;
    RunSummary::Dram dram{report.preset,
                          report.bytes,
                          report.bursts,
                          report.row_hit_rate,
                          report.achieved_bytes_per_second,
                          report.peak_bytes_per_second,
                          {}};
    for (int i = 0; i < models::kDramStallCauses; ++i)
      if (report.pe_stall_cycles[i] > 0)
        dram.pe_stall_cycles.push_back(
            {models::DramStallCauseName(i), static_cast<int64_t>(report.pe_stall_cycles[i])});
    summary.dram = std::move(dram);
  }
  summary.outputs_match = !simulation.mismatch.has_value();
  if (simulation.mismatch) summary.first_mismatch = *simulation.mismatch;
  summary.analytical_energy_pj = analysis.energy_pj;
  double energy =
      static_cast<double>(EnergyMacs(simulation)) * energy::LookupComputeEnergy(table, arch.arithmetic);
  // Timeloop's model samples two iterations of each loop; the hardware runs them all. Where the two
  // walks differ, the simulation is compared with the exact one (the sparse model has only the sample).
  std::optional<analysis::AnalysisResult> exact;
  if (spec.mapping && !spec.sparse)
    exact =
        analysis::Analyze(arch, *spec.workload, *spec.mapping, table, nullptr, analysis::TileWalk::kExact);
  for (size_t level = arch.storage.size(); level-- > 0;) {
    RunSummary::Level entry{arch.storage[level].name, {}};
    for (size_t d = 0; d < spec.workload->data_spaces.size(); ++d) {
      const analysis::DataSpaceAccesses& a = analysis.storage[level].data_spaces[d];
      const SimulatedAccesses& s = simulation.accesses[level][d];
      const double simulated_pj = SimulatedEnergy(spec, s, static_cast<int>(level));
      energy += simulated_pj;
      if (!a.kept) continue;
      const int64_t n = a.utilized_instances;
      // Imperfect factors: instances differ, the per-instance figures are averages; compare the totals.
      auto totals = [&](const analysis::DataSpaceAccesses& c) {
        if (spec.mapping && spec.mapping->Imperfect())
          return RunSummary::Actions{static_cast<uint64_t>(c.reads_total),
                                     static_cast<uint64_t>(c.fills_total),
                                     static_cast<uint64_t>(c.updates_total), c.energy_total_pj};
        return RunSummary::Actions{static_cast<uint64_t>(c.reads * n), static_cast<uint64_t>(c.fills * n),
                                   static_cast<uint64_t>(c.updates * n), c.energy_total_pj};
      };
      const RunSummary::Actions analytical = totals(a);
      const RunSummary::Actions simulated{s.reads, s.fills, s.updates, simulated_pj};
      RunSummary::DataSpace space{spec.workload->data_spaces[d].name,
                                  analytical,
                                  simulated,
                                  std::nullopt,
                                  std::nullopt,
                                  std::nullopt};
      if (exact) {
        const analysis::DataSpaceAccesses& e = exact->storage[level].data_spaces[d];
        const RunSummary::Actions walked = totals(e);
        if (CountersDiffering(walked, analytical) > 0) space.exact_walk = walked;
      }
      const int differing = CountersDiffering(space.expected(), simulated);
      summary.counter_mismatches += differing;
      summary.sampling_differences += CountersDiffering(analytical, simulated) - differing;
      if (a.sparse) {
        const spec::DataSpaceFormatSpec* format =
            spec.sparse ? spec.sparse->Format(static_cast<int>(level), static_cast<int>(d)) : nullptr;
        space.analytical_sparse =
            AnalyticalSparse(a, format, arch.storage[level].word_bits, OperandLevel(analysis, d) == level);
        space.simulated_sparse = SimulatedSparse(s);
      }
      entry.data_spaces.push_back(std::move(space));
    }
    // Leakage is per instance per cycle: the analysis's leakage, stretched to the simulated run.
    energy += analysis.storage[level].leakage_energy_pj * static_cast<double>(simulation.cycles) /
              static_cast<double>(analysis.cycles);
    summary.levels.push_back(std::move(entry));
  }
  // The total is Accelergy's computation over the action counts, so action_counts.yaml x ERT agrees with it
  // exactly; `energy`, the same sum taken level by level, is what the per-level rows add up to.
  (void)energy;
  summary.energy_pj = energy::PriceActionCounts(SimulatedActionCounts(spec, analysis, simulation));
  if (spec.energy && !spec.energy->estimated_from.empty())
    summary.energy_source = "estimated (no ERT given): " + spec.energy->estimated_from;
  if (spec.mapping)
    for (int64_t factor : spec.mapping->levels.back().temporal_factors) summary.tiles *= factor;
  SummarizeSparse(spec, analysis, simulation, summary);
  return summary;
}

std::string RunSummary::ToJson() const {
  ordered_json root;
  root["workload"] = workload;
  root["macs"] = macs;
  root["analytical_macs"] = analytical_macs;
  root["mac_instances"] = mac_instances;
  root["cycles"] = {{"simulated", cycles},
                    {"analytical", analytical_cycles},
                    {"compute", compute_cycles},
                    {"drain", drain_cycles}};
  ordered_json stall_list = ordered_json::array();
  for (const Stall& stall : stalls) stall_list.push_back({{"cause", stall.cause}, {"cycles", stall.cycles}});
  root["stalls"] = stall_list;
  if (noc) {
    ordered_json ports = ordered_json::array();
    for (const Port& port : noc->busiest_ports)
      ports.push_back(
          {{"port", port.port}, {"stall_cycles", port.stall_cycles}, {"busy_cycles", port.busy_cycles}});
    root["noc"] = {{"topology", noc->topology},
                   {"modes", noc->modes},
                   {"busiest_ports", ports},
                   {"value_hops", noc->value_hops},
                   {"energy_pj", noc->energy_pj}};
  }
  if (dram) {
    ordered_json stalls_by_cause = ordered_json::object();
    for (const Stall& stall : dram->pe_stall_cycles) stalls_by_cause[stall.cause] = stall.cycles;
    root["dram"] = {{"preset", dram->preset},
                    {"bytes", dram->bytes},
                    {"bursts", dram->bursts},
                    {"row_hit_rate", dram->row_hit_rate},
                    {"achieved_bytes_per_second", dram->achieved_bytes_per_second},
                    {"peak_bytes_per_second", dram->peak_bytes_per_second},
                    {"pe_stall_cycles", stalls_by_cause}};
  }
  root["outputs_match"] = outputs_match;
  if (!outputs_match) root["first_mismatch"] = first_mismatch;
  root["energy_pj"] = {{"simulated", energy_pj}, {"analytical", analytical_energy_pj}};
  root["energy_source"] = energy_source;
  root["counter_mismatches"] = counter_mismatches;
  root["sampling_differences"] = sampling_differences;
  ordered_json level_list = ordered_json::array();
  for (const Level& level : levels) {
    ordered_json entry;
    entry["name"] = level.name;
    for (const DataSpace& space : level.data_spaces) {
      ordered_json& json = entry["data_spaces"][space.name];
      json = {{"analytical", ActionsJson(space.analytical)}, {"simulated", ActionsJson(space.simulated)}};
      if (space.exact_walk) json["exact_walk"] = ActionsJson(*space.exact_walk);
      if (space.analytical_sparse && space.simulated_sparse)
        json["sparse"] = {{"analytical", SparseJson(*space.analytical_sparse)},
                          {"simulated", SparseJson(*space.simulated_sparse)}};
    }
    level_list.push_back(entry);
  }
  root["storage_levels"] = level_list;
  root["tiles"] = tiles;
  if (sparse_computes)
    root["sparse_computes"] = {{"analytical", SplitJson(sparse_computes->analytical)},
                               {"simulated", SplitJson(sparse_computes->simulated)},
                               {"removed_gated", sparse_computes->removed_gated},
                               {"removed_skipped", sparse_computes->removed_skipped},
                               {"nonexistent", sparse_computes->nonexistent}};
  if (!densities.empty()) {
    ordered_json list = ordered_json::array();
    for (const Density& density : densities)
      list.push_back({{"data_space", density.data_space},
                      {"distribution", density.distribution},
                      {"declared", density.declared},
                      {"measured", density.measured}});
    root["densities"] = list;
  }
  return root.dump(2) + "\n";
}

RunSummary RunSummary::FromJson(const std::string& text, const std::string& where) {
  try {
    const nlohmann::ordered_json json = nlohmann::ordered_json::parse(text);
    RunSummary summary;
    summary.workload = json.at("workload").get<std::string>();
    summary.macs = json.at("macs").get<int64_t>();
    summary.analytical_macs = json.at("analytical_macs").get<int64_t>();
    summary.mac_instances = json.at("mac_instances").get<int64_t>();
    const auto& cycles = json.at("cycles");
    summary.cycles = cycles.at("simulated").get<int64_t>();
    summary.analytical_cycles = cycles.at("analytical").get<int64_t>();
    summary.compute_cycles = cycles.at("compute").get<int64_t>();
    summary.drain_cycles = cycles.at("drain").get<int64_t>();
    for (const auto& stall : json.at("stalls"))
      summary.stalls.push_back({stall.at("cause").get<std::string>(), stall.at("cycles").get<int64_t>()});
    if (json.contains("noc")) {
      const auto& noc = json.at("noc");
      Noc parsed{noc.at("topology").get<std::string>(),
                 noc.at("modes").get<std::vector<std::string>>(),
                 {},
                 noc.at("value_hops").get<uint64_t>(),
                 noc.at("energy_pj").get<double>()};
      for (const auto& port : noc.at("busiest_ports"))
        parsed.busiest_ports.push_back({port.at("port").get<std::string>(),
                                        port.at("stall_cycles").get<uint64_t>(),
                                        port.at("busy_cycles").get<uint64_t>()});
      summary.noc = std::move(parsed);
    }
    if (json.contains("dram")) {
      const auto& dram = json.at("dram");
      Dram parsed{dram.at("preset").get<std::string>(),
                  dram.at("bytes").get<int64_t>(),
                  dram.at("bursts").get<int64_t>(),
                  dram.at("row_hit_rate").get<double>(),
                  dram.at("achieved_bytes_per_second").get<double>(),
                  dram.at("peak_bytes_per_second").get<double>(),
                  {}};
      for (const auto& [cause, cycles] : dram.at("pe_stall_cycles").items())
        parsed.pe_stall_cycles.push_back({cause, cycles.get<int64_t>()});
      summary.dram = std::move(parsed);
    }
    summary.outputs_match = json.at("outputs_match").get<bool>();
    if (json.contains("first_mismatch"))
      summary.first_mismatch = json.at("first_mismatch").get<std::string>();
    summary.energy_pj = json.at("energy_pj").at("simulated").get<double>();
    summary.analytical_energy_pj = json.at("energy_pj").at("analytical").get<double>();
    summary.energy_source = json.at("energy_source").get<std::string>();
    summary.counter_mismatches = json.at("counter_mismatches").get<int>();
    summary.sampling_differences = json.at("sampling_differences").get<int>();
    for (const auto& level : json.at("storage_levels")) {
      Level parsed{level.at("name").get<std::string>(), {}};
      if (level.contains("data_spaces"))
        for (const auto& [name, space] : level.at("data_spaces").items()) {
          DataSpace& entry = parsed.data_spaces.emplace_back(DataSpace{
              name, ActionsFrom(space.at("analytical")), ActionsFrom(space.at("simulated")), {}, {}, {}});
          if (space.contains("exact_walk")) entry.exact_walk = ActionsFrom(space.at("exact_walk"));
          if (space.contains("sparse")) {
            entry.analytical_sparse = SparseFrom(space.at("sparse").at("analytical"));
            entry.simulated_sparse = SparseFrom(space.at("sparse").at("simulated"));
          }
        }
      summary.levels.push_back(std::move(parsed));
    }
    summary.tiles = json.at("tiles").get<int64_t>();
    if (json.contains("sparse_computes")) {
      const auto& computes = json.at("sparse_computes");
      summary.sparse_computes = SparseComputes{
          SplitFrom(computes.at("analytical")), SplitFrom(computes.at("simulated")),
          computes.at("removed_gated").get<int64_t>(), computes.at("removed_skipped").get<int64_t>(),
          computes.at("nonexistent").get<int64_t>()};
    }
    if (json.contains("densities"))
      for (const auto& density : json.at("densities"))
        summary.densities.push_back(
            {density.at("data_space").get<std::string>(), density.at("declared").get<double>(),
             density.at("measured").get<double>(), density.at("distribution").get<std::string>()});
    return summary;
  } catch (const nlohmann::json::exception& error) {
    throw std::runtime_error(where + ": not a Cyclops run summary (" + error.what() + ")");
  }
}

}  // namespace cyclops::top
