// Whether the cycle-level simulator can run a mapping, asked before it is handed over: by `cyclops run`
// when it maps first, by `cyclops map --sim-rerank`, and by the mapper itself (MapperOptions::admissible),
// so a search on an architecture with a NoC only keeps mappings that NoC can carry (Eyeriss v2's psums
// only run down a PE column: a mapping that reduces across columns is not a v2 mapping).
// Plain C++, no SystemC.
#pragma once

#include <condition_variable>
#include <map>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>

#include "noc/topology/topology.h"
#include "sim/analysis/analysis.h"
#include "sim/spec/specs.h"

namespace cyclops::mapping {
class LayerPlan;
}

namespace cyclops::top {

class NocBinding;
class NocReachability;

// SpecError at the directive that wrote it when `mapping` has an imperfect factor (a residual, "Q=14,13")
// and the layer has sparse optimizations: the cycle-level engine clips an imperfect nest's tiles and MAC
// bursts at the bounds (LayerProgram::imperfect) on dense data only, as the analytical model does.
void RefuseImperfectSparse(const spec::Workload& workload, const spec::Mapping& mapping, bool sparse);

// SpecError at the option when a gated or skipped operand read at the MACs' level is shared by a MAC group
// (one weight read for the SIMD pair, say) whose members multiply different conditioned-on values: the
// PE model counts such a read by the group leader's operands, but it is optimized away only when all the
// partners' values are zero. Not modelled, so refused, never miscounted. Nothing when `sparse` is null.
void RefuseSharedOptimizedReads(const spec::Architecture& architecture, const spec::Workload& workload,
                                const mapping::LayerPlan& plan, const spec::SparseOptimizations* sparse);

// Why the simulator cannot run `mapping` (several MACs under one innermost tile, a transfer the NoC
// cannot carry, psums read back down a network that only carries them up, imperfect factors on a layer
// with sparse optimizations, a skipped read shared by MACs on different values), or nothing when it can.
// `analysis` is the analytical model's result for the mapping (its fills tell where psums come back);
// `sparse`: the layer's sparse optimizations, null when it has none.
std::optional<std::string> Refusal(const spec::Architecture& architecture, const spec::Workload& workload,
                                   const spec::Mapping& mapping, const analysis::AnalysisResult& analysis,
                                   bool use_noc, const spec::SparseOptimizations* sparse,
                                   const std::map<std::string, spec::NocParamValue>& noc_params = {});

// Refusal as a thread-safe, memoised predicate for the mapper: the answer depends only on the spatial
// loops, what each level keeps and where psums are read back, so candidates that share those share one
// check (building a topology costs milliseconds; the mapper evaluates thousands of candidates). Answers
// already known are read under a shared lock, so the mapper's threads do not queue for them; an answer
// being computed is waited for, not computed twice.
class SimulatableCheck {
 public:
  // `sparse`: the layer's sparse optimizations (null: none), which refuse some sharing and imperfect factors.
  SimulatableCheck(const spec::Architecture& architecture, const spec::Workload& workload, bool use_noc,
                   std::map<std::string, spec::NocParamValue> noc_params = {},
                   const spec::SparseOptimizations* sparse = nullptr);
  ~SimulatableCheck();
  bool operator()(const spec::Mapping& mapping, const analysis::AnalysisResult& analysis);

 private:
  const spec::Architecture& architecture_;
  const spec::Workload& workload_;
  bool use_noc_;
  const spec::SparseOptimizations* sparse_;
  std::map<std::string, spec::NocParamValue> noc_params_;
  struct Answer {
    // kComputing while the first thread to ask works it out; kAbandoned when that failed (not a refusal:
    // an exception), so that whoever waited computes it alone.
    enum State { kComputing, kKnown, kAbandoned } state = kComputing;
    bool simulatable = false;
  };
  std::shared_mutex mutex_;
  std::condition_variable_any known_;
  std::unordered_map<std::string, Answer> memo_;
  // The NoC, built once for all candidates, where the levels sit on it, and which nodes reach which.
  std::unique_ptr<noc::topology::Topology> topology_;
  std::unique_ptr<NocBinding> binding_;
  std::unique_ptr<NocReachability> reachability_;
};

}  // namespace cyclops::top
