// Simulation speed, measured (never asserted): one cycle-level run of a layer and the plain reference
// kernel on the same layer, in the same process, so the ratio between them is one run's ratio.
// SystemC elaborates once per process, so the simulation runs once; the kernel runs three times (best).
//
//   build/bench/cyclops_simulation_speed [FILES...]   (default: Timeloop's tutorial-06 Eyeriss-like layer)
//   build/bench/cyclops_simulation_speed --floor      (the floor's ns per MAC alone)
//   build/bench/cyclops_simulation_speed --kernel [FILES...]  (the reference kernel against the floor alone)
#include <algorithm>
#include <chrono>
#include <cstdint>
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

namespace {

// The floor the speed targets are set against (issue 10): the MACs done once each in a plain loop,
// compiled -O3 like the rest: a direct convolution, 16-bit operands, 32-bit sums, bounds known only at
// run time. Returns nanoseconds per MAC (best of 3).
double FloorNanosecondsPerMac() {
  const int64_t M = 64, C = 64, R = 3, S = 3, P = 56, Q = 56, W = P + R - 1, H = Q + S - 1;
  volatile int64_t runtime_one = 1;  // keeps the bounds unknown to the compiler
  const int64_t one = runtime_one;
  std::vector<int16_t> weights(M * C * R * S), inputs(C * W * H);
  std::vector<int32_t> outputs(M * P * Q);
  for (size_t i = 0; i < weights.size(); ++i) weights[i] = static_cast<int16_t>(i * 7 % 23 - 11);
  for (size_t i = 0; i < inputs.size(); ++i) inputs[i] = static_cast<int16_t>(i * 5 % 19 - 9);
  double best = 1e30;
  for (int repeat = 0; repeat < 3; ++repeat) {
    std::fill(outputs.begin(), outputs.end(), 0);
    const auto begin = std::chrono::steady_clock::now();
    for (int64_t m = 0; m < M * one; ++m)
      for (int64_t c = 0; c < C * one; ++c)
        for (int64_t r = 0; r < R * one; ++r)
          for (int64_t s = 0; s < S * one; ++s) {
            const int32_t w = weights[((m * C + c) * R + r) * S + s];
            for (int64_t p = 0; p < P * one; ++p)
              for (int64_t q = 0; q < Q * one; ++q)
                outputs[(m * P + p) * Q + q] += w * inputs[(c * W + p + r) * H + q + s];
          }
    best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count());
  }
  int64_t checksum = 0;
  for (int32_t value : outputs) checksum += value;
  if (checksum == 42) std::printf(" ");  // the sums are used
  return best * 1e9 / static_cast<double>(M * C * R * S * P * Q);
}

}  // namespace

int main(int argc, char** argv) {
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
  std::vector<std::string> files(argv + 1, argv + argc);
  if (files.size() == 1 && files[0] == "--floor") {  // the floor alone, for scripts/bench's network ratios
    std::printf("%.4f\n", FloorNanosecondsPerMac());
    return 0;
  }
  const bool kernel_only = !files.empty() && files[0] == "--kernel";
  if (kernel_only) files.erase(files.begin());
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

  if (kernel_only) {
    const double kernel_ns = kernel_seconds * 1e9 / static_cast<double>(workload.TotalOperations());
    const double floor_ns = FloorNanosecondsPerMac();
    std::printf("reference kernel %.3f ns/MAC, floor %.3f ns/MAC: %.2f x the floor\n", kernel_ns, floor_ns,
                kernel_ns / floor_ns);
    return 0;
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
  const double floor_seconds = FloorNanosecondsPerMac() * macs * 1e-9;
  std::printf("floor (plain -O3 loop)     %.3f s (%.3f ns/MAC)\n", floor_seconds, floor_seconds * 1e9 / macs);
  std::printf("(d) simulation / floor     %.1f (sc_start to end; %.1f including elaboration and checks)\n",
              result.wall_seconds / floor_seconds, total_seconds / floor_seconds);
  std::printf("outputs                    %s\n", result.mismatch ? result.mismatch->c_str() : "bit-exact");
  return result.mismatch ? 3 : 0;
}
