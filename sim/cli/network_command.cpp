// `cyclops network NETWORK --arch FILE`: a whole network end to end (sim/network): every layer with real
// data, accelerator layers simulated cycle by cycle in worker processes, the SoC's DMA and host costs
// around them, and the final output checked against the reference forward pass.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "sim/cli/command.h"
#include "sim/cli/spec_requirements.h"
#include "sim/cli/trace_options.h"
#include "sim/core/atomic_file.h"
#include "sim/core/child_process.h"
#include "sim/core/error.h"
#include "sim/core/output_schema.h"
#include "sim/core/output_set.h"
#include "sim/network/mac_layer.h"
#include "sim/network/network.h"
#include "sim/network/network_report.h"
#include "sim/network/network_run.h"
#include "sim/network/onnx_importer.h"
#include "sim/spec/loader.h"
#include "sim/spec/network_loader.h"
#include "sim/top/layer_simulation.h"

namespace cyclops::cli {
namespace {

class NetworkCommand : public Command {
 public:
  std::string Summary() const override {
    return "Run a whole network (YAML or ONNX) end to end with real data: per-layer and total latency, "
           "energy";
  }
  void AddOptions(CLI::App& command) override {
    command
        .add_option("network", network_file_, "Network: configs/workloads/networks/*.yaml or a .onnx file")
        ->required();
    command
        .add_option("--arch", arch_files_,
                    "Architecture file, repeated for more (e.g. an ERT; keys merge): --arch A --arch ERT")
        ->required()
        ->expected(1)  // one file per --arch, so a network file after it is not taken for another
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
        ->allow_extra_args(false);
    command.add_option("--out", out_dir_,
                       "Write DIR/network.json, layers.csv, report.txt and the layer cache "
                       "DIR/layers/ (default out/<network name>)");
    command.add_flag("--resume", resume_, "Reuse the layers a previous (interrupted) run into DIR finished");
    command
        .add_option("--jobs", jobs_,
                    "Accelerator layers simulated at once: 1 in this process, N > 1 in N worker processes "
                    "(each elaborates the accelerator once)")
        ->check(CLI::PositiveNumber);
    command.add_option("--seed", seed_,
                       "Seed of the network input and every layer's weights (default: cyclops.seed)");
    command.add_flag(
        "--skip-unsupported", skip_unsupported_,
        "ONNX: replace unsupported ops by zero-cost placeholders (listed in the report) instead of failing");
    command.add_option("--mappings", mappings_dir_,
                       "Directory of per-layer mapping files NAME.yaml (else the mapper)");
    command.add_option("--soc", soc_file_, "A file with a top-level 'soc:' key (overrides the network's)");
    command.add_option("--bus-width", bus_width_, "Values per cycle on every fan-out bus (as `cyclops run`)")
        ->check(CLI::PositiveNumber);
    command
        .add_option("--noc", noc_,
                    "'spec' (the architecture's noc, the default) or 'none' (as `cyclops run`)")
        ->check(CLI::IsMember({"spec", "none"}));
    command
        .add_option("--map-evaluations", map_evaluations_, "Mappings the mapper evaluates per layer shape")
        ->check(CLI::PositiveNumber);
    command
        .add_option(
            "--prune", prune_,
            "Magnitude-prune every MAC layer's seeded weights to this density (a layer's own `prune:` "
            "wins); with sparse optimizations the zeros gate and skip")
        ->check(CLI::Range(0.0, 1.0));
    command.add_flag(
        "--verbose", verbose_,
        "Print the wall time of each phase and the slowest layers, and write them to DIR/timing.json "
        "(kept out of network.json, which is the same on every machine and for any --jobs)");
    command.add_flag("--analytical-only", analytical_only_,
                     "Estimate accelerator layers with the analytical model in this process (fast; no "
                     "cycle-level stalls); data still flows through the reference kernels");
    command.add_option("--batch", batch_, "Run the whole network at batch N (the input's first dimension)")
        ->check(CLI::Range(int64_t{1}, int64_t{1} << 20));
    command.add_flag("--list", list_only_, "Print the layers, shapes and MACs, and simulate nothing");
    command.add_flag("--no-progress", no_progress_, "No progress line, even on a terminal");
    trace_.AddOptions(command);
  }

