// The architecture's NoC as the analytical model's NoC bound needs it (sim/analysis/noc_bound.h): for a
// mapping, per transfer (a data space filled into a level, or psums written back from it), how its
// multicast and reduction groups load the out ports of the topology. The groups and their routes are the
// ones the cycle-level engine plans (the compiled layer's transfer groups, NocBinding's endpoints, the
// topology's multicast and reduction trees), so the bound is the engine's own traffic ÷ bandwidth.
//
// Memoised on what decides the groups (each level's spatial loops with their axes and what it keeps) and
// thread-safe: the mapper asks for every candidate. A mapping the engine cannot place (a transfer the NoC
// cannot carry, several MACs under one innermost tile) gets no NoC bound; the mapper's admissibility rule
// (simulatable.h) rejects it anyway.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "sim/analysis/analysis.h"
#include "sim/analysis/noc_bound.h"
#include "sim/spec/specs.h"

namespace cyclops::noc::topology {
class Topology;
}

namespace cyclops::top {

class NocBinding;

class NocBoundModel {
 public:
  // The architecture must have a `noc:`. SpecError for a topology that cannot be built or whose PE array
  // is not the architecture's. `noc_params` replace or add builder parameters (`--noc-param`).
  NocBoundModel(const spec::Architecture& architecture, const spec::Workload& workload,
                std::map<std::string, spec::NocParamValue> noc_params = {});
  ~NocBoundModel();

  // The link loads of every transfer of `mapping` (empty when the engine cannot place it).
  analysis::NocLinks Links(const spec::Mapping& mapping);
  // Links() applied to an analysis of `mapping`: fills result.noc_bounds and result.noc_cycles.
  void Apply(const spec::Mapping& mapping, analysis::AnalysisResult& result);

 private:
  analysis::NocLinks Compute(const spec::Mapping& mapping) const;

  // Every root's routing trees, shared by all candidates and grown as they ask (noc_bound_model.cpp).
  class RouteSearches;

  const spec::Architecture& architecture_;
  const spec::Workload& workload_;
  std::unique_ptr<noc::topology::Topology> topology_;
  std::unique_ptr<NocBinding> binding_;
  std::mutex mutex_;
  std::map<std::string, analysis::NocLinks> memo_;
  std::unique_ptr<RouteSearches> searches_;
};

// The NoC bound for one analysis, when the architecture has a NoC and `use_noc` (not `--noc none`): what
// `cyclops analyze` and `cyclops run` add to the analytical model. Nothing happens without a NoC.
void AddNocBound(const spec::Architecture& architecture, const spec::Workload& workload,
                 const spec::Mapping& mapping, analysis::AnalysisResult& result, bool use_noc = true,
                 const std::map<std::string, spec::NocParamValue>& noc_params = {});

}  // namespace cyclops::top
