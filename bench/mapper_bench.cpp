// Speed of the mapper's search on Timeloop's tutorial-06 (VGG02 layer 5 on the Eyeriss-like array, its
// mapspace constraints and ERT), on 1 and 2 threads: evaluations per second of wall time, and the
// process's CPU time (all threads) per search.
//   BM_MapTutorial06:      the tutorial's own mapper settings (metrics delay then energy, timeout 15000,
//                          victory_condition 500) within the default budget of 20,000 evaluations,
//                          what `cyclops map` runs on its files;
//   BM_MapFirstTutorial06: the search `cyclops run` / `cyclops network` make when no mapping is given
//                          (objective EDP, 20,000 evaluations, the best one kept), without a NoC check.
#include <benchmark/benchmark.h>

#include "sim/mapping/mapper.h"
#include "sim/spec/loader.h"

namespace {

using cyclops::mapping::MapperOptions;

const cyclops::spec::Spec& Tutorial06() {
  static const cyclops::spec::Spec spec = [] {
    const std::string folder =
        std::string(CYCLOPS_SOURCE_DIR) +
        "/../shared/reference/timeloop/tutorial-06-mapper-convlayer-eyeriss/ref-output/";
    return cyclops::spec::LoadSpecFiles(
        {folder + "parsed-processed-input.yaml", folder + "timeloop-mapper.ERT.yaml"});
  }();
  return spec;
}

void RunSearch(benchmark::State& state, MapperOptions options) {
  const cyclops::spec::Spec& spec = Tutorial06();
  options.threads = static_cast<int>(state.range(0));
  int64_t evaluated = 0;
  for (auto _ : state) {
    const cyclops::mapping::MapperResult result =
        cyclops::mapping::SearchMappings(*spec.architecture, *spec.workload, &*spec.energy, options);
    evaluated += result.evaluated;
    benchmark::DoNotOptimize(result.best.front().objective);
  }
  state.counters["evaluations/s"] =
      benchmark::Counter(static_cast<double>(evaluated), benchmark::Counter::kIsRate);
}

void BM_MapTutorial06(benchmark::State& state) {
  const cyclops::spec::Spec& spec = Tutorial06();
  MapperOptions options;  // as `cyclops map` reads the tutorial's mapper section
  options.metrics = cyclops::mapping::ParseMetrics(spec.mapper->metrics,
                                                   static_cast<int>(spec.architecture->storage.size()));
  options.timeout = spec.mapper->timeout;
  options.victory_condition = spec.mapper->victory_condition.value_or(0);
  RunSearch(state, options);
}
BENCHMARK(BM_MapTutorial06)
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MeasureProcessCPUTime();

void BM_MapFirstTutorial06(benchmark::State& state) {
  MapperOptions options;
  options.top = 1;
  RunSearch(state, options);
}
BENCHMARK(BM_MapFirstTutorial06)
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MeasureProcessCPUTime();

}  // namespace