  int Run() override {
    const auto command_begin = std::chrono::steady_clock::now();
    std::vector<std::string> notes;
    spec::NetworkSpec network_spec;
    if (std::filesystem::path(network_file_).extension() == ".onnx") {
      network::OnnxImport imported = network::ImportOnnx(network_file_, skip_unsupported_, batch_);
      network_spec = std::move(imported.network);
      notes = std::move(imported.notes);
      for (const std::string& note : notes) std::cerr << "warning: " << note << "\n";
    } else {
      network_spec = spec::LoadNetworkFile(network_file_);
      if (batch_ > 0) network::SetBatch(network_spec, batch_);
    }
    network::Network network(std::move(network_spec));
    if (!soc_file_.empty()) network.set_soc(spec::LoadSocFile(soc_file_));
    if (list_only_) {
      std::cout << Listing(network);
      return 0;
    }
    const std::unique_ptr<trace::TraceRecorder> recorder = trace_.MakeRecorder();
    if (recorder && (jobs_ > 1 || analytical_only_))
      throw SpecError({"", 0, 0, "--trace"},
                      jobs_ > 1 ? "puts the layers on one timeline of the accelerator in this process"
                                : "records a simulation, and --analytical-only runs none",
                      jobs_ > 1 ? "--jobs 1 with --trace" : "--trace without --analytical-only");
    spec::Spec arch = LoadSpecsWithEnergy(arch_files_);  // the layers price their counts as this says
    if (!arch.architecture)
      throw SpecError({arch_files_.front(), 0, 0, ""}, "no architecture in --arch", "an architecture file");
    network::NetworkRunOptions options;
    options.self = SelfExecutable();
    options.arch_files = arch_files_;
    options.out_dir = out_dir_.empty() ? "out/" + network::FileSafe(network.name()) : out_dir_;
    OutputSet outputs(options.out_dir);  // an unwritable --out fails before the layers run
    options.resume = resume_;
    options.jobs = jobs_;
    options.seed = seed_ ? *seed_ : arch.cyclops.seed;
    options.mappings_dir = mappings_dir_;
    options.hardware.bus_width = bus_width_;
    options.hardware.use_noc = noc_.value_or("spec") == "spec";
    top::UseCyclopsSettings(arch.cyclops, options.hardware);
    options.value_bits = top::OperandBits(*arch.architecture);
    options.psum_bits = arch.cyclops.psum_bits;
    options.dram_word_bits = arch.architecture->storage.back().word_bits;
    options.map_evaluations = map_evaluations_;
    options.prune_density = prune_;
    for (const std::string& file : arch_files_)
      options.worker_args.insert(options.worker_args.end(), {"--arch", file});
    if (bus_width_)
      options.worker_args.insert(options.worker_args.end(), {"--bus-width", std::to_string(*bus_width_)});
    if (noc_) options.worker_args.insert(options.worker_args.end(), {"--noc", *noc_});
    options.worker_args.insert(
        options.worker_args.end(),
        {"--value-bits", std::to_string(options.value_bits), "--psum-bits", std::to_string(options.psum_bits),
         "--dram-word-bits", std::to_string(options.dram_word_bits)});
    options.progress = !no_progress_ && isatty(STDERR_FILENO);
    options.analytical_only = analytical_only_;
    options.trace = recorder.get();

    const auto begin = std::chrono::steady_clock::now();
    const double load_s = std::chrono::duration<double>(begin - command_begin).count();
    const network::NetworkRunResult run = network::RunNetwork(network, options);
    const double simulated_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
    network::ReportContext context;
    for (const std::string& file : arch_files_)
      context.architecture += (context.architecture.empty() ? "" : " + ") + file;
    context.mac_instances = arch.architecture->arithmetic.instances;
    context.clock_hz = arch.cyclops.ClockHz(*arch.architecture);
    context.relative_energy = arch.energy && arch.energy->relative;
    if (arch.energy) context.noc_hop_pj = arch.energy->Lookup("noc", "hop");
    context.seed = options.seed;
    context.value_bits = options.value_bits;
    // With --analytical-only every layer's output is the reference kernel's already: nothing to check.
    context.output_checked = !analytical_only_;
    // The run computed the reference forward pass itself (every layer's kernel, in order, on the seeded
    // input) and ran each layer on its inputs from it: the simulated chain is the reference forward pass
    // exactly when no layer's simulated output differs from its kernel's.
    context.output_matches = context.output_checked && run.diverged.empty();
    context.notes = notes;
    if (arch.energy && !arch.energy->estimated_from.empty())
      context.notes.push_back(EstimatedEnergyNote(*arch.energy));
    if (prune_) {
      char density[32];
      std::snprintf(density, sizeof density, "%g", *prune_);
      context.notes.push_back(std::string("every MAC layer's seeded weights magnitude-pruned to density ") +
                              density);
    }

    context.output_hash = network::Hex(network::HashValues(run.output.values));
    for (int64_t value : run.output.values) context.output_nonzero += value != 0 ? 1 : 0;
    if (verbose_) PrintTimes(network, run);
    const std::string text = network::NetworkText(network, run, context);
    std::cout << text;
    // The report as one set; the layer cache under DIR/layers is --resume's, written layer by layer.
    outputs.Add("report.txt", text);
    outputs.Add("network.json", network::NetworkJson(network, run, context));
    outputs.Add("layers.csv", network::LayersCsv(network, run, context));
    if (verbose_) {
      const double report_s =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count() - simulated_s;
      outputs.Add("timing.json", TimingJson(network, run, load_s, report_s));
    }
    outputs.Commit();
    const double total_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
    std::cout << "  wrote " << options.out_dir << "/report.txt, network.json, layers.csv"
              << (verbose_ ? ", timing.json\n" : "\n") << "  wall time " << simulated_s
              << " s for the layers (" << run.reused << " reused from the cache), " << total_s
              << " s in all\n";
    if (recorder) trace_.Finish(*recorder);
    if (context.output_checked && !context.output_matches)
      throw OutputMismatchError("the network's final output differs from the reference forward pass");
    return 0;
  }

