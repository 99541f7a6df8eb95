#include "sim/cli/rerank_run.h"

#include <deque>
#include <stdexcept>

#include "sim/analysis/analysis.h"
#include "sim/cli/spec_requirements.h"
#include "sim/core/atomic_file.h"
#include "sim/core/child_process.h"
#include "sim/core/error.h"
#include "sim/core/worker_pool.h"
#include "sim/top/layer_simulation.h"
#include "sim/top/noc_bound_model.h"
#include "sim/top/run_summary.h"

namespace cyclops::cli {

nlohmann::json OutcomeJson(const CandidateOutcome& outcome) {
  return {{"cycles", outcome.cycles},
          {"energy_pj", outcome.energy_pj},
          {"outputs_match", outcome.outputs_match},
          {"stopped_at", outcome.stopped_at},
          {"stopped_bound", outcome.stopped_bound},
          {"error", outcome.error}};
}

CandidateOutcome OutcomeFromJson(const nlohmann::json& json) {
  CandidateOutcome outcome;
  outcome.cycles = json.at("cycles").get<int64_t>();
  outcome.energy_pj = json.at("energy_pj").get<double>();
  outcome.outputs_match = json.at("outputs_match").get<bool>();
  outcome.stopped_at = json.at("stopped_at").get<int64_t>();
  outcome.stopped_bound = json.at("stopped_bound").get<int64_t>();
  outcome.error = json.at("error").get<std::string>();
  return outcome;
}

CandidateOutcome RunCandidate(top::Accelerator& accelerator, const CandidateSetting& setting,
                              mapping::Tensor& reference, const CandidateTask& task) {
  CandidateOutcome outcome;
  try {
    std::vector<std::string> files = setting.files;
    files.push_back(task.dir + "/mapping.yaml");
    const spec::Spec spec = LoadSpecsWithEnergy(files);
    // Sparse specs as `cyclops run` simulates them: data at the declared densities, the same optimizations
    // in the analysis beside it (the sparse analytical model the search ranked the candidates by).
    const spec::SparseOptimizations* sparse = spec.sparse ? &*spec.sparse : nullptr;
    analysis::AnalysisResult analysis = analysis::Analyze(*spec.architecture, *spec.workload, *spec.mapping,
                                                          spec.energy ? &*spec.energy : nullptr, sparse);
    if (setting.noc_bound)
      top::NocBoundModel(*spec.architecture, *spec.workload).Apply(*spec.mapping, analysis);
    top::LayerOptions options;
    options.seed = spec.cyclops.seed;
    options.psum_bits = spec.cyclops.psum_bits;
    options.value_bits = top::OperandBits(*spec.architecture);
    options.reference = &reference;
    options.sparse = sparse;
    options.run.cycle_limit = static_cast<models::Cycle>(task.cycle_limit);
    const top::SimulationResult result =
        top::SimulateLayer(accelerator, *spec.workload, *spec.mapping, options);
    const top::RunSummary summary = top::Summarize(spec, analysis, result);
    WriteFileAtomically(task.dir + "/summary.json", summary.ToJson());
    outcome.cycles = summary.cycles;
    outcome.energy_pj = summary.energy_pj;
    outcome.outputs_match = summary.outputs_match;
    if (!outcome.outputs_match) outcome.error = "outputs differ from the reference kernel";
  } catch (const top::CycleLimitReached& stop) {
    outcome.stopped_at = static_cast<int64_t>(stop.at);
    outcome.stopped_bound = static_cast<int64_t>(stop.bound);
  } catch (const SpecError& error) {
    outcome.error = error.problem();
  } catch (const SimulationError& error) {
    outcome.error = error.what();
  }
  return outcome;
}

namespace {

top::HardwareOptions HardwareOf(const spec::Spec& spec) {
  top::HardwareOptions hardware;
  top::UseCyclopsSettings(spec.cyclops, hardware);
  return hardware;
}

class InProcess : public CandidateRunner {
 public:
  InProcess(const spec::Spec& spec, CandidateSetting setting) : spec_(spec), setting_(std::move(setting)) {}
  int capacity() const override { return 1; }
  int running() const override { return static_cast<int>(done_.size()); }
  void Start(const CandidateTask& task) override {
    if (!accelerator_)
      accelerator_ = std::make_unique<top::Accelerator>(*spec_.architecture, HardwareOf(spec_));
    done_.emplace_back(task.id, RunCandidate(*accelerator_, setting_, reference_, task));
  }
  std::pair<int, CandidateOutcome> WaitOne() override {
    if (done_.empty()) throw std::logic_error("no candidate is running");
    auto done = std::move(done_.front());
    done_.pop_front();
    return done;
  }

 private:
  const spec::Spec& spec_;
  CandidateSetting setting_;
  std::unique_ptr<top::Accelerator> accelerator_;
  mapping::Tensor reference_;
  std::deque<std::pair<int, CandidateOutcome>> done_;
};

class Workers : public CandidateRunner {
 public:
  Workers(int jobs, const CandidateSetting& setting, const std::string& log_dir)
      : pool_(jobs, SelfExecutable(), WorkerWords(setting), log_dir, "rerank") {}
  int capacity() const override { return pool_.capacity(); }
  int running() const override { return pool_.running(); }
  void Start(const CandidateTask& task) override {
    pool_.Start("candidate " + std::to_string(task.id),
                nlohmann::json{{"dir", task.dir}, {"cycle_limit", task.cycle_limit}}.dump());
  }
  std::pair<int, CandidateOutcome> WaitOne() override {
    const auto [task, line] = pool_.WaitOne();
    return {std::stoi(task.substr(task.find(' ') + 1)), OutcomeFromJson(nlohmann::json::parse(line))};
  }

 private:
  static std::vector<std::string> WorkerWords(const CandidateSetting& setting) {
    std::vector<std::string> words{"rerank-worker"};
    if (setting.noc_bound) words.push_back("--noc-bound");
    words.insert(words.end(), setting.files.begin(), setting.files.end());
    return words;
  }
  WorkerPool pool_;
};

}  // namespace

std::unique_ptr<CandidateRunner> InProcessRunner(const spec::Spec& spec, CandidateSetting setting) {
  return std::make_unique<InProcess>(spec, std::move(setting));
}

std::unique_ptr<CandidateRunner> WorkerRunner(int jobs, const CandidateSetting& setting,
                                              const std::string& log_dir) {
  return std::make_unique<Workers>(jobs, setting, log_dir);
}

int ServeCandidates(top::Accelerator& accelerator, const CandidateSetting& setting, int in, int out) {
  mapping::Tensor reference;
  std::string pending, line;
  while (ReadLine(in, pending, line)) {
    const nlohmann::json request = nlohmann::json::parse(line);
    CandidateTask task;
    task.dir = request.at("dir").get<std::string>();
    task.cycle_limit = request.at("cycle_limit").get<int64_t>();
    CandidateOutcome outcome;
    try {
      outcome = RunCandidate(accelerator, setting, reference, task);
    } catch (const std::exception& error) {
      outcome.error = error.what();
    }
    WriteLine(out, OutcomeJson(outcome).dump());
  }
  return 0;
}

}  // namespace cyclops::cli
