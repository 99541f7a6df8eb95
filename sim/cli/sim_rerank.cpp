#include "sim/cli/sim_rerank.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

#include "sim/cli/rerank_run.h"
#include "sim/core/atomic_file.h"
#include "sim/core/error.h"
#include "sim/mapping/layer_plan.h"
#include "sim/mapping/layer_program.h"
#include "sim/mapping/mapping_yaml.h"
#include "sim/mapping/program_identity.h"
#include "sim/top/layer_simulation.h"
#include "sim/top/run_summary.h"
#include "sim/top/simulatable.h"

namespace cyclops::cli {

namespace {

double SimulatedObjective(mapping::Objective objective, int64_t cycles, double energy_pj) {
  switch (objective) {
    case mapping::Objective::kLatency:
      return static_cast<double>(cycles);
    case mapping::Objective::kEnergy:
      return energy_pj;
    case mapping::Objective::kEdp:
      break;
  }
  return energy_pj * static_cast<double>(cycles);
}

// The candidate's compiled program, written out (empty when it does not compile: its run says why).
std::string IdentityOf(const mapping::HardwareLayout& layout, const spec::Spec& spec,
                       const spec::Mapping& mapping) {
  try {
    const mapping::LayerPlan plan(*spec.architecture, *spec.workload, mapping);
    return mapping::ProgramIdentity(mapping::CompileLayer(plan, layout, spec.cyclops.psum_bits));
  } catch (const SpecError&) {
    return "";
  }
}

}  // namespace

void CheckNoMappingGiven(const spec::Spec& spec) {
  if (spec.mapping)
    throw SpecError(
        spec.mapping->where,
        "--sim-rerank simulates each candidate with the files given plus its mapping, but the files "
        "already hold a non-empty 'mapping', which would clash with the candidate's",
        "leave it out (an empty 'mapping: []' is fine)");
}

namespace {

// The rows the simulator can run, in analytical order, each with its mapping written out.
RerankResult ChooseRows(const spec::Spec& spec, const std::vector<mapping::MappingCandidate>& candidates,
                        int k, const std::string& work_dir) {
  RerankResult result;
  for (size_t i = 0; i < candidates.size() && static_cast<int>(result.rows.size()) < k; ++i) {
    const mapping::MappingCandidate& candidate = candidates[i];
    if (auto refused = top::Refusal(*spec.architecture, *spec.workload, candidate.mapping, candidate.result,
                                    /*use_noc=*/true, spec.sparse ? &*spec.sparse : nullptr)) {
      result.skipped.emplace_back(static_cast<int>(i + 1), *refused);
      continue;
    }
    SimulatedCandidate row;
    row.analytical_rank = static_cast<int>(i + 1);
    row.analytical_cycles = candidate.result.cycles;
    row.analytical_energy_pj = candidate.result.energy_pj;
    const std::string dir = work_dir + "/candidate_" + std::to_string(i + 1);
    std::filesystem::remove_all(dir);
    WriteFileAtomically(dir + "/mapping.yaml",
                        mapping::MappingYaml(*spec.architecture, *spec.workload, candidate.mapping));
    result.rows.push_back(row);
  }
  return result;
}

// Per row: the earlier row with the same program, or -1 when it is the first.
std::vector<int> SamePrograms(const spec::Spec& spec,
                              const std::vector<mapping::MappingCandidate>& candidates,
                              const RerankResult& result) {
  const mapping::HardwareLayout layout(*spec.architecture);
  std::vector<std::string> identities;
  std::vector<int> same;
  for (const SimulatedCandidate& row : result.rows) {
    identities.push_back(IdentityOf(layout, spec, candidates[row.analytical_rank - 1].mapping));
    const auto first = std::find(identities.begin(), identities.end(), identities.back());
    same.push_back(!identities.back().empty() && first != identities.end() - 1
                       ? static_cast<int>(first - identities.begin())
                       : -1);
  }
  return same;
}

// Runs the distinct rows in analytical order on the runner, each bounded by the best earlier full run
// that has finished when it starts (with one at a time: the best earlier run). Outcomes per row.
std::vector<CandidateOutcome> RunDistinct(CandidateRunner& runner, const RerankResult& result,
                                          const std::vector<int>& same, const RerankOptions& options,
                                          bool bound, const std::string& work_dir) {
  std::vector<CandidateOutcome> outcomes(result.rows.size());
  std::vector<bool> finished(result.rows.size(), false);
  auto limit_for = [&](size_t row) {
    double best = std::numeric_limits<double>::infinity();
    for (size_t j = 0; j < row; ++j) {
      const CandidateOutcome& o = outcomes[j];
      if (finished[j] && o.error.empty() && o.stopped_at == 0)
        best = std::min(best, SimulatedObjective(options.objective, o.cycles, o.energy_pj));
    }
    return bound && best < std::numeric_limits<double>::infinity() ? static_cast<int64_t>(best) : 0;
  };
  size_t next = 0;
  while (true) {
    while (next < result.rows.size() && same[next] >= 0) ++next;
    if (next < result.rows.size() && runner.running() < runner.capacity()) {
      CandidateTask task;
      task.id = static_cast<int>(next);
      task.dir = work_dir + "/candidate_" + std::to_string(result.rows[next].analytical_rank);
      task.cycle_limit = limit_for(next);
      runner.Start(task);
      ++next;
      continue;
    }
    if (runner.running() == 0) break;
    auto [id, outcome] = runner.WaitOne();
    outcomes[id] = std::move(outcome);
    finished[id] = true;
  }
  return outcomes;
}

}  // namespace

RerankResult SimRerank(const spec::Spec& spec, const std::vector<mapping::MappingCandidate>& candidates,
                       const RerankOptions& options, const std::string& work_dir) {
  CheckNoMappingGiven(spec);
  RerankResult result = ChooseRows(spec, candidates, options.k, work_dir);
  const std::vector<int> same = SamePrograms(spec, candidates, result);
  const bool bound = options.bound && options.objective == mapping::Objective::kLatency;
  std::unique_ptr<CandidateRunner> runner = options.jobs > 1
                                                ? WorkerRunner(options.jobs, options.setting, work_dir)
                                                : InProcessRunner(spec, options.setting);
  const std::vector<CandidateOutcome> outcomes = RunDistinct(*runner, result, same, options, bound, work_dir);
  runner.reset();  // the workers end
  // The table, the same whatever ran where: a bounded row that is slower than the best earlier one says
  // so (whether its run was stopped, or ended before its bound showed), the others their figures.
  double best = std::numeric_limits<double>::infinity();
  for (size_t i = 0; i < result.rows.size(); ++i) {
    SimulatedCandidate& row = result.rows[i];
    if (same[i] >= 0) {
      const SimulatedCandidate& first = result.rows[same[i]];
      SimulatedCandidate copy = first;  // its figures, bound or error
      copy.analytical_rank = row.analytical_rank;
      copy.analytical_cycles = row.analytical_cycles;
      copy.analytical_energy_pj = row.analytical_energy_pj;
      copy.same_as = first.analytical_rank;
      row = copy;
      continue;  // never chosen: ties go to the earlier row
    }
    const CandidateOutcome& outcome = outcomes[i];
    row.error = outcome.error;
    const double objective = SimulatedObjective(options.objective, outcome.cycles, outcome.energy_pj);
    if (row.error.empty() && bound && result.chosen >= 0 && (outcome.stopped_at > 0 || objective > best)) {
      row.beaten_by = result.rows[result.chosen].analytical_rank;
      row.beaten_by_cycles = result.rows[result.chosen].simulated_cycles;
      std::filesystem::remove(work_dir + "/candidate_" + std::to_string(row.analytical_rank) +
                              "/summary.json");
      continue;
    }
    row.simulated_cycles = outcome.cycles;
    row.simulated_energy_pj = outcome.energy_pj;
    row.outputs_match = outcome.outputs_match;
    row.objective = objective;
    // Ties go to the better analytical rank (the earlier row).
    if (row.error.empty() && objective < best) {
      best = objective;
      result.chosen = static_cast<int>(i);
    }
  }
  return result;
}

namespace {

std::string SameAs(const SimulatedCandidate& row) {
  return row.same_as > 0 ? "  same program as #" + std::to_string(row.same_as) : "";
}

}  // namespace

std::string RerankTable(const RerankResult& result, mapping::Objective objective) {
  std::ostringstream out;
  char line[1024];
  std::snprintf(line, sizeof line, "%5s %14s %14s %9s %16s %16s %14s\n", "rank", "cycles (anal.)",
                "cycles (sim.)", "vs anal.", "energy pJ (an.)", "energy pJ (sim.)",
                ("sim. " + mapping::ObjectiveName(objective)).c_str());
  out << line;
  for (size_t i = 0; i < result.rows.size(); ++i) {
    const SimulatedCandidate& row = result.rows[i];
    const char* mark = static_cast<int>(i) == result.chosen ? "*" : " ";
    if (row.beaten_by > 0) {
      std::snprintf(line, sizeof line,
                    "%s%4d %14lld   cannot beat #%d's %lld cycles (run only until that was sure)%s\n", mark,
                    row.analytical_rank, static_cast<long long>(row.analytical_cycles), row.beaten_by,
                    static_cast<long long>(row.beaten_by_cycles), SameAs(row).c_str());
    } else if (!row.error.empty() && row.simulated_cycles == 0) {
      std::snprintf(line, sizeof line, "%s%4d %14lld   failed: %s%s\n", mark, row.analytical_rank,
                    static_cast<long long>(row.analytical_cycles), row.error.c_str(), SameAs(row).c_str());
    } else {
      std::snprintf(line, sizeof line, "%s%4d %14lld %14lld %+8.2f%% %16.2f %16.2f %14.4g%s\n", mark,
                    row.analytical_rank, static_cast<long long>(row.analytical_cycles),
                    static_cast<long long>(row.simulated_cycles),
                    100.0 * (static_cast<double>(row.simulated_cycles) / row.analytical_cycles - 1),
                    row.analytical_energy_pj, row.simulated_energy_pj, row.objective,
                    (row.error.empty() ? SameAs(row) : "  " + row.error + SameAs(row)).c_str());
    }
    out << line;
  }
  if (!result.skipped.empty())
    out << "  passed over " << result.skipped.size()
        << " better-ranked candidate(s) the cycle-level simulator cannot run (rank "
        << result.skipped.front().first << ": " << result.skipped.front().second << ")\n";
  return out.str();
}

}  // namespace cyclops::cli
