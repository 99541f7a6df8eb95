#include "sim/network/network_run.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <map>
#include <sstream>
#include <stdexcept>

#include "sim/core/atomic_file.h"
#include "sim/core/error.h"
#include "sim/network/analytical_layer.h"
#include "sim/network/layer_executor.h"
#include "sim/network/mac_layer.h"
#include "sim/spec/loader.h"
#include "sim/top/mapping_cache.h"
#include "sim/trace/trace_recorder.h"

namespace cyclops::network {

std::string FileSafe(const std::string& name) {
  std::string safe = name;
  for (char& c : safe)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '.') c = '_';
  return safe;
}

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

std::string ReadText(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

double Since(Clock::time_point begin) {
  return std::chrono::duration<double>(Clock::now() - begin).count();
}

// One accelerator layer prepared to run: its files, its cache key, its directory.
struct Prepared {
  int index = -1;
  LayerTask task;
  std::vector<int64_t> packed;          // the Inputs values, until written
  std::vector<int64_t> packed_weights;  // a two-activation matmul's Weights (its second input)
  std::chrono::steady_clock::time_point started;
  // The layer's kernel on the same inputs: what the layers after it read, and what its simulated output
  // must equal (simulated layers only; --analytical-only hands the kernel's output on itself).
  std::optional<Activation> expected;
};

class Runner {
 public:
  Runner(const Network& network, const NetworkRunOptions& options)
      : network_(network),
        options_(options),
        readers_left_(network.layers().size(), 0),
        architecture_(spec::LoadSpecFiles(options.arch_files)),
        mappings_(options.out_dir + "/mappings/cache") {
    for (const std::string& file : options.arch_files) {
      arch_documents_.push_back({file, ReadText(file)});
      arch_text_ += file + "\n" + arch_documents_.back().text + "\n";
    }
    for (const NetworkLayer& layer : network.layers())
      for (int source : layer.inputs)
        if (source != kNetworkInput) ++readers_left_[static_cast<size_t>(source)];
    for (const std::string& arg : options.worker_args) arch_text_ += "arg " + arg + "\n";
    if (options.analytical_only) arch_text_ += "analytical only\n";
  }

  NetworkRunResult Run() {
    const size_t count = network_.layers().size();
    if (!options_.resume) fs::remove_all(options_.out_dir + "/layers");
    outputs_.assign(count, std::nullopt);
    result_.layers.assign(count, {});
    mapping_files_.assign(count, "");
    const Clock::time_point map_begin = Clock::now();
    MapAll();
    result_.phase_seconds.emplace_back("map", Since(map_begin));
    const Clock::time_point simulate_begin = begin_ = Clock::now();
    input_ = NetworkInput(network_, options_.seed, options_.value_bits);
    for (const NetworkLayer& layer : network_.layers()) total_macs_ += layer.macs;
    RunLayers();
    result_.phase_seconds.emplace_back("simulate", Since(simulate_begin));
    if (options_.progress) std::fprintf(stderr, "\n");
    result_.output = *outputs_.back();
    return std::move(result_);
  }

 private:
  enum { kPending, kRunning, kDone };

  // Every accelerator layer's mapping, before anything runs: the --mappings file, else the mapper's choice
  // for the layer's shape (each shape searched once; remembered across runs in OUT/mappings/cache).
  void MapAll() {
    top::MapFirstOptions map_options;
    map_options.evaluations = options_.map_evaluations;
    map_options.simulatable_only = !options_.analytical_only;
    map_options.use_noc = options_.hardware.use_noc;
    map_options.noc_params = options_.hardware.noc_params;
    for (size_t i = 0; i < network_.layers().size(); ++i) {
      const NetworkLayer& layer = network_.layers()[i];
      if (!layer.on_accelerator()) continue;
      const std::string name = FileSafe(layer.spec.name) + ".yaml";
      if (!options_.mappings_dir.empty() && fs::exists(options_.mappings_dir + "/" + name)) {
        mapping_files_[i] = options_.mappings_dir + "/" + name;
        continue;
      }
      // Mapped exactly as it will be simulated: the problem as its YAML reads back.
      std::vector<spec::SpecDocument> documents = arch_documents_;
      documents.push_back({"problem of " + layer.spec.name, ProblemYaml(layer.spec)});
      const spec::Spec spec = spec::LoadSpecDocuments(documents);
      bool searched = false;
      const top::MapFirstResult found = mappings_.Get(spec, arch_text_, map_options, &searched);
      result_.shapes_mapped += searched ? 1 : 0;
      mapping_files_[i] = options_.out_dir + "/mappings/" + name;
      WriteFileAtomically(mapping_files_[i], found.yaml);
    }
  }

  void RunLayers() {
    const size_t count = network_.layers().size();
    std::vector<int> state(count, kPending);
    size_t done = 0;
    while (done < count) {
      bool progressed = false;
      for (size_t i = 0; i < count; ++i) {
        if (state[i] != kPending || !InputsReady(static_cast<int>(i), state)) continue;
        const NetworkLayer& layer = network_.layers()[i];
        if (!layer.on_accelerator()) {
          FinishLocal(static_cast<int>(i));
        } else {
          // With every worker busy a layer not in the cache waits (whether it is cached needs its key).
          auto busy = [&] { return Executor().running() >= Executor().capacity(); };
          if (!options_.analytical_only && !options_.resume && busy()) continue;
          Prepared prepared = Prepare(static_cast<int>(i));
          const bool cached = options_.resume && fs::exists(prepared.task.dir + "/record.json");
          if (!cached && !options_.analytical_only && busy()) continue;
          if (!options_.analytical_only) Expect(prepared);
          if (cached) {
            Release(static_cast<int>(i));
            Finish(prepared, /*reused=*/true);
          } else if (options_.analytical_only) {
            Release(static_cast<int>(i));
            Analyze(prepared);
            Finish(prepared, /*reused=*/false);
          } else {
            WriteFileAtomically(prepared.task.dir + "/problem.yaml", ProblemYaml(layer.spec));
            WriteValuesFile(prepared.task.dir + "/input.bin", prepared.packed);
            if (!prepared.packed_weights.empty())
              WriteValuesFile(prepared.task.dir + "/weights.bin", prepared.packed_weights);
            prepared.packed.clear();
            prepared.packed_weights.clear();
            Release(static_cast<int>(i));
            prepared.started = std::chrono::steady_clock::now();
            Executor().Start(prepared.task);
            running_[prepared.task.dir] = std::move(prepared);
            state[i] = kRunning;
            progressed = true;
            continue;
          }
        }
        state[i] = kDone;
        ++done;
        progressed = true;
        Progress(done, count, layer.spec.name);
      }
      if (progressed) continue;
      if (running_.empty()) throw std::logic_error("no layer can run: the layer order is not topological");
      const std::string dir = Executor().WaitOne();
      auto found = running_.find(dir);
      Prepared prepared = std::move(found->second);
      running_.erase(found);
      Finish(prepared, /*reused=*/false);
      state[prepared.index] = kDone;
      ++done;
      Progress(done, count, network_.layers()[prepared.index].spec.name);
    }
  }

  LayerExecutor& Executor() {
    if (!executor_) {
      ExecutionSettings settings{options_.value_bits, options_.psum_bits, options_.dram_word_bits, {}};
      settings.run.trace = options_.trace;
      if (options_.trace && options_.jobs > 1)
        throw std::logic_error("a network trace records the layers in this process: jobs must be 1");
      executor_ = options_.jobs > 1
                      ? WorkerExecutor(options_.jobs, options_.self, options_.worker_args, options_.out_dir)
                      : InProcessExecutor(*architecture_.architecture, options_.hardware, settings);
    }
    return *executor_;
  }

  // A running layer's output is its kernel's until the simulation says otherwise (Finish): the layers
  // after it need not wait, so N workers run N layers of a chain at once.
  bool InputsReady(int i, const std::vector<int>& state) const {
    for (int source : network_.layers()[i].inputs)
      if (source != kNetworkInput && state[source] == kPending) return false;
    return true;
  }

  // The layer's kernel on its inputs (the reference forward pass's computation of it), handed on at once.
  void Expect(Prepared& prepared) {
    prepared.expected = KernelOutput(prepared.index);
    outputs_[prepared.index] = *prepared.expected;
  }

  // Layer i's kernel on its inputs, as the reference forward pass computes it.
  Activation KernelOutput(int i) const {
    const NetworkLayer& layer = network_.layers()[i];
    return layer.kernel->Compute(layer.spec, Inputs(i), Context(i));
  }

  std::vector<const Activation*> Inputs(int i) const {
    std::vector<const Activation*> inputs;
    for (int source : network_.layers()[i].inputs)
      inputs.push_back(source == kNetworkInput ? &input_ : &*outputs_[source]);
    return inputs;
  }

  // Frees the inputs nobody reads any more (ResNet-50's maps would not all fit in memory).
  void Release(int i) {
    for (int source : network_.layers()[i].inputs)
      // The network output is kept; layers run out of order, so a map goes when its last reader has run.
      if (source != kNetworkInput && --readers_left_[source] == 0 &&
          static_cast<size_t>(source) + 1 < outputs_.size())
        outputs_[source].reset();
  }

  OpContext Context(int i) const {
    return {options_.value_bits, options_.psum_bits, LayerSeed(options_.seed, i),
            PruneDensity(network_.layers()[i], options_.prune_density)};
  }

  void FinishLocal(int i) {
    const NetworkLayer& layer = network_.layers()[i];
    outputs_[i] = KernelOutput(i);
    result_.layers[i].latency = LayerCost(layer, network_.soc(), options_.value_bits, 0, 0, 0);
    Release(i);
  }

  Prepared Prepare(int i) {
    const NetworkLayer& layer = network_.layers()[i];
    Prepared prepared;
    prepared.index = i;
    const std::string problem = ProblemYaml(layer.spec);
    PackedOperands packed = PackOperands(layer.spec, ProblemWorkload(layer.spec), Inputs(i));
    const OpContext context = Context(i);
    const uint64_t seed = context.seed;
    uint64_t hash = Fnv1a(kRecordFormat);
    hash = Fnv1a(arch_text_, hash);
    hash = Fnv1a(problem, hash);
    hash = Fnv1a(ReadText(mapping_files_[i]), hash);
    hash = Fnv1a(std::to_string(seed) + "/" + Hex(HashValues(packed.inputs)), hash);
    if (!packed.weights.empty()) hash = Fnv1a("weights " + Hex(HashValues(packed.weights)), hash);
    if (context.prune_density) {
      std::ostringstream prune;
      prune << "prune " << std::setprecision(17) << *context.prune_density;
      hash = Fnv1a(prune.str(), hash);
    }
    LayerTask& task = prepared.task;
    task.key = Hex(hash);
    task.name = layer.spec.name;
    task.dir = options_.out_dir + "/layers/" + task.key;
    task.seed = seed;
    task.prune_density = context.prune_density;
    task.spec_files = options_.arch_files;
    task.spec_files.push_back(task.dir + "/problem.yaml");
    task.spec_files.push_back(mapping_files_[i]);
    fs::create_directories(task.dir);
    prepared.packed = std::move(packed.inputs);
    prepared.packed_weights = std::move(packed.weights);
    return prepared;
  }

  // --analytical-only: the layer in this process; its record and output land where a run's would.
  void Analyze(const Prepared& prepared) {
    const LayerTask& task = prepared.task;
    WriteFileAtomically(task.dir + "/problem.yaml", ProblemYaml(network_.layers()[prepared.index].spec));
    const AnalyticalInputs inputs{task.seed, prepared.packed, prepared.packed_weights, task.prune_density,
                                  options_.value_bits};
    AnalyticalLayer layer =
        AnalyzeLayer(task.spec_files, inputs, options_.psum_bits, options_.dram_word_bits);
    WriteValuesFile(task.dir + "/output.bin", layer.psums);
    layer.record.key = task.key;
    WriteFileAtomically(task.dir + "/record.json", RecordJson(layer.record));
  }

  void Finish(const Prepared& prepared, bool reused) {
    const int i = prepared.index;
    const std::string& dir = prepared.task.dir;
    if (!reused)
      fs::remove(dir + "/input.bin"), fs::remove(dir + "/weights.bin");  // the output suffices to resume
    // Fresh and reused layers alike are read back from the record, so a resumed report is the same.
    const LayerRecord record = ParseRecord(dir + "/record.json");
    const NetworkLayer& layer = network_.layers()[i];
    Activation output =
        UnpackOutputs(layer.spec, layer.output, ReadValuesFile(dir + "/output.bin"), options_.value_bits);
    if (!prepared.expected) {
      outputs_[i] = std::move(output);
    } else {
      // Its readers went on with the kernel's output; the simulated one must be the same values.
      if (output.shape != prepared.expected->shape || output.values != prepared.expected->values)
        result_.diverged.push_back(layer.spec.name);
      if (static_cast<size_t>(i) + 1 == network_.layers().size()) outputs_[i] = std::move(output);
    }
    result_.layers[i].record = record;
    result_.layers[i].reused = reused;
    if (!reused && prepared.started != std::chrono::steady_clock::time_point{})
      result_.layers[i].wall_seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - prepared.started).count();
    if (reused && options_.trace) {  // on the timeline, without the events a simulation would record
      options_.trace->BeginLayer(layer.spec.name);
      options_.trace->EndLayer(static_cast<uint64_t>(record.cycles), false);
    }
    result_.layers[i].latency = LayerCost(layer, network_.soc(), options_.value_bits, record.cycles,
                                          record.compute_cycles, record.tiles);
    result_.reused += reused ? 1 : 0;
    done_macs_ += layer.macs;
  }

  void Progress(size_t done, size_t count, const std::string& name) {
    if (!options_.progress) return;
    const double elapsed = Since(begin_);
    // The remaining time scales with the remaining MACs (the simulation's cost is per MAC burst).
    const double fraction =
        total_macs_ > 0 ? static_cast<double>(done_macs_) / total_macs_ : 1.0 * done / count;
    const int width = 30, filled = static_cast<int>(fraction * width);
    std::string eta = "--";
    if (fraction > 0 && done < count) {
      const int64_t seconds = static_cast<int64_t>(elapsed * (1 - fraction) / fraction);
      eta = seconds >= 60 ? std::to_string(seconds / 60) + " min " + std::to_string(seconds % 60) + " s"
                          : std::to_string(seconds) + " s";
    }
    std::fprintf(stderr, "\r  [%s%s] layer %zu of %zu  ETA %-13s %-40.40s", std::string(filled, '#').c_str(),
                 std::string(width - filled, '.').c_str(), done, count, eta.c_str(), name.c_str());
    std::fflush(stderr);
  }

  const Network& network_;
  const NetworkRunOptions& options_;
  std::vector<int> readers_left_;  // per layer: the layers that read its output and have not run yet
  spec::Spec architecture_;
  std::vector<spec::SpecDocument> arch_documents_;
  top::MappingCache mappings_;
  std::string arch_text_;
  std::vector<std::string> mapping_files_;  // per layer: the mapping it runs with (accelerator layers)
  std::unique_ptr<LayerExecutor> executor_;
  Activation input_;
  std::vector<std::optional<Activation>> outputs_;
  std::map<std::string, Prepared> running_;  // by directory
  NetworkRunResult result_;
  Clock::time_point begin_;
  int64_t total_macs_ = 0, done_macs_ = 0;
};

}  // namespace

NetworkRunResult RunNetwork(const Network& network, const NetworkRunOptions& options) {
  return Runner(network, options).Run();
}

}  // namespace cyclops::network
