#include "sim/cli/sim_rerank.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

#include "sim/core/atomic_file.h"
#include "sim/core/error.h"
#include "sim/mapping/layer_plan.h"
#include "sim/mapping/mapping_yaml.h"
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

// Simulates one candidate on the accelerator; fills the simulated fields or the error.
void Simulate(top::Accelerator& accelerator, const spec::Spec& spec, const spec::Mapping& mapping,
              const analysis::AnalysisResult& analysis, const std::string& dir, mapping::Objective objective,
              SimulatedCandidate& row) {
  top::LayerOptions options;
  options.seed = spec.cyclops.seed;
  options.psum_bits = spec.cyclops.psum_bits;
  options.value_bits = top::OperandBits(*spec.architecture);
  try {
    spec::Spec candidate = spec;
    candidate.mapping = mapping;
    const top::SimulationResult result = top::SimulateLayer(accelerator, *spec.workload, mapping, options);
    const top::RunSummary summary = top::Summarize(candidate, analysis, result);
    WriteFileAtomically(dir + "/summary.json", summary.ToJson());
    row.simulated_cycles = summary.cycles;
    row.simulated_energy_pj = summary.energy_pj;
    row.outputs_match = summary.outputs_match;
    if (!row.outputs_match) row.error = "outputs differ from the reference kernel";
    row.objective = SimulatedObjective(objective, row.simulated_cycles, row.simulated_energy_pj);
  } catch (const SpecError& error) {
    row.error = error.problem();
  } catch (const SimulationError& error) {
    row.error = error.what();
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

RerankResult SimRerank(const spec::Spec& spec, const std::vector<mapping::MappingCandidate>& candidates,
                       int k, mapping::Objective objective, const std::string& work_dir) {
  CheckNoMappingGiven(spec);
  top::HardwareOptions hardware;
  top::UseCyclopsSettings(spec.cyclops, hardware);
  top::Accelerator accelerator(*spec.architecture, hardware);
  RerankResult result;
  double best = std::numeric_limits<double>::infinity();
  for (size_t i = 0; i < candidates.size() && static_cast<int>(result.rows.size()) < k; ++i) {
    const mapping::MappingCandidate& candidate = candidates[i];
    if (auto refused = top::Refusal(*spec.architecture, *spec.workload, candidate.mapping, candidate.result,
                                    /*use_noc=*/true)) {
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
    Simulate(accelerator, spec, candidate.mapping, candidate.result, dir, objective, row);
    // Ties go to the better analytical rank (the earlier row).
    if (row.error.empty() && row.objective < best) {
      best = row.objective;
      result.chosen = static_cast<int>(result.rows.size());
    }
    result.rows.push_back(row);
  }
  return result;
}

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
    if (!row.error.empty() && row.simulated_cycles == 0) {
      std::snprintf(line, sizeof line, "%s%4d %14lld   failed: %s\n", mark, row.analytical_rank,
                    static_cast<long long>(row.analytical_cycles), row.error.c_str());
    } else {
      std::snprintf(line, sizeof line, "%s%4d %14lld %14lld %+8.2f%% %16.2f %16.2f %14.4g%s\n", mark,
                    row.analytical_rank, static_cast<long long>(row.analytical_cycles),
                    static_cast<long long>(row.simulated_cycles),
                    100.0 * (static_cast<double>(row.simulated_cycles) / row.analytical_cycles - 1),
                    row.analytical_energy_pj, row.simulated_energy_pj, row.objective,
                    row.error.empty() ? "" : ("  " + row.error).c_str());
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
