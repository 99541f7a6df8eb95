#include "sim/top/map_first.h"

#include <algorithm>
#include <functional>
#include <optional>
#include <stdexcept>
#include <thread>

#include "sim/mapping/mapping_yaml.h"
#include "sim/top/noc_bound_model.h"
#include "sim/top/simulatable.h"

namespace cyclops::top {

MapFirstResult MapFirst(const spec::Spec& spec, const MapFirstOptions& options) {
  mapping::MapperOptions mapper;
  mapper.objective = spec.energy ? mapping::Objective::kEdp : mapping::Objective::kLatency;
  mapper.seed = spec.cyclops.seed;
  mapper.evaluations = options.evaluations;
  mapper.threads = options.threads > 0 ? options.threads
                                       : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  mapper.top = 1;
  // A sparse spec is mapped by the sparse model, so the chosen tiles fit with their metadata; a problem
  // that declares no densities (a network layer, whose zeros are not known yet) is mapped at density 1,
  // where compressed tiles and their metadata are largest.
  mapper.sparse = spec.sparse ? &*spec.sparse : nullptr;
  SimulatableCheck simulatable(*spec.architecture, *spec.workload, options.use_noc, options.noc_params);
  if (options.simulatable_only) mapper.admissible = std::ref(simulatable);
  // The run goes over the NoC: the objective sees its bound (sim/analysis/noc_bound.h).
  std::optional<NocBoundModel> noc_bound;
  if (options.use_noc && spec.architecture->noc) {
    noc_bound.emplace(*spec.architecture, *spec.workload, options.noc_params);
    mapper.refine = [&noc_bound](const spec::Mapping& m, analysis::AnalysisResult& r) {
      noc_bound->Apply(m, r);
    };
  }
  const mapping::MapperResult found = mapping::SearchMappings(*spec.architecture, *spec.workload,
                                                              spec.energy ? &*spec.energy : nullptr, mapper);
  if (found.best.empty())
    throw std::runtime_error("no mapping given and the mapper found none" +
                             std::string(options.simulatable_only ? " the simulator can run" : "") + " in " +
                             std::to_string(found.evaluated) +
                             " evaluations: raise --map-evaluations or pass a mapping");
  const mapping::MappingCandidate& best = found.best.front();
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
