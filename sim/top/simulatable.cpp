#include "sim/top/simulatable.h"

#include "sim/core/error.h"
#include "sim/mapping/layer_plan.h"
#include "sim/mapping/layer_program.h"
#include "sim/mapping/tensor_data.h"
#include "sim/top/noc_binding.h"

namespace cyclops::top {

void RefuseImperfectFactors(const spec::Workload& workload, const spec::Mapping& mapping) {
  for (const spec::LevelMapping& level : mapping.levels) {
    for (int d = 0; d < static_cast<int>(workload.dimensions.size()); ++d) {
      const bool temporal = level.TemporalResidual(d) != level.temporal_factors[d];
      const bool spatial = level.SpatialResidual(d) != level.spatial_factors[d];
      if (!temporal && !spatial) continue;
      const int64_t factor = temporal ? level.temporal_factors[d] : level.spatial_factors[d];
      const int64_t residual = temporal ? level.TemporalResidual(d) : level.SpatialResidual(d);
      throw SpecError(temporal ? level.temporal_where : level.spatial_where,
                      "the " + std::string(temporal ? "temporal" : "spatial") + " factor " +
                          workload.dimensions[d] + "=" + std::to_string(factor) + "," +
                          std::to_string(residual) +
                          " is imperfect (its last iteration is partial): the cycle-level simulator does not "
                          "run imperfect factors yet",
                      "cyclops analyze for this mapping, or factors that divide the bounds for cyclops run");
    }
  }
}

namespace {

std::optional<std::string> RefusalOn(const spec::Architecture& architecture, const spec::Workload& workload,
                                     const spec::Mapping& mapping, const analysis::AnalysisResult& analysis,
                                     const noc::topology::Topology* topology, NocReachability* reachability) {
  try {
    RefuseImperfectFactors(workload, mapping);
    const mapping::LayerPlan plan(architecture, workload, mapping);
    if (topology) {
      const NocBinding binding(*topology, *architecture.noc, architecture);
      binding.CheckModes(workload, mapping::CompileLayer(plan, binding.layout(), 32));
      const int result = mapping::RolesOf(workload).result;
      CheckNocRoutes(binding, plan, *architecture.noc, *reachability,
                     [&](int level) { return analysis.storage[level].data_spaces[result].fills; });
    }
  } catch (const SpecError& refused) {
    return refused.problem();
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> Refusal(const spec::Architecture& architecture, const spec::Workload& workload,
                                   const spec::Mapping& mapping, const analysis::AnalysisResult& analysis,
                                   bool use_noc,
                                   const std::map<std::string, spec::NocParamValue>& noc_params) {
  if (!use_noc || !architecture.noc)
    return RefusalOn(architecture, workload, mapping, analysis, nullptr, nullptr);
  const noc::topology::Topology topology = BuildNocTopology(*architecture.noc, noc_params);
  NocReachability reachability(topology);
  return RefusalOn(architecture, workload, mapping, analysis, &topology, &reachability);
}

SimulatableCheck::SimulatableCheck(const spec::Architecture& architecture, const spec::Workload& workload,
                                   bool use_noc, std::map<std::string, spec::NocParamValue> noc_params)
    : architecture_(architecture),
      workload_(workload),
      use_noc_(use_noc),
      noc_params_(std::move(noc_params)) {
  if (use_noc_ && architecture_.noc) {
    topology_ = std::make_unique<noc::topology::Topology>(BuildNocTopology(*architecture_.noc, noc_params_));
    reachability_ = std::make_unique<NocReachability>(*topology_);
  }
}

SimulatableCheck::~SimulatableCheck() = default;

bool SimulatableCheck::operator()(const spec::Mapping& mapping, const analysis::AnalysisResult& analysis) {
  if (mapping.Imperfect()) return false;  // not cached below: the key ignores residuals
  // The key: per level, what it keeps, its spatial loops in order with their axes, and whether the
  // result is filled (read back) there. Temporal factors change neither the groups nor the routes.
  std::string key;
  for (size_t level = 0; level < mapping.levels.size(); ++level) {
    const spec::LevelMapping& directives = mapping.levels[level];
    for (bool keep : directives.keep) key += keep ? 'k' : '-';
    for (size_t position = 0; position < directives.spatial_permutation.size(); ++position) {
      const int d = directives.spatial_permutation[position];
      if (directives.spatial_factors[d] <= 1) continue;
      key += std::to_string(d) + (static_cast<int>(position) < directives.spatial_split ? 'x' : 'y') +
             std::to_string(directives.spatial_factors[d]) + ',';
    }
    for (const analysis::DataSpaceAccesses& access : analysis.storage[level].data_spaces)
      if (access.kept) key += access.fills > 0 ? 'f' : '.';
    key += '|';
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = memo_.find(key);
    if (it != memo_.end()) return it->second;
  }
  // Computed outside the lock; two threads may compute the same key, and get the same answer.
  const bool simulatable =
      !RefusalOn(architecture_, workload_, mapping, analysis, topology_.get(), reachability_.get());
  std::lock_guard<std::mutex> lock(mutex_);
  memo_.emplace(key, simulatable);
  return simulatable;
}

}  // namespace cyclops::top
