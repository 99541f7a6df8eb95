// Speed of one analytical evaluation on tutorial-06's Eyeriss-like 7-level mapping (target ≤ 50 µs): a
// fresh Analyze() per call, and an Evaluator reused as the mapper does.
#include <benchmark/benchmark.h>

#include "sim/analysis/analysis.h"
#include "sim/spec/loader.h"

namespace {

void BM_AnalyzeEyerissTutorial06(benchmark::State& state) {
  const std::string folder = std::string(CYCLOPS_SOURCE_DIR) +
                             "/../shared/reference/timeloop/tutorial-06-mapper-convlayer-eyeriss/ref-output/";
  const cyclops::spec::Spec spec = cyclops::spec::LoadSpecFiles({folder + "parsed-processed-input.yaml",
                                                                 folder + "timeloop-mapper.map.yaml",
                                                                 folder + "timeloop-mapper.ERT.yaml"});
  for (auto _ : state) {
    auto result =
        cyclops::analysis::Analyze(*spec.architecture, *spec.workload, *spec.mapping, &*spec.energy);
    benchmark::DoNotOptimize(result);
  }
  state.SetLabel("us/evaluation");
}
BENCHMARK(BM_AnalyzeEyerissTutorial06)->Unit(benchmark::kMicrosecond);

// The same evaluation as the mapper makes it: one Evaluator reused, no loop text.
void BM_EvaluateEyerissTutorial06(benchmark::State& state) {
  const std::string folder = std::string(CYCLOPS_SOURCE_DIR) +
                             "/../shared/reference/timeloop/tutorial-06-mapper-convlayer-eyeriss/ref-output/";
  const cyclops::spec::Spec spec = cyclops::spec::LoadSpecFiles({folder + "parsed-processed-input.yaml",
                                                                 folder + "timeloop-mapper.map.yaml",
                                                                 folder + "timeloop-mapper.ERT.yaml"});
  cyclops::analysis::Evaluator evaluator(*spec.architecture, *spec.workload, &*spec.energy);
  cyclops::analysis::AnalysisResult result;
  for (auto _ : state) {
    const bool fits = evaluator.Evaluate(*spec.mapping, result, /*describe=*/false);
    benchmark::DoNotOptimize(fits);
    benchmark::DoNotOptimize(result.energy_pj);
  }
  state.SetLabel("us/evaluation");
}
BENCHMARK(BM_EvaluateEyerissTutorial06)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
