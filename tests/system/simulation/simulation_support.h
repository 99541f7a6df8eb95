// Shared checks of the cycle-level simulation tests: run a layer in-process (one elaboration per test
// process; ctest runs every test in its own) and compare it with the analytical model.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sim/analysis/analysis.h"
#include "sim/spec/loader.h"
#include "sim/top/layer_simulation.h"

namespace cyclops::test {

struct SimulatedLayer {
  spec::Spec spec;
  analysis::AnalysisResult analysis;
  top::SimulationResult simulation;
};

inline SimulatedLayer SimulateFiles(const std::vector<std::string>& files,
                                    top::SimulationOptions options = {}) {
  SimulatedLayer layer{spec::LoadSpecFiles(files), {}, {}};
  layer.analysis = analysis::Analyze(*layer.spec.architecture, *layer.spec.workload, *layer.spec.mapping,
                                     layer.spec.energy ? &*layer.spec.energy : nullptr);
  top::LayerSimulation simulation(*layer.spec.architecture, *layer.spec.workload, *layer.spec.mapping,
                                  options);
  layer.simulation = simulation.Run();
  return layer;
}

// Every per-level read, fill and update counted by the simulated modules equals the analytical model's
// per-instance figure times its utilized instances.
inline void ExpectCountersEqualAnalysis(const SimulatedLayer& layer) {
  const auto& storage = layer.spec.architecture->storage;
  for (size_t level = 0; level < storage.size(); ++level)
    for (size_t d = 0; d < layer.spec.workload->data_spaces.size(); ++d) {
      const analysis::DataSpaceAccesses& a = layer.analysis.storage[level].data_spaces[d];
      const top::SimulatedAccesses& s = layer.simulation.accesses[level][d];
      ASSERT_EQ(a.kept, s.kept) << storage[level].name;
      if (!a.kept) continue;
      const std::string where = storage[level].name + " " + layer.spec.workload->data_spaces[d].name;
      EXPECT_EQ(s.instances, a.utilized_instances) << where;
      EXPECT_EQ(static_cast<int64_t>(s.reads), a.reads * a.utilized_instances) << where << " reads";
      EXPECT_EQ(static_cast<int64_t>(s.fills), a.fills * a.utilized_instances) << where << " fills";
      EXPECT_EQ(static_cast<int64_t>(s.updates), a.updates * a.utilized_instances) << where << " updates";
    }
  EXPECT_EQ(static_cast<int64_t>(layer.simulation.macs), layer.analysis.arithmetic.computes);
}

// The simulation's own account of its cycles: MAC-busy + every stall + drain = total.
inline models::Cycle FillStall(const top::SimulationResult& result) {
  for (const top::StallEntry& stall : result.stalls)
    if (stall.cause.rfind("pipeline fill", 0) == 0) return stall.cycles;
  return 0;
}

inline void ExpectStallsAccountForCycles(const top::SimulationResult& result) {
  models::Cycle accounted = result.compute_cycles + (result.cycles - result.pe_finished_at);
  for (const top::StallEntry& stall : result.stalls) accounted += stall.cycles;
  EXPECT_EQ(accounted, result.cycles);
}

}  // namespace cyclops::test
