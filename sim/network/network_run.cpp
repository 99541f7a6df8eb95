#include "sim/network/network_run.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

#include "sim/core/atomic_file.h"
#include "sim/core/child_process.h"
#include "sim/core/error.h"
#include "sim/network/analytical_layer.h"
#include "sim/network/layer_job.h"
#include "sim/network/mac_layer.h"
#include "sim/spec/loader.h"

namespace cyclops::network {

std::string FileSafe(const std::string& name) {
  std::string safe = name;
  for (char& c : safe)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '.') c = '_';
  return safe;
}

namespace {

namespace fs = std::filesystem;

std::string ReadText(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

// One accelerator layer prepared to run: its files, its cache key, its directory.
struct Prepared {
  int index = -1;
  std::string key, dir, mapping_file;
  LayerJob job;
  std::vector<int64_t> packed;          // the Inputs values, until written
  std::vector<int64_t> packed_weights;  // a two-activation matmul's Weights (its second input)
};

class Runner {
 public:
  Runner(const Network& network, const NetworkRunOptions& options)
      : network_(network), options_(options), last_use_(LastUses(network)) {
    for (const std::string& file : options.arch_files) arch_text_ += file + "\n" + ReadText(file) + "\n";
    for (const std::string& arg : options.run_args) arch_text_ += "arg " + arg + "\n";
    if (options.analytical_only) arch_text_ += "analytical only\n";
  }

  // A failed layer ends the run: the layers still simulating are stopped (they would be recomputed anyway).
  ~Runner() {
    for (const auto& [pid, prepared] : running_) {
      kill(pid, SIGTERM);
      waitpid(pid, nullptr, 0);
    }
  }

  NetworkRunResult Run() {
    const size_t count = network_.layers().size();
    if (!options_.resume) fs::remove_all(options_.out_dir + "/layers");
    outputs_.assign(count, std::nullopt);
    result_.layers.assign(count, {});
    std::vector<int> state(count, kPending);
    input_ = NetworkInput(network_, options_.seed, options_.value_bits);
    begin_ = std::chrono::steady_clock::now();
    for (const NetworkLayer& layer : network_.layers()) total_macs_ += layer.macs;
    size_t done = 0;
    while (done < count) {
      bool progressed = false;
      for (size_t i = 0; i < count; ++i) {
        if (state[i] != kPending || !InputsReady(static_cast<int>(i), state)) continue;
        const NetworkLayer& layer = network_.layers()[i];
        if (!layer.on_accelerator()) {
          FinishLocal(static_cast<int>(i));
        } else {
          Prepared prepared = Prepare(static_cast<int>(i));
          if (options_.resume && fs::exists(prepared.dir + "/record.json")) {
            Release(static_cast<int>(i));
            Finish(prepared, /*reused=*/true);
          } else if (options_.analytical_only) {
            Release(static_cast<int>(i));
            Analyze(prepared);
            Finish(prepared, /*reused=*/false);
          } else if (static_cast<int>(running_.size()) < options_.jobs) {
            WriteFileAtomically(prepared.dir + "/problem.yaml", ProblemYaml(layer.spec));
            WriteValuesFile(prepared.job.input_file, prepared.packed);
            if (!prepared.packed_weights.empty())
              WriteValuesFile(prepared.job.weights_file, prepared.packed_weights);
            prepared.packed.clear();
            prepared.packed_weights.clear();
            Release(static_cast<int>(i));
            const pid_t pid = StartLayerJob(options_.self, prepared.job);
            running_[pid] = std::move(prepared);
            state[i] = kRunning;
            progressed = true;
            continue;
          } else {
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
      int status = 0;
      const pid_t pid = waitpid(-1, &status, 0);
      const auto found = running_.find(pid);
      if (found == running_.end()) continue;
      Prepared prepared = std::move(found->second);
      running_.erase(found);
      CheckExit(prepared, status);
      Finish(prepared, /*reused=*/false);
      state[prepared.index] = kDone;
      ++done;
      Progress(done, count, network_.layers()[prepared.index].spec.name);
    }
    if (options_.progress) std::fprintf(stderr, "\n");
    result_.output = *outputs_.back();
    return std::move(result_);
  }

 private:
  enum { kPending, kRunning, kDone };

  bool InputsReady(int i, const std::vector<int>& state) const {
    for (int source : network_.layers()[i].inputs)
      if (source != kNetworkInput && state[source] != kDone) return false;
    return true;
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
      if (source != kNetworkInput && last_use_[source] == i) outputs_[source].reset();
  }

  OpContext Context(int i) const {
    return {options_.value_bits, options_.psum_bits, LayerSeed(options_.seed, i)};
  }

  void FinishLocal(int i) {
    const NetworkLayer& layer = network_.layers()[i];
    outputs_[i] = layer.kernel->Compute(layer.spec, Inputs(i), Context(i));
    result_.layers[i].latency = LayerCost(layer, network_.soc(), options_.value_bits, 0, 0, 0);
    Release(i);
  }

  Prepared Prepare(int i) {
    const NetworkLayer& layer = network_.layers()[i];
    Prepared prepared;
    prepared.index = i;
    const std::string problem = ProblemYaml(layer.spec);
    PackedOperands packed = PackOperands(layer.spec, ProblemWorkload(layer.spec), Inputs(i));
    std::string mapping_text = "mapper";
    if (!options_.mappings_dir.empty()) {
      const std::string candidate = options_.mappings_dir + "/" + FileSafe(layer.spec.name) + ".yaml";
      if (fs::exists(candidate)) {
        prepared.mapping_file = candidate;
        mapping_text = ReadText(candidate);
      }
    }
    const uint64_t seed = Context(i).seed;
    uint64_t hash = Fnv1a(arch_text_);
    hash = Fnv1a(problem, hash);
    hash = Fnv1a(mapping_text, hash);
    hash = Fnv1a(std::to_string(seed) + "/" + Hex(HashValues(packed.inputs)), hash);
    if (!packed.weights.empty()) hash = Fnv1a("weights " + Hex(HashValues(packed.weights)), hash);
    prepared.key = Hex(hash);
    prepared.dir = options_.out_dir + "/layers/" + prepared.key;
    LayerJob& job = prepared.job;
    job.spec_files = options_.arch_files;
    job.spec_files.push_back(prepared.dir + "/problem.yaml");
    if (!prepared.mapping_file.empty()) job.spec_files.push_back(prepared.mapping_file);
    job.extra_args = options_.run_args;
    job.seed = seed;
    job.input_file = prepared.dir + "/input.bin";
    job.output_file = prepared.dir + "/output.bin";
    if (!packed.weights.empty()) job.weights_file = prepared.dir + "/weights.bin";
    job.dir = prepared.dir;
    prepared.packed = std::move(packed.inputs);
    prepared.packed_weights = std::move(packed.weights);
    return prepared;
  }

  void CheckExit(const Prepared& prepared, int status) {
    const int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    if (code == 0) return;
    const std::string& name = network_.layers()[prepared.index].spec.name;
    const std::string why = "layer '" + name + "': `cyclops run` exited with status " + std::to_string(code) +
                            " (" + prepared.dir + "/run.log: " + LastLines(prepared.dir + "/run.log", 2) +
                            ")";
    if (code == 3) throw OutputMismatchError(why);
    if (code == 4) throw SimulationError(why);
    if (code == 2) throw SpecError({prepared.dir + "/problem.yaml", 0, 0, ""}, why);
    throw std::runtime_error(why);
  }

  // Outermost-level temporal iterations of the mapping the layer ran with.
  int64_t Tiles(const Prepared& prepared) const {
    std::vector<std::string> files = prepared.job.spec_files;
    if (prepared.mapping_file.empty()) files.push_back(prepared.dir + "/mapping.yaml");
    const spec::Spec spec = spec::LoadSpecFiles(files);
    int64_t tiles = 1;
    for (int64_t factor : spec.mapping->levels.back().temporal_factors) tiles *= factor;
    return tiles;
  }

  // --analytical-only: the layer in this process; its record and output land where a run's would.
  void Analyze(const Prepared& prepared) {
    WriteFileAtomically(prepared.dir + "/problem.yaml", ProblemYaml(network_.layers()[prepared.index].spec));
    AnalyticalLayer layer =
        AnalyzeLayer(prepared.job.spec_files, prepared.job.seed, prepared.packed, prepared.packed_weights,
                     options_.value_bits, options_.psum_bits, options_.dram_word_bits);
    if (!layer.mapping_yaml.empty()) WriteFileAtomically(prepared.dir + "/mapping.yaml", layer.mapping_yaml);
    WriteValuesFile(prepared.job.output_file, layer.psums);
    layer.record.key = prepared.key;
    WriteFileAtomically(prepared.dir + "/record.json", RecordJson(layer.record));
  }

  void Finish(const Prepared& prepared, bool reused) {
    const int i = prepared.index;
    const std::string record_path = prepared.dir + "/record.json";
    if (!reused && !options_.analytical_only) {
      LayerRecord record = RecordFromSummary(prepared.dir + "/summary.json", options_.dram_word_bits);
      record.key = prepared.key;
      record.tiles = Tiles(prepared);
      fs::remove(prepared.job.input_file);  // only the output is needed to resume
      if (!prepared.job.weights_file.empty()) fs::remove(prepared.job.weights_file);
      WriteFileAtomically(record_path, RecordJson(record));
    }
    // Fresh and reused layers alike are read back from the record, so a resumed report is the same.
    const LayerRecord record = ParseRecord(record_path);
    const NetworkLayer& layer = network_.layers()[i];
    outputs_[i] = UnpackOutputs(layer.spec, layer.output, ReadValuesFile(prepared.job.output_file),
                                options_.value_bits);
    result_.layers[i].record = record;
    result_.layers[i].reused = reused;
    result_.layers[i].latency = LayerCost(layer, network_.soc(), options_.value_bits, record.cycles,
                                          record.compute_cycles, record.tiles);
    result_.reused += reused ? 1 : 0;
    done_macs_ += layer.macs;
  }

  void Progress(size_t done, size_t count, const std::string& name) {
    if (!options_.progress) return;
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin_).count();
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
  std::vector<int> last_use_;
  std::string arch_text_;
  Activation input_;
  std::vector<std::optional<Activation>> outputs_;
  std::map<pid_t, Prepared> running_;
  NetworkRunResult result_;
  std::chrono::steady_clock::time_point begin_;
  int64_t total_macs_ = 0, done_macs_ = 0;
};

}  // namespace

NetworkRunResult RunNetwork(const Network& network, const NetworkRunOptions& options) {
  return Runner(network, options).Run();
}

}  // namespace cyclops::network
