// One `cyclops map --sim-rerank` candidate's run, and where it runs: in the map process on one
// accelerator, or with --jobs N on N worker processes (`cyclops rerank-worker`, the network's worker
// pattern: each elaborates once and runs candidate after candidate, told which over a pipe). Either way a
// candidate is RunCandidate on the same files, so the outcome does not depend on where it ran.
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "sim/mapping/tensor_data.h"
#include "sim/top/accelerator.h"

namespace cyclops::cli {

struct CandidateTask {
  int id = 0;               // the caller's
  std::string dir;          // holds mapping.yaml; summary.json goes here when the run ends
  int64_t cycle_limit = 0;  // 0: none (RunSettings::cycle_limit)
};

struct CandidateOutcome {
  int64_t cycles = 0;
  double energy_pj = 0;
  bool outputs_match = false;
  int64_t stopped_at = 0, stopped_bound = 0;  // > 0: the cycle limit stopped it (CycleLimitReached)
  std::string error;                          // the run failed
};
nlohmann::json OutcomeJson(const CandidateOutcome& outcome);
CandidateOutcome OutcomeFromJson(const nlohmann::json& json);

// What every candidate shares: the spec files without a mapping, and whether the analysis the summary
// compares with carries the NoC bound (as the search's did).
struct CandidateSetting {
  std::vector<std::string> files;
  bool noc_bound = false;
};

// Loads the files plus DIR/mapping.yaml, simulates, writes DIR/summary.json. `reference` keeps the
// reference kernel's result from one candidate to the next (the operands are the same).
CandidateOutcome RunCandidate(top::Accelerator& accelerator, const CandidateSetting& setting,
                              mapping::Tensor& reference, const CandidateTask& task);

class CandidateRunner {
 public:
  virtual ~CandidateRunner() = default;
  virtual int capacity() const = 0;
  virtual int running() const = 0;
  virtual void Start(const CandidateTask& task) = 0;
  virtual std::pair<int, CandidateOutcome> WaitOne() = 0;  // (task id, outcome) of a finished one
};

// `spec`: the loaded files (the accelerator is elaborated from it when the first candidate starts).
std::unique_ptr<CandidateRunner> InProcessRunner(const spec::Spec& spec, CandidateSetting setting);
std::unique_ptr<CandidateRunner> WorkerRunner(int jobs, const CandidateSetting& setting,
                                              const std::string& log_dir);

// The worker's side: one task per line on `in`, one outcome per line on `out`, until `in` closes.
int ServeCandidates(top::Accelerator& accelerator, const CandidateSetting& setting, int in, int out);

}  // namespace cyclops::cli
