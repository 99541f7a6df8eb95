// Simulation speed, measured (never asserted): one cycle-level run of a layer and the plain reference
// kernel on the same layer, in the same process, so the ratio between them is one run's ratio.
// SystemC elaborates once per process, so the simulation runs once; the kernel runs three times (best).
//
//   build/bench/cyclops_simulation_speed [FILES...]   (default: Timeloop's tutorial-06 Eyeriss-like layer)
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "sim/mapping/tensor_data.h"
#include "sim/spec/loader.h"
#include "sim/top/layer_simulation.h"

extern "C" int sc_main(int, char**) {
  return 1;
}

int main(int argc, char** argv) {
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
  std::vector<std::string> files(argv + 1, argv + argc);
  if (files.empty()) {
    const std::string dir = std::string(CYCLOPS_SOURCE_DIR) +
                            "/../shared/reference/timeloop/tutorial-06-mapper-convlayer-eyeriss/ref-output/";
    files = {dir + "parsed-processed-input.yaml", dir + "timeloop-mapper.map.yaml"};
  }
  const cyclops::spec::Spec spec = cyclops::spec::LoadSpecFiles(files);
  const cyclops::spec::Workload& workload = *spec.workload;

  using Clock = std::chrono::steady_clock;
  std::vector<cyclops::mapping::Tensor> tensors = cyclops::mapping::ShapeTensors(workload);
  cyclops::mapping::FillOperands(workload, 1, 8, tensors);
  double kernel_seconds = 1e30;
  for (int repeat = 0; repeat < 3; ++repeat) {
    const auto begin = Clock::now();
    const cyclops::mapping::Tensor result = cyclops::mapping::ReferenceResult(workload, tensors, 32);
    kernel_seconds = std::min(kernel_seconds, std::chrono::duration<double>(Clock::now() - begin).count());
    if (result.values.empty()) return 1;
  }

  const auto begin = Clock::now();
  cyclops::top::LayerSimulation simulation(*spec.architecture, workload, *spec.mapping, {});
  const cyclops::top::SimulationResult result = simulation.Run();
  const double total_seconds = std::chrono::duration<double>(Clock::now() - begin).count();

  const double macs = static_cast<double>(result.macs);
  std::printf("layer                      %s (%s)\n", workload.name.c_str(), files.front().c_str());
  std::printf("MACs                       %.0f\n", macs);
  std::printf("simulated cycles           %llu\n", static_cast<unsigned long long>(result.cycles));
  std::printf("simulation wall time       %.3f s (elaboration + run + output check %.3f s)\n",
              result.wall_seconds, total_seconds);
  std::printf("reference kernel wall time %.3f s (best of 3)\n", kernel_seconds);
  std::printf("(a) simulated MACs/s       %.3g\n", macs / result.wall_seconds);
  std::printf("(b) simulated cycles/s     %.3g\n", static_cast<double>(result.cycles) / result.wall_seconds);
  std::printf("(c) simulation / kernel    %.2f (sc_start to end; %.2f including elaboration and checks)\n",
              result.wall_seconds / kernel_seconds, total_seconds / kernel_seconds);
  std::printf("outputs                    %s\n", result.mismatch ? result.mismatch->c_str() : "bit-exact");
  return result.mismatch ? 3 : 0;
}
