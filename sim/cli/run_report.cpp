#include "sim/cli/run_report.h"

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "sim/core/text_escape.h"
#include "sim/energy/energy_model.h"
#include "sim/stats/text_format.h"

namespace cyclops::cli {

namespace {

using stats::Format;
using stats::Grouped;

std::string Delta(int64_t analytical, int64_t simulated) {
  if (analytical == simulated) return "=";
  // append(), not operator+: GCC 12 warns falsely (-Wrestrict) on that concatenation.
  std::string text = simulated > analytical ? "+" : "";
  return text.append(Grouped(simulated - analytical));
}

}  // namespace

double RunReport::SimulatedEnergy(int level, int d) const {
  const spec::StorageLevelSpec& storage = spec.architecture->storage[level];
  const energy::StorageEnergy costs =
      energy::LookupStorageEnergy(spec.energy ? &*spec.energy : nullptr, storage);
  const top::SimulatedAccesses& access = simulation.accesses[level][d];
  double total = 0;
  for (size_t i = 0; i < access.instance_reads.size(); ++i)
    total += energy::AccessEnergy(costs, static_cast<int64_t>(access.instance_reads[i]),
                                  static_cast<int64_t>(access.instance_fills[i]),
                                  static_cast<int64_t>(access.instance_updates[i]));
  return total;
}

double RunReport::SimulatedTotalEnergy() const {
  const spec::EnergyTable* table = spec.energy ? &*spec.energy : nullptr;
  double total = static_cast<double>(simulation.macs) *
                 energy::LookupComputeEnergy(table, spec.architecture->arithmetic);
  for (size_t level = 0; level < spec.architecture->storage.size(); ++level) {
    for (int d = 0; d < static_cast<int>(spec.workload->data_spaces.size()); ++d)
      total += SimulatedEnergy(static_cast<int>(level), d);
    // Leakage is per instance per cycle: the analysis's leakage, stretched to the simulated run.
    total += analysis.storage[level].leakage_energy_pj * static_cast<double>(simulation.cycles) /
             static_cast<double>(analysis.cycles);
  }
  return total;
}

double RunReport::NocEnergy() const {
  if (!spec.energy) return 0;
  return static_cast<double>(simulation.noc_value_hops) * spec.energy->Lookup("noc", "hop").value_or(0);
}

int RunReport::CounterMismatches() const {
  int mismatches = 0;
  for (size_t level = 0; level < spec.architecture->storage.size(); ++level)
    for (size_t d = 0; d < spec.workload->data_spaces.size(); ++d) {
      const analysis::DataSpaceAccesses& a = analysis.storage[level].data_spaces[d];
      const top::SimulatedAccesses& s = simulation.accesses[level][d];
      if (!a.kept) continue;
      mismatches += static_cast<uint64_t>(a.reads * a.utilized_instances) != s.reads;
      mismatches += static_cast<uint64_t>(a.fills * a.utilized_instances) != s.fills;
      mismatches += static_cast<uint64_t>(a.updates * a.utilized_instances) != s.updates;
    }
  return mismatches;
}

std::string RunReport::Text() const {
  const spec::Architecture& arch = *spec.architecture;
  const spec::Workload& workload = *spec.workload;
  const top::SimulationResult& sim = simulation;
  std::string out = "Cyclops cycle-level simulation of " + workload.name + " (" + Grouped(sim.macs) +
                    " MACs on " + Grouped(arch.arithmetic.instances) + " x " + arch.arithmetic.name + ")\n\n";
  const int64_t difference = static_cast<int64_t>(sim.cycles) - analysis.cycles;
  out += Format("  cycles       simulated %s   analytical %s   difference %s (%+.2f%%)\n",
                Grouped(sim.cycles).c_str(), Grouped(analysis.cycles).c_str(), Grouped(difference).c_str(),
                analysis.cycles ? 100.0 * difference / analysis.cycles : 0.0);
  out += "  where the simulated cycles went (the PE that finished last):\n";
  out += Format("    %-62s %14s\n", "MAC bursts (busy)", Grouped(sim.compute_cycles).c_str());
  for (const top::StallEntry& stall : sim.stalls)
    out += Format("    stalled: %-53s %14s\n", stall.cause.c_str(), Grouped(stall.cycles).c_str());
  int64_t accounted = sim.compute_cycles;
  for (const top::StallEntry& stall : sim.stalls) accounted += stall.cycles;
  out += Format("    %-62s %14s\n", "pipeline drain and final write-back",
                Grouped(static_cast<int64_t>(sim.cycles) - accounted).c_str());
  for (const auto& [level, cycles] : bank_conflicts)
    out += Format(
        "    (bank conflicts delayed %s's accesses by %s cycles in all; hidden behind compute except\n"
        "     where they appear in the stalls above)\n",
        level.c_str(), Grouped(cycles).c_str());
  if (!sim.noc_topology.empty()) {
    out += "  network      " + sim.noc_topology + "; router configuration per data space entering the PEs:\n";
    for (const std::string& mode : sim.noc_modes) out += "                 " + mode + "\n";
    out +=
        "  busiest NoC ports (out port -> links it drives; cycles transfers waited for it, cycles busy):\n";
    for (const auto& port : sim.noc_bottlenecks)
      out += Format(
          "    %-58s stalled %10s  busy %10s (%.0f%%)\n", port.channel.c_str(),
          Grouped(port.stall_cycles).c_str(), Grouped(port.busy_cycles).c_str(),
          sim.cycles ? 100.0 * static_cast<double>(port.busy_cycles) / static_cast<double>(sim.cycles) : 0.0);
  }
  out += Format("  outputs      %s\n", sim.mismatch ? ("MISMATCH at " + *sim.mismatch).c_str()
                                                    : "bit-exact with the reference kernel");
  const double sim_energy = SimulatedTotalEnergy();
  out += Format("  energy       simulated %.3f uJ   analytical %.3f uJ\n", sim_energy / 1e6,
                analysis.energy_pj / 1e6);
  const std::optional<double> hop = spec.energy ? spec.energy->Lookup("noc", "hop") : std::nullopt;
  if (!sim.noc_topology.empty() && hop)
    out +=
        Format("  NoC energy   %.3f uJ more (%s value-hops x %g pJ, ERT noc.hop; not in the figures above)\n",
               NocEnergy() / 1e6, Grouped(static_cast<int64_t>(sim.noc_value_hops)).c_str(), *hop);
  else if (!sim.noc_topology.empty())
    out +=
        Format("  NoC energy   not priced: %s value-hops, and no ERT entry noc.hop (pJ per value per link)\n",
               Grouped(static_cast<int64_t>(sim.noc_value_hops)).c_str());
  out += "\n";

  out += Format("  %-22s %-8s %-7s %16s %16s %10s\n", "level", "data", "action", "analytical", "simulated",
                "delta");
  for (size_t level = arch.storage.size(); level-- > 0;) {
    bool named = false;
    for (size_t d = 0; d < workload.data_spaces.size(); ++d) {
      const analysis::DataSpaceAccesses& a = analysis.storage[level].data_spaces[d];
      const top::SimulatedAccesses& s = sim.accesses[level][d];
      if (!a.kept) continue;
      const int64_t instances = a.utilized_instances;
      const std::pair<const char*, std::pair<int64_t, int64_t>> rows[] = {
          {"reads", {a.reads * instances, static_cast<int64_t>(s.reads)}},
          {"fills", {a.fills * instances, static_cast<int64_t>(s.fills)}},
          {"updates", {a.updates * instances, static_cast<int64_t>(s.updates)}}};
      for (const auto& [action, values] : rows) {
        if (values.first == 0 && values.second == 0) continue;
        out += Format("  %-22s %-8s %-7s %16s %16s %10s\n", named ? "" : arch.storage[level].name.c_str(),
                      workload.data_spaces[d].name.c_str(), action, Grouped(values.first).c_str(),
                      Grouped(values.second).c_str(), Delta(values.first, values.second).c_str());
        named = true;
      }
      out += Format(
          "  %-22s %-8s %-7s %13.1f pJ %13.1f pJ %10s\n", "", "", "energy", a.energy_total_pj,
          SimulatedEnergy(static_cast<int>(level), static_cast<int>(d)),
          std::fabs(a.energy_total_pj - SimulatedEnergy(static_cast<int>(level), static_cast<int>(d))) <
                  1e-6 * std::max(1.0, a.energy_total_pj)
              ? "="
              : "differs");
    }
  }
  out +=
      Format("  %-22s %-8s %-7s %16s %16s %10s\n", arch.arithmetic.name.c_str(), "", "MACs",
             Grouped(analysis.arithmetic.computes).c_str(), Grouped(static_cast<int64_t>(sim.macs)).c_str(),
             Delta(analysis.arithmetic.computes, static_cast<int64_t>(sim.macs)).c_str());
  const int mismatches = CounterMismatches();
  out += mismatches == 0 ? "\n  every per-level counter equals the analytical model's\n"
                         : "\n  " + std::to_string(mismatches) +
                               " per-level counter(s) differ from the analytical model\n";
  out += Format("  wall time    %.3f s\n", sim.wall_seconds);
  return out;
}

std::string RunReport::SummaryJson() const {
  nlohmann::ordered_json root;
  root["workload"] = spec.workload->name;
  root["macs"] = simulation.macs;
  root["mac_instances"] = analysis.arithmetic.utilized_instances;
  root["cycles"] = {{"simulated", simulation.cycles},
                    {"analytical", analysis.cycles},
                    {"compute", simulation.compute_cycles},
                    {"drain", simulation.cycles - simulation.pe_finished_at}};
  nlohmann::ordered_json stalls = nlohmann::ordered_json::array();
  for (const top::StallEntry& stall : simulation.stalls)
    stalls.push_back({{"cause", stall.cause}, {"cycles", stall.cycles}});
  root["stalls"] = stalls;
  if (!simulation.noc_topology.empty()) {
    nlohmann::ordered_json ports = nlohmann::ordered_json::array();
    for (const auto& port : simulation.noc_bottlenecks)
      ports.push_back(
          {{"port", port.channel}, {"stall_cycles", port.stall_cycles}, {"busy_cycles", port.busy_cycles}});
    root["noc"] = {{"topology", simulation.noc_topology},
                   {"modes", simulation.noc_modes},
                   {"busiest_ports", ports},
                   {"value_hops", simulation.noc_value_hops},
                   {"energy_pj", NocEnergy()}};
  }
  root["outputs_match"] = !simulation.mismatch.has_value();
  if (simulation.mismatch) root["first_mismatch"] = *simulation.mismatch;
  root["energy_pj"] = {{"simulated", SimulatedTotalEnergy()}, {"analytical", analysis.energy_pj}};
  root["counter_mismatches"] = CounterMismatches();
  nlohmann::ordered_json levels = nlohmann::ordered_json::array();
  for (size_t level = spec.architecture->storage.size(); level-- > 0;) {
    nlohmann::ordered_json entry;
    entry["name"] = spec.architecture->storage[level].name;
    for (size_t d = 0; d < spec.workload->data_spaces.size(); ++d) {
      const analysis::DataSpaceAccesses& a = analysis.storage[level].data_spaces[d];
      const top::SimulatedAccesses& s = simulation.accesses[level][d];
      if (!a.kept) continue;
      entry["data_spaces"][spec.workload->data_spaces[d].name] = {
          {"analytical",
           {{"reads", a.reads * a.utilized_instances},
            {"fills", a.fills * a.utilized_instances},
            {"updates", a.updates * a.utilized_instances},
            {"energy_pj", a.energy_total_pj}}},
          {"simulated",
           {{"reads", s.reads},
            {"fills", s.fills},
            {"updates", s.updates},
            {"energy_pj", SimulatedEnergy(static_cast<int>(level), static_cast<int>(d))}}}};
    }
    levels.push_back(entry);
  }
  root["storage_levels"] = levels;
  return root.dump(2) + "\n";
}

std::string RunReport::ActionCountsYaml() const {
  // Accelergy's action-counts form: per component, the count of each action.
  std::string out = "action_counts:\n  version: '0.4'\n  local:\n";
  for (size_t level = spec.architecture->storage.size(); level-- > 0;) {
    uint64_t reads = 0, writes = 0, updates = 0;
    bool kept = false;
    for (const top::SimulatedAccesses& s : simulation.accesses[level]) {
      kept = kept || s.kept;
      reads += s.reads, writes += s.fills, updates += s.updates;
    }
    if (!kept) continue;
    out += "  - name: " + YamlScalar(spec.architecture->storage[level].name) + "\n    action_counts:\n";
    out += "    - {name: read, counts: " + std::to_string(reads) + "}\n";
    out += "    - {name: write, counts: " + std::to_string(writes) + "}\n";
    out += "    - {name: update, counts: " + std::to_string(updates) + "}\n";
  }
  out += "  - name: " + YamlScalar(spec.architecture->arithmetic.name) + "\n    action_counts:\n";
  out += "    - {name: compute, counts: " + std::to_string(simulation.macs) + "}\n";
  return out;
}

}  // namespace cyclops::cli
