// Speed of one analytical evaluation on tutorial-06's Eyeriss-like 7-level mapping (target ≤ 50 µs).
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

}  // namespace

BENCHMARK_MAIN();