 private:
  // --verbose: the wall time of each phase, then the slowest simulated layers (where the time went).
  static void PrintTimes(const network::Network& network, const network::NetworkRunResult& run) {
    for (const auto& [phase, seconds] : run.phase_seconds)
      std::cerr << "  " << phase << ": " << seconds << " s\n";
    std::vector<std::pair<double, size_t>> slowest;
    for (size_t i = 0; i < run.layers.size(); ++i)
      if (run.layers[i].wall_seconds > 0) slowest.push_back({run.layers[i].wall_seconds, i});
    std::sort(slowest.begin(), slowest.end(), std::greater<>());
    if (slowest.size() > 5) slowest.resize(5);
    for (const auto& [seconds, i] : slowest)
      std::cerr << "    " << network.layers()[i].spec.name << ": " << seconds << " s\n";
  }

  // --verbose's DIR/timing.json: seconds per phase (load: the network and architecture files; map: every
  // layer shape's search or cached mapping; simulate: the layers, each worker's elaboration and each
  // layer's check against its kernel included; report: the texts and files) and per simulated layer.
  static std::string TimingJson(const network::Network& network, const network::NetworkRunResult& run,
                                double load_s, double report_s) {
    nlohmann::ordered_json json;
    json["schema"] = {{"name", kTimingJsonSchema.name}, {"version", kTimingJsonSchema.version}};
    json["phases"]["load"] = load_s;
    for (const auto& [phase, seconds] : run.phase_seconds) json["phases"][phase] = seconds;
    json["phases"]["report"] = report_s;
    json["layers"] = nlohmann::ordered_json::array();
    for (size_t i = 0; i < run.layers.size(); ++i)
      if (run.layers[i].wall_seconds > 0)
        json["layers"].push_back(
            {{"name", network.layers()[i].spec.name}, {"seconds", run.layers[i].wall_seconds}});
    return json.dump(2) + "\n";
  }

  static std::string Listing(const network::Network& network) {
    std::string out = "network " + network.name() + ": input " + network.input_shape().ToString() + ", " +
                      std::to_string(network.layers().size()) + " layers\n";
    char line[512];
    for (size_t i = 0; i < network.layers().size(); ++i) {
      const network::NetworkLayer& layer = network.layers()[i];
      std::string problem;
      if (layer.on_accelerator())
        for (const auto& [key, value] : network::ProblemInstance(layer.spec))
          problem += " " + key + "=" + std::to_string(value);
      std::snprintf(line, sizeof line, "%4zu %-40s %-14s %-12s %14lld%s\n", i + 1, layer.spec.name.c_str(),
                    layer.spec.op.c_str(), layer.output.ToString().c_str(),
                    static_cast<long long>(layer.macs), problem.c_str());
      out += line;
    }
    out += "total MACs " + std::to_string(network.total_macs()) + " in " +
           std::to_string(network.accelerator_layers()) + " accelerator layers\n";
    return out;
  }

  std::string network_file_;
  std::vector<std::string> arch_files_;
  std::string out_dir_, mappings_dir_, soc_file_;
  bool resume_ = false, skip_unsupported_ = false, list_only_ = false, no_progress_ = false,
       analytical_only_ = false;
  int jobs_ = 1;
  int64_t batch_ = 0;
  std::optional<uint64_t> seed_;
  std::optional<double> bus_width_, prune_;
  std::optional<std::string> noc_;
  int64_t map_evaluations_ = top::MapFirstOptions{}.evaluations;
  bool verbose_ = false;
  TraceRequest trace_;
};

CYCLOPS_REGISTER_COMMAND("network", NetworkCommand);

}  // namespace
}  // namespace cyclops::cli
