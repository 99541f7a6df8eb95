#include "sim/top/map_first.h"

#include <algorithm>
#include <functional>
#include <optional>
#include <stdexcept>
#include <thread>

#include "sim/core/error.h"
#include "sim/mapping/mapping_yaml.h"
#include "sim/top/noc_bound_model.h"
#include "sim/top/simulatable.h"

namespace cyclops::top {

namespace {
constexpr int kFitCandidates = 64;  // the dense search's best mappings tried for the fit at density 1
}  // namespace

MapFirstResult MapFirst(const spec::Spec& spec, const MapFirstOptions& options) {
  mapping::MapperOptions mapper;
  mapper.objective = spec.energy ? mapping::Objective::kEdp : mapping::Objective::kLatency;
  mapper.seed = spec.cyclops.seed;
  mapper.evaluations = options.evaluations;
  mapper.threads = options.threads > 0 ? options.threads
                                       : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  mapper.top = 1;
  // A sparse spec whose problem declares its densities is mapped by the sparse model. One that declares
  // none (a network layer, whose zeros are not known before it runs) is searched by the dense model and
  // given the best of its kFitCandidates best mappings whose compressed tiles and metadata fit at density
  // 1, where they are largest, so that it fits whatever zeros the data brings. Scored by the sparse model
  // at density 1, or with the fit required of every candidate, the search settled far from the best (on
  // eyeriss_v2_sparse, AlexNet conv4: 7.0 M and 4.7 M analytical cycles against the 0.40 M this finds).
  const bool declared = spec.workload->HasSparseDensities();
  const bool fit_at_density_1 = spec.sparse && !declared;
  if (spec.sparse && declared) mapper.sparse = &*spec.sparse;
  if (fit_at_density_1) mapper.top = kFitCandidates;
  SimulatableCheck simulatable(*spec.architecture, *spec.workload, options.use_noc, options.noc_params,
                               spec.sparse ? &*spec.sparse : nullptr);
  if (options.simulatable_only) mapper.admissible = std::ref(simulatable);
  auto fits = [&spec](const spec::Mapping& m) {
    try {
      analysis::Analyze(*spec.architecture, *spec.workload, m, nullptr, &*spec.sparse);
      return true;
    } catch (const SpecError&) {
      return false;
    }
  };
  // The run goes over the NoC: the objective sees its bound (sim/analysis/noc_bound.h).
  std::optional<NocBoundModel> noc_bound;
  if (options.use_noc && spec.architecture->noc) {
    noc_bound.emplace(*spec.architecture, *spec.workload, options.noc_params);
    mapper.refine = [&noc_bound](const spec::Mapping& m, analysis::AnalysisResult& r) {
      noc_bound->Apply(m, r);
    };
  }
  auto search = [&] {
    return mapping::SearchMappings(*spec.architecture, *spec.workload, spec.energy ? &*spec.energy : nullptr,
                                   mapper);
  };
  mapping::MapperResult found = search();
  const mapping::MappingCandidate* chosen = found.best.empty() ? nullptr : &found.best.front();
  if (fit_at_density_1) {
    chosen = nullptr;
    for (const mapping::MappingCandidate& candidate : found.best)
      if (fits(candidate.mapping)) {
        chosen = &candidate;
        break;
      }
    if (!chosen) {  // none of them fits: search again among the mappings that do
      mapper.top = 1;
      mapper.admissible = [&](const spec::Mapping& m, const analysis::AnalysisResult& r) {
        return (!options.simulatable_only || simulatable(m, r)) && fits(m);
      };
      found = search();
      chosen = found.best.empty() ? nullptr : &found.best.front();
    }
  }
  if (!chosen)
    throw std::runtime_error("no mapping given and the mapper found none" +
                             std::string(options.simulatable_only ? " the simulator can run" : "") +
                             (fit_at_density_1 ? " whose compressed tiles fit at density 1" : "") + " in " +
                             std::to_string(found.evaluated) +
                             " evaluations: raise --map-evaluations or pass a mapping");
  const mapping::MappingCandidate& best = *chosen;
  MapFirstResult result;
  result.mapping = best.mapping;
  result.yaml = mapping::MappingYaml(*spec.architecture, *spec.workload, best.mapping);
  result.objective = mapper.objective;
  result.analytical_cycles = best.result.cycles;
  result.summary = "the mapper chose this one (objective " + mapping::ObjectiveName(mapper.objective) +
                   ", seed " + std::to_string(mapper.seed) + ", " + std::to_string(found.evaluated) +
                   " evaluations, " + std::to_string(found.valid) + " valid" +
                   (options.simulatable_only ? " and simulatable" : "") + "; analytical cycles " +
                   std::to_string(best.result.cycles) + ")";
  return result;
}

}  // namespace cyclops::top
