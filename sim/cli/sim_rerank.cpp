#include "sim/cli/sim_rerank.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

#include "sim/cli/program_identity.h"
#include "sim/core/atomic_file.h"
#include "sim/core/error.h"
#include "sim/mapping/layer_plan.h"
#include "sim/mapping/layer_program.h"
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

// What one candidate's run needs besides its mapping: the same for every candidate.
struct RunContext {
  top::Accelerator& accelerator;
  const spec::Spec& spec;
  mapping::Objective objective;
  mapping::Tensor reference;  // the reference kernel's result, computed by the first run
};

// Simulates one candidate; fills the simulated fields, the stop or the error. `cycle_limit` > 0 stops a
// run sure to take more cycles.
void Simulate(RunContext& context, const mapping::MappingCandidate& candidate, const std::string& dir,
              models::Cycle cycle_limit, SimulatedCandidate& row) {
  const spec::Spec& spec = context.spec;
  top::LayerOptions options;
  options.seed = spec.cyclops.seed;
  options.psum_bits = spec.cyclops.psum_bits;
  options.value_bits = top::OperandBits(*spec.architecture);
  options.reference = &context.reference;
  options.run.cycle_limit = cycle_limit;
  try {
    spec::Spec with_mapping = spec;
    with_mapping.mapping = candidate.mapping;
    const top::SimulationResult result =
        top::SimulateLayer(context.accelerator, *spec.workload, candidate.mapping, options);
    const top::RunSummary summary = top::Summarize(with_mapping, candidate.result, result);
    WriteFileAtomically(dir + "/summary.json", summary.ToJson());
    row.simulated_cycles = summary.cycles;
    row.simulated_energy_pj = summary.energy_pj;
    row.outputs_match = summary.outputs_match;
    if (!row.outputs_match) row.error = "outputs differ from the reference kernel";
    row.objective = SimulatedObjective(context.objective, row.simulated_cycles, row.simulated_energy_pj);
  } catch (const top::CycleLimitReached& stop) {
    row.stopped_at = static_cast<int64_t>(stop.at);
    row.stopped_bound = static_cast<int64_t>(stop.bound);
  } catch (const SpecError& error) {
    row.error = error.problem();
  } catch (const SimulationError& error) {
    row.error = error.what();
  }
}

// The candidate's compiled program, written out (empty when it does not compile: its run says why).
std::string IdentityOf(const top::Accelerator& accelerator, const spec::Spec& spec,
                       const spec::Mapping& mapping) {
  try {
    const mapping::LayerPlan plan(*spec.architecture, *spec.workload, mapping);
    return ProgramIdentity(mapping::CompileLayer(plan, accelerator.layout(), spec.cyclops.psum_bits));
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

RerankResult SimRerank(const spec::Spec& spec, const std::vector<mapping::MappingCandidate>& candidates,
                       const RerankOptions& options, const std::string& work_dir) {
  CheckNoMappingGiven(spec);
  top::HardwareOptions hardware;
  top::UseCyclopsSettings(spec.cyclops, hardware);
  top::Accelerator accelerator(*spec.architecture, hardware);
  RunContext context{accelerator, spec, options.objective, {}};
  const bool bound = options.bound && options.objective == mapping::Objective::kLatency;
  RerankResult result;
  std::vector<std::string> identities;  // per row
  double best = std::numeric_limits<double>::infinity();
  for (size_t i = 0; i < candidates.size() && static_cast<int>(result.rows.size()) < options.k; ++i) {
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
    identities.push_back(IdentityOf(accelerator, spec, candidate.mapping));
    const auto same = std::find(identities.begin(), identities.end() - 1, identities.back());
    if (!identities.back().empty() && same != identities.end() - 1) {
      const SimulatedCandidate& first = result.rows[same - identities.begin()];
      const SimulatedCandidate copy = row;
      row = first;  // its figures, stop or error
      row.analytical_rank = copy.analytical_rank;
      row.analytical_cycles = copy.analytical_cycles;
      row.analytical_energy_pj = copy.analytical_energy_pj;
      row.same_as = first.same_as > 0 ? first.same_as : first.analytical_rank;
    } else {
      const bool limited = bound && result.chosen >= 0;
      Simulate(context, candidate, dir, limited ? static_cast<models::Cycle>(best) : 0, row);
      if (row.stopped_at > 0) row.beaten_by = result.rows[result.chosen].analytical_rank;
    }
    // Ties go to the better analytical rank (the earlier row); a stopped run is slower than the best.
    if (row.error.empty() && row.stopped_at == 0 && row.objective < best) {
      best = row.objective;
      result.chosen = static_cast<int>(result.rows.size());
    }
    result.rows.push_back(row);
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
    if (row.stopped_at > 0) {
      std::snprintf(line, sizeof line,
                    "%s%4d %14lld   stopped at cycle %lld (at least %lld cycles): cannot beat #%d%s\n", mark,
                    row.analytical_rank, static_cast<long long>(row.analytical_cycles),
                    static_cast<long long>(row.stopped_at), static_cast<long long>(row.stopped_bound),
                    row.beaten_by, SameAs(row).c_str());
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
