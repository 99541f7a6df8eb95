#include "sim/top/simulatable.h"

#include <charconv>
#include <mutex>

#include "sim/core/error.h"
#include "sim/mapping/layer_plan.h"
#include "sim/mapping/layer_program.h"
#include "sim/mapping/tensor_data.h"
#include "sim/top/noc_binding.h"

namespace cyclops::top {

namespace {

struct ImperfectFactor {
  const spec::LevelMapping* level = nullptr;  // null: every factor divides its bound
  int dimension = -1;
  bool temporal = false;
};

ImperfectFactor FirstImperfectFactor(const spec::Workload& workload, const spec::Mapping& mapping) {
  for (const spec::LevelMapping& level : mapping.levels)
    for (int d = 0; d < static_cast<int>(workload.dimensions.size()); ++d) {
      if (level.TemporalResidual(d) != level.temporal_factors[d]) return {&level, d, true};
      if (level.SpatialResidual(d) != level.spatial_factors[d]) return {&level, d, false};
    }
  return {};
}

// The level an optimization written at `level` acts on for `data_space`: the nearest at or above it that
// keeps the data space (Sparseloop's target tile).
int TargetLevel(const mapping::LayerPlan& plan, int data_space, int level) {
  for (int kept : plan.Chain(data_space))
    if (kept >= level) return kept;
  return -1;
}

}  // namespace

void RefuseImperfectSparse(const spec::Workload& workload, const spec::Mapping& mapping, bool sparse) {
  if (!sparse) return;
  const ImperfectFactor found = FirstImperfectFactor(workload, mapping);
  if (!found.level) return;
  const spec::LevelMapping& level = *found.level;
  const int d = found.dimension;
  const int64_t factor = found.temporal ? level.temporal_factors[d] : level.spatial_factors[d];
  const int64_t residual = found.temporal ? level.TemporalResidual(d) : level.SpatialResidual(d);
  throw SpecError(found.temporal ? level.temporal_where : level.spatial_where,
                  "the " + std::string(found.temporal ? "temporal" : "spatial") + " factor " +
                      workload.dimensions[d] + "=" + std::to_string(factor) + "," + std::to_string(residual) +
                      " is imperfect (its last iteration is partial): imperfect factors are simulated and "
                      "analysed on dense data only, not with sparse optimizations",
                  "factors that divide the bounds, or no sparse_optimizations");
}

void RefuseSharedOptimizedReads(const spec::Architecture& architecture, const spec::Workload& workload,
                                const mapping::LayerPlan& plan, const spec::SparseOptimizations* sparse) {
  if (!sparse) return;
  const mapping::OperandRoles roles = mapping::RolesOf(workload);
  // Per data space and MAC: 1 when the MAC leads its group (reads the shared operand for it), as the
  // compiled program's PeAssignment::counts_accesses.
  std::vector<std::vector<uint8_t>> leads(workload.data_spaces.size());
  auto leading = [&](int d) -> const std::vector<uint8_t>& {
    if (leads[d].empty()) {
      leads[d].assign(static_cast<size_t>(plan.Instances(-1)), 0);
      for (const mapping::ChildGroup& group : plan.MacGroups(d)) leads[d][group.children.front()] = 1;
    }
    return leads[d];
  };
  for (const spec::StorageSparseSpec& level : sparse->levels)
    for (const auto* actions : {&level.gating, &level.skipping})
      for (const spec::ActionOptimizationSpec& action : *actions) {
        // Other shapes are refused with their own reason when the PEs' sparsity is planned (sparse_plan.h).
        if (action.options.size() != 1) continue;
        const spec::ConditionedOnSpec& option = action.options.front();
        const int operand_level = plan.Chain(option.target).front();
        if (TargetLevel(plan, option.target, level.level) != operand_level) continue;
        const std::vector<uint8_t>& target_leads = leading(option.target);
        for (int condition : option.condition_on) {
          if (condition != roles.first && condition != roles.second) continue;
          const std::vector<uint8_t>& condition_leads = leading(condition);
          for (size_t mac = 0; mac < target_leads.size(); ++mac) {
            // A partner sharing its leader's read of the target, yet leading its own conditioned-on value.
            if (target_leads[mac] || !condition_leads[mac]) continue;
            const std::string kind = action.skipping ? "skipping" : "gating";
            const std::string& target = workload.data_spaces[option.target].name;
            const std::string& on = workload.data_spaces[condition].name;
            const std::string& at = architecture.storage[operand_level].name;
            throw SpecError(option.where,
                            "cyclops run: " + kind + " of " + target + " on " + on +
                                ", but the mapping has several MACs share one " + target + " read at '" + at +
                                "' while each multiplies its own " + on +
                                " (the read is optimized away only when all their values are zero; not "
                                "simulated)",
                            "a mapping whose fan-out below '" + at + "' splits no dimension " + on +
                                " depends on and " + target + " does not, or no " + kind + " there");
          }
        }
      }
}

namespace {

// `binding`: the NoC binding when the caller built it already (it depends on the topology, not on the
// mapping), else null to build it here.
std::optional<std::string> RefusalOn(const spec::Architecture& architecture, const spec::Workload& workload,
                                     const spec::Mapping& mapping, const analysis::AnalysisResult& analysis,
                                     const noc::topology::Topology* topology, const NocBinding* binding,
                                     NocReachability* reachability, const spec::SparseOptimizations* sparse) {
  try {
    const mapping::LayerPlan plan(architecture, workload, mapping);
    RefuseSharedOptimizedReads(architecture, workload, plan, sparse);
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
                                   bool use_noc, const spec::SparseOptimizations* sparse,
                                   const std::map<std::string, spec::NocParamValue>& noc_params) {
  try {
    RefuseImperfectSparse(workload, mapping, sparse != nullptr);
  } catch (const SpecError& refused) {
    return refused.problem();
  }
  if (!use_noc || !architecture.noc)
    return RefusalOn(architecture, workload, mapping, analysis, nullptr, nullptr, nullptr, sparse);
  const noc::topology::Topology topology = BuildNocTopology(*architecture.noc, noc_params);
  NocReachability reachability(topology);
  return RefusalOn(architecture, workload, mapping, analysis, &topology, nullptr, &reachability, sparse);
}

SimulatableCheck::SimulatableCheck(const spec::Architecture& architecture, const spec::Workload& workload,
                                   bool use_noc, std::map<std::string, spec::NocParamValue> noc_params,
                                   const spec::SparseOptimizations* sparse)
    : architecture_(architecture),
      workload_(workload),
      use_noc_(use_noc),
      sparse_(sparse),
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
  // Temporal residuals are not in the key below: imperfect factors are checked before it, per candidate.
  if (sparse_ && FirstImperfectFactor(workload_, mapping).level) return false;
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
                             reachability_.get(), sparse_);
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
