#include "sim/cli/run_report.h"

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <tuple>

#include "sim/stats/text_format.h"

namespace cyclops::cli {

namespace {

using stats::Format;
using stats::Grouped;
using stats::NocEnergyLine;

std::string Delta(int64_t analytical, int64_t simulated) {
  if (analytical == simulated) return "=";
  // append(), not operator+: GCC 12 warns falsely (-Wrestrict) on that concatenation.
  std::string text = simulated > analytical ? "+" : "";
  return text.append(Grouped(simulated - analytical));
}

// The outermost level's DRAM traffic under `cyclops: dram:` (models/dram/dram_backing.h).
std::string DramText(const models::DramReport& dram, int64_t cycles, const spec::Spec& spec) {
  const double clock_hz = spec.cyclops.ClockHz(*spec.architecture);
  const double peak = dram.peak_bytes_per_second;
  const double over_layer = cycles > 0 ? static_cast<double>(dram.bytes) * clock_hz / cycles : 0.0;
  std::string out = Format("  DRAM         %s (%s)\n", dram.preset.c_str(), dram.source.c_str());
  out += Format(
      "               %s bytes in %s bursts; row hit rate %.1f%% (%s hits, %s misses, %s conflicts), "
      "%s refreshes\n",
      Grouped(dram.bytes).c_str(), Grouped(dram.bursts).c_str(), 100.0 * dram.row_hit_rate,
      Grouped(dram.row_hits).c_str(), Grouped(dram.row_misses).c_str(), Grouped(dram.row_conflicts).c_str(),
      Grouped(dram.refreshes).c_str());
  out += Format(
      "               bandwidth %.2f GB/s over its traffic, %.2f GB/s over the layer; peak %.2f GB/s "
      "(%.1f%%, "
      "%.1f%%)\n",
      dram.achieved_bytes_per_second / 1e9, over_layer / 1e9, peak / 1e9,
      peak > 0 ? 100.0 * dram.achieved_bytes_per_second / peak : 0.0,
      peak > 0 ? 100.0 * over_layer / peak : 0.0);
  auto by_cause = [](const std::array<uint64_t, models::kDramStallCauses>& cycles) {
    std::string parts;
    for (int i = 0; i < models::kDramStallCauses; ++i)
      if (cycles[i] > 0)
        parts += (parts.empty() ? "" : ", ") + std::string(models::DramStallCauseName(i)) + " " +
                 Grouped(static_cast<int64_t>(cycles[i]));
    return Grouped(static_cast<int64_t>(models::DramReport::Total(cycles))) +
           (parts.empty() ? "" : " (" + parts + ")");
  };
  out += "               PE stalls on DRAM reads: " + by_cause(dram.pe_stall_cycles) + "\n";
  out += "               delays added to transfers (summed over overlapping transfers): " +
         by_cause(dram.transfer_delay_cycles) + "\n";
  return out;
}

std::string SplitText(const top::RunSummary::Split& split) {
  return Grouped(split.actual) + " / " + Grouped(split.gated) + " / " + Grouped(split.skipped);
}

std::string SplitDelta(const top::RunSummary::Split& a, const top::RunSummary::Split& s) {
  return a == s ? "=" : "differs";
}

// The metadata beside the data: the innermost rank's per access kind, then what only the analytical
// model counts (the PE's own reads of a compressed operand, the outer ranks' offsets).
std::string MetadataRows(const std::string& space, const top::RunSummary::SparseActions& a,
                         const top::RunSummary::SparseActions& s) {
  std::string out;
  const std::tuple<const char*, int64_t, int64_t> rows[] = {
      {"meta rd", a.metadata.reads, s.metadata.reads},
      {"meta fill", a.metadata.fills, s.metadata.fills},
      {"meta upd", a.metadata.updates, s.metadata.updates}};
  for (const auto& [action, analytical, simulated] : rows) {
    if (analytical == 0 && simulated == 0) continue;
    const bool pe_walk = a.operand_level && simulated == 0 && std::string(action) == "meta rd";
    out += Format("  %-22s %-8s %-9s %24s %24s %8s\n", "", space.c_str(), action, Grouped(analytical).c_str(),
                  pe_walk ? "-" : Grouped(simulated).c_str(),
                  pe_walk                   ? "not simulated: the PE's walk"
                  : analytical == simulated ? "="
                                            : "differs");
  }
  if (a.outer_rank_words)
    out += Format("  %-22s %-8s %-9s %24s %24s %8s\n", "", space.c_str(), "meta outer",
                  Grouped(a.outer_rank_words).c_str(), "-", "not simulated: outer-rank offsets");
  return out;
}

// With sparse optimizations: the split of every access kind and of the computes, side by side, and the
// densities of the data that flowed.
std::string SparseText(const top::RunSummary& sum, const std::string& mac_name) {
  std::string out;
  if (!sum.densities.empty()) {
    out += "\n  densities (declared, measured in the data that flowed):\n";
    for (const top::RunSummary::Density& density : sum.densities)
      out += Format("  %-22s %-16s %8.4f %8.4f\n", density.data_space.c_str(), density.distribution.c_str(),
                    density.declared, density.measured);
  }
  if (!sum.sparse_computes) return out;
  out += Format("\n  %-22s %-8s %-9s %24s %24s %8s\n", "sparse split", "", "", "analytical a/g/s",
                "simulated a/g/s", "");
  const top::RunSummary::SparseComputes& computes = *sum.sparse_computes;
  out += Format("  %-22s %-8s %-9s %24s %24s %8s\n", mac_name.c_str(), "", "computes",
                SplitText(computes.analytical).c_str(), SplitText(computes.simulated).c_str(),
                SplitDelta(computes.analytical, computes.simulated).c_str());
  out += Format(
      "  %-22s %-8s removed before the compute unit: %s gated, %s skipped, %s both operands compressed\n", "",
      "", Grouped(computes.removed_gated).c_str(), Grouped(computes.removed_skipped).c_str(),
      Grouped(computes.nonexistent).c_str());
  for (const top::RunSummary::Level& level : sum.levels) {
    bool named = false;
    for (const top::RunSummary::DataSpace& space : level.data_spaces) {
      if (!space.analytical_sparse || !space.simulated_sparse) continue;
      const auto& a = *space.analytical_sparse;
      const auto& s = *space.simulated_sparse;
      const std::pair<const char*, std::pair<top::RunSummary::Split, top::RunSummary::Split>> rows[] = {
          {"reads", {a.reads, s.reads}}, {"fills", {a.fills, s.fills}}, {"updates", {a.updates, s.updates}}};
      for (const auto& [action, values] : rows) {
        if (values.first == top::RunSummary::Split{} && values.second == top::RunSummary::Split{}) continue;
        out += Format("  %-22s %-8s %-9s %24s %24s %8s\n", named ? "" : level.name.c_str(),
                      space.name.c_str(), action, SplitText(values.first).c_str(),
                      SplitText(values.second).c_str(), SplitDelta(values.first, values.second).c_str());
        named = true;
      }
      out += MetadataRows(space.name, a, s);
    }
  }
  return out;
}

// The simulated cycles against the analytical ones, and where they went.
std::string CyclesText(const top::RunSummary& sum, const top::SimulationResult& sim) {
  std::string out;
  const int64_t difference = sum.cycles - sum.analytical_cycles;
  out +=
      Format("  cycles       simulated %s   analytical %s   difference %s (%+.2f%%)\n",
             Grouped(sum.cycles).c_str(), Grouped(sum.analytical_cycles).c_str(), Grouped(difference).c_str(),
             sum.analytical_cycles ? 100.0 * difference / sum.analytical_cycles : 0.0);
  out += "  where the simulated cycles went (the PE that finished last):\n";
  out += Format("    %-62s %14s\n", "MAC bursts (busy)", Grouped(sum.compute_cycles).c_str());
  for (const top::RunSummary::Stall& stall : sum.stalls)
    out += Format("    stalled: %-53s %14s\n", stall.cause.c_str(), Grouped(stall.cycles).c_str());
  int64_t accounted = sum.compute_cycles;
  for (const top::RunSummary::Stall& stall : sum.stalls) accounted += stall.cycles;
  out += Format("    %-62s %14s\n", "pipeline drain and final write-back",
                Grouped(sum.cycles - accounted).c_str());
  for (const auto& [level, cycles] : sim.bank_conflicts)
    out += Format(
        "    (bank conflicts delayed %s's accesses by %s cycles in all; hidden behind compute except\n"
        "     where they appear in the stalls above)\n",
        level.c_str(), Grouped(cycles).c_str());
  return out;
}

// The NoC's router configuration and busiest ports.
std::string NocText(const top::RunSummary& sum) {
  std::string out;
  if (sum.noc) {
    out +=
        "  network      " + sum.noc->topology + "; router configuration per data space entering the PEs:\n";
    for (const std::string& mode : sum.noc->modes) out += "                 " + mode + "\n";
    out +=
        "  busiest NoC ports (out port -> links it drives; cycles transfers waited for it, cycles busy):\n";
    for (const auto& port : sum.noc->busiest_ports)
      out += Format(
          "    %-58s stalled %10s  busy %10s (%.0f%%)\n", port.port.c_str(),
          Grouped(port.stall_cycles).c_str(), Grouped(port.busy_cycles).c_str(),
          sum.cycles ? 100.0 * static_cast<double>(port.busy_cycles) / static_cast<double>(sum.cycles) : 0.0);
  }
  return out;
}

// The outputs' check and the energy, with the NoC's.
std::string EnergyText(const top::RunSummary& sum, const spec::Spec& spec) {
  std::string out;
  out += Format("  outputs      %s\n", sum.outputs_match ? "bit-exact with the reference kernel"
                                                         : ("MISMATCH at " + sum.first_mismatch).c_str());
  out += Format("  energy       simulated %.3f uJ   analytical %.3f uJ\n", sum.energy_pj / 1e6,
                sum.analytical_energy_pj / 1e6);
  if (!sum.energy_source.empty() && sum.energy_source != "ERT")
    out += "               " + sum.energy_source + "\n";
  const std::optional<double> hop = spec.energy ? spec.energy->Lookup("noc", "hop") : std::nullopt;
  if (sum.noc)
    out += NocEnergyLine("  NoC energy   ", static_cast<int64_t>(sum.noc->value_hops), sum.noc->energy_pj,
                         hop, "the figures above");
  return out;
}

// The average power: the simulated energy (with the NoC's) over the simulated time at the accelerator clock.
// A relative table's energies are not pJ, so they give none.
std::string PowerText(const top::RunSummary& sum, const spec::Spec& spec) {
  if (sum.cycles <= 0 || !spec.architecture) return "";
  if (spec.energy && spec.energy->relative)
    return "  power        not in mW: the energy table is relative (unit: relative, one MAC = 1)\n";
  const double clock_hz = spec.cyclops.ClockHz(*spec.architecture);
  const double energy_pj = sum.energy_pj + (sum.noc ? sum.noc->energy_pj : 0.0);
  const double seconds = static_cast<double>(sum.cycles) / clock_hz;
  bool leaks = false;
  if (spec.energy)
    for (const auto& [component, actions] : spec.energy->components) {
      const auto leak = actions.find("leak");
      leaks |= leak != actions.end() && leak->second > 0;
    }
  return Format("  power        %.3f mW average: %.3f uJ over %s cycles at %.0f MHz%s\n",
                energy_pj * 1e-9 / seconds, energy_pj / 1e6, Grouped(sum.cycles).c_str(), clock_hz / 1e6,
                leaks ? "" : " (the table has no leakage: dynamic energy only)");
}

// Every per-level counter and its energy, analytical beside simulated.
std::string CounterTable(const top::RunSummary& sum, const spec::Architecture& arch) {
  std::string out;
  out += Format("  %-22s %-8s %-7s %16s %16s %10s\n", "level", "data", "action", "analytical", "simulated",
                "delta");
  for (const top::RunSummary::Level& level : sum.levels) {
    bool named = false;
    for (const top::RunSummary::DataSpace& space : level.data_spaces) {
      const auto& a = space.analytical;
      const auto& e = space.expected();
      const auto& s = space.simulated;
      const std::tuple<const char*, uint64_t, uint64_t, uint64_t> rows[] = {
          {"reads", a.reads, e.reads, s.reads},
          {"fills", a.fills, e.fills, s.fills},
          {"updates", a.updates, e.updates, s.updates}};
      for (const auto& [action, analytical, expected, simulated] : rows) {
        if (analytical == 0 && simulated == 0) continue;
        const auto [first, second] =
            std::pair{static_cast<int64_t>(analytical), static_cast<int64_t>(simulated)};
        // A difference the exact walk explains is marked, not counted (see the note under the table).
        const std::string delta =
            Delta(first, second) + (analytical != simulated && expected == simulated ? " *" : "");
        out +=
            Format("  %-22s %-8s %-7s %16s %16s %10s\n", named ? "" : level.name.c_str(), space.name.c_str(),
                   action, Grouped(first).c_str(), Grouped(second).c_str(), delta.c_str());
        named = true;
      }
      const bool energy_equal = std::fabs(e.energy_pj - s.energy_pj) < 1e-6 * std::max(1.0, e.energy_pj);
      const bool sampled_equal = std::fabs(a.energy_pj - s.energy_pj) < 1e-6 * std::max(1.0, a.energy_pj);
      out +=
          Format("  %-22s %-8s %-7s %13.1f pJ %13.1f pJ %10s\n", "", "", "energy", a.energy_pj, s.energy_pj,
                 sampled_equal  ? "="
                 : energy_equal ? "differs *"
                                : "differs");
    }
  }
  out += Format("  %-22s %-8s %-7s %16s %16s %10s\n", arch.arithmetic.name.c_str(), "", "MACs",
                Grouped(sum.analytical_macs).c_str(), Grouped(sum.macs).c_str(),
                Delta(sum.analytical_macs, sum.macs).c_str());
  return out;
}

// Whether the counters agree, and why some differ from Timeloop's sampled model.
std::string CounterVerdict(const top::RunSummary& sum) {
  std::string out;
  out += sum.counter_mismatches == 0 ? "\n  every per-level counter equals the analytical model's\n"
                                     : "\n  " + std::to_string(sum.counter_mismatches) +
                                           " per-level counter(s) differ from the analytical model\n";
  if (sum.sampling_differences > 0)
    out += "  * " + std::to_string(sum.sampling_differences) +
           " counter(s) equal the analytical model walking every loop iteration (cyclops analyze\n"
           "    --exact-walk), not Timeloop's model shown, which samples two iterations per loop and so\n"
           "    misses a tile's back-step when an inner loop of more than 2 iterations slides it first\n";
  return out;
}

}  // namespace

std::string RunReport::Text() const {
  const spec::Architecture& arch = *spec.architecture;
  const top::RunSummary& sum = summary;
  const top::SimulationResult& sim = simulation;
  std::string out = "Cyclops cycle-level simulation of " + sum.workload + " (" + Grouped(sum.macs) +
                    " MACs on " + Grouped(arch.arithmetic.instances) + " x " + arch.arithmetic.name + ")\n\n";
  out += CyclesText(sum, sim);
  if (sim.dram) out += DramText(*sim.dram, sum.cycles, spec);
  out += NocText(sum);
  out += EnergyText(sum, spec);
  out += PowerText(sum, spec);
  out += "\n";
  out += CounterTable(sum, arch);
  out += SparseText(sum, arch.arithmetic.name);
  out += CounterVerdict(sum);
  out += Format("  wall time    %.3f s\n", sim.wall_seconds);
  return out;
}

std::string RunReport::ActionCountsYaml() const {
  return energy::ActionCountsYaml(top::SimulatedActionCounts(spec, analysis, simulation));
}

}  // namespace cyclops::cli
