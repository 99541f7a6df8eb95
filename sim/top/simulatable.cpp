#include "sim/top/simulatable.h"

#include <charconv>
#include <mutex>

#include "sim/core/error.h"
#include "sim/mapping/layer_plan.h"
#include "sim/mapping/layer_program.h"
#include "sim/mapping/tensor_data.h"
#include "sim/top/noc_binding.h"

namespace cyclops::top {

void RefuseImperfectSparse(const spec::Workload& workload, const spec::Mapping& mapping, bool sparse) {
  if (!sparse) return;
  for (const spec::LevelMapping& level : mapping.levels) {
    for (int d = 0; d < static_cast<int>(workload.dimensions.size()); ++d) {
      const bool temporal = level.TemporalResidual(d) != level.temporal_factors[d];
      const bool spatial = level.SpatialResidual(d) != level.spatial_factors[d];
      if (!temporal && !spatial) continue;
      const int64_t factor = temporal ? level.temporal_factors[d] : level.spatial_factors[d];
      const int64_t residual = temporal ? level.TemporalResidual(d) : level.SpatialResidual(d);
      throw SpecError(
          temporal ? level.temporal_where : level.spatial_where,
          "the " + std::string(temporal ? "temporal" : "spatial") + " factor " + workload.dimensions[d] +
              "=" + std::to_string(factor) + "," + std::to_string(residual) +
              " is imperfect (its last iteration is partial): imperfect factors are simulated and "
              "analysed on dense data only, not with sparse optimizations",
          "factors that divide the bounds, or no sparse_optimizations");
    }
  }
}

namespace {

// `binding`: the NoC binding when the caller built it already (it depends on the topology, not on the
// mapping), else null to build it here.
std::optional<std::string> RefusalOn(const spec::Architecture& architecture, const spec::Workload& workload,
                                     const spec::Mapping& mapping, const analysis::AnalysisResult& analysis,
                                     const noc::topology::Topology* topology, const NocBinding* binding,
                                     NocReachability* reachability) {
  try {
    const mapping::LayerPlan plan(architecture, workload, mapping);
    mapping::CheckPeClusters(plan, binding ? binding->layout() : mapping::HardwareLayout(architecture));
    if (topology) {
      std::optional<NocBinding> built;
      if (!binding) binding = &built.emplace(*topology, *architecture.noc, architecture);
      binding->CheckModes(workload, plan);
      const int result = mapping::RolesOf(workload).result;
      CheckNocRoutes(*binding, plan, *architecture.noc, *reachability,
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
                                   bool use_noc, bool sparse,
                                   const std::map<std::string, spec::NocParamValue>& noc_params) {
  try {
    RefuseImperfectSparse(workload, mapping, sparse);
  } catch (const SpecError& refused) {
    return refused.problem();
  }
  if (!use_noc || !architecture.noc)
    return RefusalOn(architecture, workload, mapping, analysis, nullptr, nullptr, nullptr);
  const noc::topology::Topology topology = BuildNocTopology(*architecture.noc, noc_params);
  NocReachability reachability(topology);
  return RefusalOn(architecture, workload, mapping, analysis, &topology, nullptr, &reachability);
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
    try {
      binding_ = std::make_unique<NocBinding>(*topology_, *architecture_.noc, architecture_);
    } catch (const SpecError&) {
      // Left null: every check builds it again and is refused with its error, as without the memo.
    }
  }
}

SimulatableCheck::~SimulatableCheck() = default;

bool SimulatableCheck::operator()(const spec::Mapping& mapping, const analysis::AnalysisResult& analysis) {
  // The key: per level, what it keeps, its spatial loops in order with their axes (and residuals), and
  // whether the result is filled (read back) there. Temporal factors change neither the groups nor the
  // routes.
  // Built in a buffer of the calling thread: asked for every valid candidate, it allocates nothing.
  thread_local std::string key;
  key.clear();
  auto append_number = [](std::string& text, int64_t number) {
    char digits[24];
    text.append(digits, std::to_chars(digits, digits + sizeof digits, number).ptr);
  };
  for (size_t level = 0; level < mapping.levels.size(); ++level) {
    const spec::LevelMapping& directives = mapping.levels[level];
    for (bool keep : directives.keep) key += keep ? 'k' : '-';
    for (size_t position = 0; position < directives.spatial_permutation.size(); ++position) {
      const int d = directives.spatial_permutation[position];
      if (directives.spatial_factors[d] <= 1) continue;
      append_number(key, d);
      key += static_cast<int>(position) < directives.spatial_split ? 'x' : 'y';
      append_number(key, directives.spatial_factors[d]);
      if (directives.SpatialResidual(d) != directives.spatial_factors[d])
        key += 'r', append_number(key, directives.SpatialResidual(d));
      key += ',';
    }
    for (const analysis::DataSpaceAccesses& access : analysis.storage[level].data_spaces)
      if (access.kept) key += access.fills > 0 ? 'f' : '.';
    key += '|';
  }
  {
    std::shared_lock<std::shared_mutex> lock(mutex_);
    auto it = memo_.find(key);
    if (it != memo_.end() && it->second.state == Answer::kKnown) return it->second.simulatable;
  }
  // The first thread to miss a key computes it, outside the lock; any other asking meanwhile waits for
  // that answer rather than computing it again.
  Answer* mine = nullptr;
  {
    std::unique_lock<std::shared_mutex> lock(mutex_);
    auto [it, first] = memo_.try_emplace(key);
    Answer* answer = &it->second;  // stays put when the table rehashes
    if (first) {
      mine = answer;
    } else {
      known_.wait(lock, [&] { return answer->state != Answer::kComputing; });
      if (answer->state == Answer::kKnown) return answer->simulatable;
      // Abandoned: the thread computing it failed; compute it here, without the memo.
    }
  }
  bool simulatable;
  try {
    simulatable = !RefusalOn(architecture_, workload_, mapping, analysis, topology_.get(), binding_.get(),
                             reachability_.get());
  } catch (...) {  // not a refusal (e.g. out of memory)
    if (mine) {
      {
        std::unique_lock<std::shared_mutex> lock(mutex_);
        mine->state = Answer::kAbandoned;
      }
      known_.notify_all();
    }
    throw;
  }
  if (mine) {
    {
      std::unique_lock<std::shared_mutex> lock(mutex_);
      mine->simulatable = simulatable;
      mine->state = Answer::kKnown;
    }
    known_.notify_all();
  }
  return simulatable;
}

}  // namespace cyclops::top
