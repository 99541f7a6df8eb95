#include "sim/network/network_report.h"

#include <map>
#include <nlohmann/json.hpp>
#include <optional>

#include "sim/core/output_schema.h"
#include "sim/core/text_escape.h"
#include "sim/network/soc_timeline.h"
#include "sim/stats/text_format.h"

namespace cyclops::network {

namespace {

using stats::Format;
using stats::Grouped;

std::string Unit(const NetworkLayer& layer, const spec::SocSpec& soc) {
  switch (layer.kernel->Where()) {
    case Placement::kAccelerator:
      return "accel";
    case Placement::kNonMac:
      return soc.non_mac_unit;
    case Placement::kView:
      break;
  }
  return "view";
}

// Per-layer figures every writer shares.
struct Row {
  LayerLatency latency;
  double utilisation = 0;  // MACs done / (cycles × MAC instances), accelerator layers
  double energy_pj = 0;
  int64_t dram_bytes = 0;  // accelerator layers: its DRAM level's traffic; vector-unit layers: the DMA's
  const LayerRecord* record = nullptr;  // accelerator layers
};

struct Totals {
  LayerLatency latency;
  int64_t macs = 0, dram_bytes = 0, accelerator_cycles = 0;
  double energy_pj = 0;
  int64_t noc_value_hops = 0;  // beside energy_pj, as `cyclops run` prints them
  double noc_energy_pj = 0;
  std::map<std::string, double> level_energy_pj;
  std::vector<std::string> level_order;
  std::string dram_preset;  // the DRAM timing model's ("" = bandwidth-only DRAM: no DRAM timing columns)
  int64_t dram_bursts = 0, dram_row_hits = 0, dram_stall_cycles = 0;
  // Layers with sparse optimizations: their MACs, and those the compute unit did, gated and skipped.
  bool sparse = false;
  int64_t sparse_macs = 0, actual_macs = 0, gated_macs = 0, skipped_macs = 0;
  int64_t total() const { return latency.total(); }
  double accelerator_share() const {
    return total() > 0 ? static_cast<double>(latency.compute + latency.stalls) / total() : 0;
  }
};

std::vector<Row> Rows(const Network& network, const NetworkRunResult& run, const ReportContext& context,
                      Totals& totals) {
  std::vector<Row> rows;
  for (size_t i = 0; i < network.layers().size(); ++i) {
    const NetworkLayer& layer = network.layers()[i];
    const LayerOutcome& outcome = run.layers[i];
    Row row;
    row.latency = outcome.latency;
    if (outcome.record) {
      const LayerRecord& record = *outcome.record;
      // A sparse layer's MAC units do only its actual MACs: the gated and skipped ones are not work done.
      const int64_t done = record.sparse ? record.sparse->actual_macs : record.macs;
      row.utilisation =
          record.cycles > 0 ? static_cast<double>(done) / (record.cycles * context.mac_instances) : 0;
      row.energy_pj = record.energy_pj;
      row.dram_bytes = record.dram_bytes;
      row.record = &record;
      if (!record.dram_preset.empty()) totals.dram_preset = record.dram_preset;
      totals.dram_bursts += record.dram_bursts;
      totals.dram_row_hits += record.dram_row_hits;
      totals.dram_stall_cycles += record.dram_stall_cycles;
      totals.noc_value_hops += record.noc_value_hops;
      totals.noc_energy_pj += record.noc_energy_pj;
      if (record.sparse) {
        totals.sparse = true;
        totals.sparse_macs += record.macs;
        totals.actual_macs += record.sparse->actual_macs;
        totals.gated_macs += record.sparse->gated_macs;
        totals.skipped_macs += record.sparse->skipped_macs;
      }
      for (const auto& [level, pj] : record.level_energy_pj) {
        if (!totals.level_energy_pj.count(level)) totals.level_order.push_back(level);
        totals.level_energy_pj[level] += pj;
      }
    } else if (layer.kernel->Where() == Placement::kNonMac && network.soc().non_mac_unit == "vector") {
      for (const Shape& input : layer.input_shapes)
        row.dram_bytes += input.Elements() * context.value_bits / 8;
      row.dram_bytes += layer.output.Elements() * context.value_bits / 8;
    }
    LayerLatency& sum = totals.latency;
    sum.compute += row.latency.compute;
    sum.stalls += row.latency.stalls;
    sum.vector += row.latency.vector;
    sum.dma += row.latency.dma;
    sum.host += row.latency.host;
    totals.macs += layer.macs;
    totals.dram_bytes += row.dram_bytes;
    totals.energy_pj += row.energy_pj;
    rows.push_back(row);
  }
  return rows;
}

double Share(int64_t part, int64_t total) {
  return total > 0 ? 100.0 * part / total : 0;
}

double RowHitRate(int64_t hits, int64_t bursts) {
  return bursts > 0 ? static_cast<double>(hits) / bursts : 0;
}

// The DRAM timing model's columns (`cyclops: dram:`): PE stall cycles waiting for DRAM and the row hit rate,
// blank for layers off the accelerator; nothing at all with the bandwidth-only DRAM.
std::string DramColumnsHeader(const Totals& totals) {
  return totals.dram_preset.empty() ? "" : Format(" %12s %8s", "DRAM stalls", "row hits");
}

std::string DramColumns(const Row& row, const Totals& totals) {
  if (totals.dram_preset.empty()) return "";
  if (!row.record || row.record->dram_preset.empty()) return Format(" %12s %8s", "", "");
  return Format(" %12s %7.1f%%", Grouped(row.record->dram_stall_cycles).c_str(),
                100 * RowHitRate(row.record->dram_row_hits, row.record->dram_bursts));
}

std::string DramTotalsText(const Totals& totals) {
  if (totals.dram_preset.empty()) return "";
  return Format(
      "  DRAM timing (%s): row hit rate %.1f%% over %s bursts; PE stalls waiting for DRAM %s cycles "
      "(%.1f%% of the total latency)\n",
      totals.dram_preset.c_str(), 100 * RowHitRate(totals.dram_row_hits, totals.dram_bursts),
      Grouped(totals.dram_bursts).c_str(), Grouped(totals.dram_stall_cycles).c_str(),
      Share(totals.dram_stall_cycles, totals.total()));
}

Timeline TimelineOf(const Network& network, const NetworkRunResult& run) {
  std::vector<LayerLatency> latencies;
  for (const LayerOutcome& outcome : run.layers) latencies.push_back(outcome.latency);
  return OverlapTimeline(network, latencies, network.soc());
}

double DensityOf(const LayerRecord::Sparse& sparse, const std::string& data_space) {
  for (const auto& [name, density] : sparse.densities)
    if (name == data_space) return density;
  return 1.0;
}

// With sparse optimizations: the densities of the operands that flowed in and the MACs the compute unit did.
std::string SparseColumnsHeader(const Totals& totals) {
  return totals.sparse ? Format(" %7s %7s %14s", "dens in", "dens w", "MACs done") : "";
}

std::string SparseColumns(const Row& row, const Totals& totals) {
  if (!totals.sparse) return "";
  if (!row.record || !row.record->sparse) return Format(" %7s %7s %14s", "", "", "");
  const LayerRecord::Sparse& sparse = *row.record->sparse;
  return Format(" %7.3f %7.3f %14s", DensityOf(sparse, "Inputs"), DensityOf(sparse, "Weights"),
                Grouped(sparse.actual_macs).c_str());
}

std::string SparseTotalsText(const Totals& totals) {
  if (!totals.sparse) return "";
  const int64_t removed = totals.sparse_macs - totals.actual_macs - totals.gated_macs - totals.skipped_macs;
  return Format(
      "  sparse: the compute unit did %s of %s MACs (%.1f%%); gated %s, skipped %s, removed before "
      "the compute unit %s\n"
      "          (each layer's sparse analysis is given the densities measured in the data that flowed, "
      "as hypergeometric)\n",
      Grouped(totals.actual_macs).c_str(), Grouped(totals.sparse_macs).c_str(),
      Share(totals.actual_macs, totals.sparse_macs), Grouped(totals.gated_macs).c_str(),
      Grouped(totals.skipped_macs).c_str(), Grouped(removed).c_str());
}

// The accelerator's average power (mW) while it runs: its energy, with the NoC's, over its cycles (compute +
// on-chip stalls); none from a relative energy table.
std::optional<double> PowerMw(const Totals& totals, const ReportContext& context) {
  const int64_t cycles = totals.latency.compute + totals.latency.stalls;
  if (context.relative_energy || cycles <= 0) return std::nullopt;
  return (totals.energy_pj + totals.noc_energy_pj) * 1e-9 * context.clock_hz / static_cast<double>(cycles);
}

std::string NocEnergyText(const Totals& totals, const ReportContext& context) {
  if (totals.noc_value_hops == 0) return "";
  return stats::NocEnergyLine("  NoC energy ", totals.noc_value_hops, totals.noc_energy_pj,
                              context.noc_hop_pj, "the accelerator energy");
}

std::string PowerText(const Totals& totals, const ReportContext& context) {
  if (context.relative_energy)
    return "  accelerator power not in mW: the energy table is relative (one MAC = 1)\n";
  const std::optional<double> mw = PowerMw(totals, context);
  return mw ? Format(
                  "  accelerator power %.3f mW average while it runs (its energy over its compute and stall "
                  "cycles at %.0f MHz)\n",
                  *mw, context.clock_hz / 1e6)
            : "";
}

std::string TimelineText(const Network& network, const NetworkRunResult& run, const ReportContext& context) {
  const Timeline timeline = TimelineOf(network, run);
  std::string out =
      Format("\n  overlapped timeline (soc.overlap: double-buffered layer I/O, %lld accelerator%s):\n",
             static_cast<long long>(network.soc().accelerators), network.soc().accelerators == 1 ? "" : "s");
  out += Format("%4s %-28s %-7s %13s %13s %13s %13s %12s  %s\n", "#", "layer", "unit", "start", "compute",
                "compute end", "end", "critical", "compute waited for");
  for (size_t i = 0; i < timeline.layers.size(); ++i) {
    const TimelineLayer& row = timeline.layers[i];
    std::string name = network.layers()[i].spec.name;
    if (name.size() > 28) name = "..." + name.substr(name.size() - 25);
    out += Format("%4zu %-28s %-7s %13s %13s %13s %13s %12s  %s\n", i + 1, name.c_str(), row.unit.c_str(),
                  Grouped(row.start).c_str(), Grouped(row.compute_start).c_str(),
                  Grouped(row.compute_end).c_str(), Grouped(row.end).c_str(), Grouped(row.critical).c_str(),
                  row.waited_for.c_str());
  }
  out +=
      Format("  overlapped latency %s cycles = %.3f ms (%.1f%% of the serial %s); critical path %s cycles\n",
             Grouped(timeline.makespan).c_str(), 1e3 * timeline.makespan / context.clock_hz,
             Share(timeline.makespan, timeline.serial), Grouped(timeline.serial).c_str(),
             Grouped(timeline.critical_path).c_str());
  return out;
}

}  // namespace

std::string NetworkText(const Network& network, const NetworkRunResult& run, const ReportContext& context) {
  Totals totals;
  const std::vector<Row> rows = Rows(network, run, context, totals);
  std::string out = Format("Cyclops network %s on %s (%zu layers, %d on the accelerator, %s MACs)\n\n",
                           network.name().c_str(), context.architecture.c_str(), network.layers().size(),
                           network.accelerator_layers(), Grouped(totals.macs).c_str());
  out += Format("%4s %-28s %-14s %-6s %14s %13s %12s %12s %10s %10s %10s %6s %11s %12s %6s%s%s\n", "#",
                "layer", "op", "unit", "MACs", "cycles", "compute", "stalls", "vector", "DMA", "host", "util",
                "energy uJ", "DRAM bytes", "share", DramColumnsHeader(totals).c_str(),
                SparseColumnsHeader(totals).c_str());
  for (size_t i = 0; i < rows.size(); ++i) {
    const NetworkLayer& layer = network.layers()[i];
    const Row& row = rows[i];
    std::string name = layer.spec.name;
    if (name.size() > 28) name = "..." + name.substr(name.size() - 25);
    out += Format(
        "%4zu %-28s %-14s %-6s %14s %13s %12s %12s %10s %10s %10s %5.1f%% %11.3f %12s %5.1f%%%s%s\n", i + 1,
        name.c_str(), layer.spec.op.c_str(), Unit(layer, network.soc()).c_str(), Grouped(layer.macs).c_str(),
        Grouped(row.latency.total()).c_str(), Grouped(row.latency.compute).c_str(),
        Grouped(row.latency.stalls).c_str(), Grouped(row.latency.vector).c_str(),
        Grouped(row.latency.dma).c_str(), Grouped(row.latency.host).c_str(), 100 * row.utilisation,
        row.energy_pj / 1e6, Grouped(row.dram_bytes).c_str(), Share(row.latency.total(), totals.total()),
        DramColumns(row, totals).c_str(), SparseColumns(row, totals).c_str());
  }
  const LayerLatency& sum = totals.latency;
  out += Format("\n  total latency   %s cycles = %.3f ms at %.0f MHz\n", Grouped(totals.total()).c_str(),
                1e3 * totals.total() / context.clock_hz, context.clock_hz / 1e6);
  out += Format("    accelerator compute  %16s  %5.1f%%\n", Grouped(sum.compute).c_str(),
                Share(sum.compute, totals.total()));
  out += Format("    on-chip stalls       %16s  %5.1f%%\n", Grouped(sum.stalls).c_str(),
                Share(sum.stalls, totals.total()));
  out += Format("    vector unit          %16s  %5.1f%%\n", Grouped(sum.vector).c_str(),
                Share(sum.vector, totals.total()));
  out += Format("    DMA transfers        %16s  %5.1f%%\n", Grouped(sum.dma).c_str(),
                Share(sum.dma, totals.total()));
  out += Format("    host work            %16s  %5.1f%%\n", Grouped(sum.host).c_str(),
                Share(sum.host, totals.total()));
  out += Format("  accelerator share of the total latency: %.1f%%\n", 100 * totals.accelerator_share());
  const int64_t done = totals.macs - totals.sparse_macs + totals.actual_macs;  // MACs the MAC units did
  out +=
      Format("  MACs %s; MAC utilisation while on the accelerator %.1f%%%s\n", Grouped(totals.macs).c_str(),
             sum.compute + sum.stalls > 0
                 ? 100.0 * done / (static_cast<double>(sum.compute + sum.stalls) * context.mac_instances)
                 : 0.0,
             totals.sparse ? (" (of the " + Grouped(done) + " MACs done)").c_str() : "");
  out += Format("  accelerator energy %.3f uJ:", totals.energy_pj / 1e6);
  for (const std::string& level : totals.level_order)
    out += Format(" %s %.3f", level.c_str(), totals.level_energy_pj.at(level) / 1e6);
  out += Format("\n");
  out += NocEnergyText(totals, context);
  out += PowerText(totals, context);
  out += Format("  DRAM bytes %s\n", Grouped(totals.dram_bytes).c_str());
  out += DramTotalsText(totals);
  out += SparseTotalsText(totals);
  if (network.soc().overlap) out += TimelineText(network, run, context);
  if (context.output_checked)
    out += context.output_matches
               ? "  final output bit-exact with the reference forward pass (seed " +
                     std::to_string(context.seed) + "; " + std::to_string(run.output.values.size()) +
                     " values, " + std::to_string(context.output_nonzero) + " non-zero)\n"
               : "  FINAL OUTPUT DIFFERS from the reference forward pass\n";
  for (const std::string& layer : run.diverged)
    out += "  simulated output of " + layer + " differs from its kernel's on the same input\n";
  if (!context.output_checked)
    out += "  final output not checked (--analytical-only: every layer's output is the reference kernel's)\n";
  for (const std::string& note : context.notes) out += "  note: " + note + "\n";
  return out;
}

namespace {

// One layer's object in network.json.
nlohmann::ordered_json LayerJson(const NetworkLayer& layer, const Row& row, const LayerOutcome& outcome,
                                 const spec::SocSpec& soc, const Totals& totals) {
  nlohmann::ordered_json entry;
  entry["name"] = layer.spec.name;
  entry["op"] = layer.spec.op;
  entry["unit"] = Unit(layer, soc);
  entry["output_shape"] = layer.output.dims;
  entry["macs"] = layer.macs;
  entry["operations"] = layer.operations;
  entry["cycles"] = {{"total", row.latency.total()},
                     {"accelerator_compute", row.latency.compute},
                     {"on_chip_stalls", row.latency.stalls},
                     {"vector_unit", row.latency.vector},
                     {"dma", row.latency.dma},
                     {"host", row.latency.host}};
  entry["share"] = Share(row.latency.total(), totals.total()) / 100;
  entry["utilisation"] = row.utilisation;
  entry["energy_pj"] = row.energy_pj;
  if (const auto& record = outcome.record) {
    nlohmann::ordered_json levels;
    for (const auto& [level, pj] : record->level_energy_pj) levels[level] = pj;
    entry["energy_pj_by_level"] = levels;
    entry["analytical_cycles"] = record->analytical_cycles;
    entry["cache_key"] = record->key;
    entry["noc"] = {{"value_hops", record->noc_value_hops}, {"energy_pj", record->noc_energy_pj}};
    if (!record->dram_preset.empty())
      entry["dram_timing"] = {{"preset", record->dram_preset},
                              {"bursts", record->dram_bursts},
                              {"row_hit_rate", RowHitRate(record->dram_row_hits, record->dram_bursts)},
                              {"stall_cycles", record->dram_stall_cycles}};
    if (record->sparse) entry["sparse"] = SparseJson(*record->sparse);
  }
  entry["dram_bytes"] = row.dram_bytes;
  if (!layer.spec.note.empty()) entry["note"] = layer.spec.note;
  return entry;
}

}  // namespace

std::string NetworkJson(const Network& network, const NetworkRunResult& run, const ReportContext& context) {
  Totals totals;
  const std::vector<Row> rows = Rows(network, run, context, totals);
  nlohmann::ordered_json root;
  root["schema"] = {{"name", kNetworkJsonSchema.name}, {"version", kNetworkJsonSchema.version}};
  root["network"] = network.name();
  root["architecture"] = context.architecture;
  root["seed"] = context.seed;
  root["clock_hz"] = context.clock_hz;
  root["mac_instances"] = context.mac_instances;
  nlohmann::ordered_json layers = nlohmann::ordered_json::array();
  for (size_t i = 0; i < rows.size(); ++i)
    layers.push_back(LayerJson(network.layers()[i], rows[i], run.layers[i], network.soc(), totals));
  root["layers"] = layers;
  const LayerLatency& sum = totals.latency;
  nlohmann::ordered_json levels;
  for (const std::string& level : totals.level_order) levels[level] = totals.level_energy_pj.at(level);
  root["totals"] = {{"cycles", totals.total()},
                    {"seconds", totals.total() / context.clock_hz},
                    {"accelerator_compute", sum.compute},
                    {"on_chip_stalls", sum.stalls},
                    {"vector_unit", sum.vector},
                    {"dma", sum.dma},
                    {"host", sum.host},
                    {"accelerator_share", totals.accelerator_share()},
                    {"macs", totals.macs},
                    {"energy_pj", totals.energy_pj},
                    {"energy_pj_by_level", levels},
                    {"noc", {{"value_hops", totals.noc_value_hops}, {"energy_pj", totals.noc_energy_pj}}},
                    {"power_mw", PowerMw(totals, context) ? nlohmann::ordered_json(*PowerMw(totals, context))
                                                          : nlohmann::ordered_json(nullptr)},
                    {"dram_bytes", totals.dram_bytes}};
  if (!totals.dram_preset.empty())
    root["totals"]["dram_timing"] = {{"preset", totals.dram_preset},
                                     {"bursts", totals.dram_bursts},
                                     {"row_hit_rate", RowHitRate(totals.dram_row_hits, totals.dram_bursts)},
                                     {"stall_cycles", totals.dram_stall_cycles}};
  if (totals.sparse)
    root["totals"]["sparse_macs"] = {{"macs", totals.sparse_macs},
                                     {"actual", totals.actual_macs},
                                     {"gated", totals.gated_macs},
                                     {"skipped", totals.skipped_macs}};
  root["output"] = {
      {"shape", run.output.shape.dims}, {"nonzero", context.output_nonzero}, {"hash", context.output_hash}};
  if (network.soc().overlap) {
    const Timeline timeline = TimelineOf(network, run);
    nlohmann::ordered_json rows = nlohmann::ordered_json::array();
    for (size_t i = 0; i < timeline.layers.size(); ++i) {
      const TimelineLayer& row = timeline.layers[i];
      rows.push_back({{"name", network.layers()[i].spec.name},
                      {"unit", row.unit},
                      {"start", row.start},
                      {"compute_start", row.compute_start},
                      {"compute_end", row.compute_end},
                      {"end", row.end},
                      {"critical", row.critical},
                      {"waited_for", row.waited_for}});
    }
    root["overlap"] = {{"accelerators", network.soc().accelerators},
                       {"cycles", timeline.makespan},
                       {"serial_cycles", timeline.serial},
                       {"critical_path_cycles", timeline.critical_path},
                       {"layers", rows}};
  }
  if (context.output_checked) root["output_matches_reference"] = context.output_matches;
  if (!run.diverged.empty()) root["diverged_layers"] = run.diverged;
  root["notes"] = context.notes;
  return root.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";  // ONNX names: any bytes
}

std::string LayersCsv(const Network& network, const NetworkRunResult& run, const ReportContext& context) {
  Totals totals;
  const std::vector<Row> rows = Rows(network, run, context, totals);
  std::string out =
      "index,name,op,unit,macs,cycles,accelerator_compute,on_chip_stalls,vector_unit,dma,host,utilisation,"
      "energy_pj,dram_bytes,share";
  for (const std::string& level : totals.level_order) out.append(",").append(CsvField("energy_pj_" + level));
  if (!totals.dram_preset.empty()) out += ",dram_stall_cycles,dram_row_hit_rate";
  if (totals.sparse) out += ",density_inputs,density_weights,actual_macs,gated_macs,skipped_macs";
  out += "\n";
  for (size_t i = 0; i < rows.size(); ++i) {
    const NetworkLayer& layer = network.layers()[i];
    const Row& row = rows[i];
    out +=
        Format("%zu,%s,%s,%s,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%.6f,%.3f,%lld,%.6f", i + 1,
               CsvQuoted(layer.spec.name).c_str(), layer.spec.op.c_str(), Unit(layer, network.soc()).c_str(),
               static_cast<long long>(layer.macs), static_cast<long long>(row.latency.total()),
               static_cast<long long>(row.latency.compute), static_cast<long long>(row.latency.stalls),
               static_cast<long long>(row.latency.vector), static_cast<long long>(row.latency.dma),
               static_cast<long long>(row.latency.host), row.utilisation, row.energy_pj,
               static_cast<long long>(row.dram_bytes), Share(row.latency.total(), totals.total()) / 100);
    // Energy per storage level (and "mac"), blank for layers that are not on the accelerator.
    for (const std::string& level : totals.level_order) {
      out += ",";
      if (const auto& record = run.layers[i].record)
        for (const auto& [name, pj] : record->level_energy_pj)
          if (name == level) out += Format("%.3f", pj);
    }
    if (!totals.dram_preset.empty()) {
      const LayerRecord* record = rows[i].record;
      if (record && !record->dram_preset.empty())
        out += Format(",%lld,%.6f", static_cast<long long>(record->dram_stall_cycles),
                      RowHitRate(record->dram_row_hits, record->dram_bursts));
      else
        out += ",,";
    }
    if (totals.sparse) {
      const LayerRecord* record = rows[i].record;
      if (record && record->sparse)
        out +=
            Format(",%.6f,%.6f,%lld,%lld,%lld", DensityOf(*record->sparse, "Inputs"),
                   DensityOf(*record->sparse, "Weights"), static_cast<long long>(record->sparse->actual_macs),
                   static_cast<long long>(record->sparse->gated_macs),
                   static_cast<long long>(record->sparse->skipped_macs));
      else
        out += ",,,,,";
    }
    out += "\n";
  }
  return out;
}

}  // namespace cyclops::network
