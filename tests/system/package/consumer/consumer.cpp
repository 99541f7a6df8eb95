// A program of another project on the installed Cyclops library: loads specs, analyses a mapping, simulates
// the layer cycle by cycle, runs a small network, and lists what registered itself (registrations are
// static initialisers: they survive only a whole-archive link). Prints one line per result for the test.
#include <cstdio>
#include <string>

#include "sim/analysis/analysis.h"
#include "sim/network/network.h"
#include "sim/network/network_run.h"
#include "sim/spec/loader.h"
#include "sim/spec/network_loader.h"
#include "sim/stats/stats_writer.h"
#include "sim/top/layer_simulation.h"

extern "C" int sc_main(int, char**) {  // libsystemc references it; main() below is the program
  return 1;
}

int main(int argc, char** argv) {
  using namespace cyclops;
  if (argc != 2) {
    std::fprintf(stderr, "usage: consumer WORK_DIR\n");
    return 1;
  }
  const std::string configs = CYCLOPS_CONFIGS, example = configs + "/examples/eyeriss_like/";
  const spec::Spec spec = spec::LoadSpecFiles(
      {example + "arch.yaml", example + "conv_layer.yaml", example + "mapping.yaml", example + "ERT.yaml"});
  const analysis::AnalysisResult analysis =
      analysis::Analyze(*spec.architecture, *spec.workload, *spec.mapping, &*spec.energy);
  std::printf("analytical cycles %lld, MACs %lld\n", static_cast<long long>(analysis.cycles),
              static_cast<long long>(analysis.arithmetic.computes));

  top::SimulationOptions options;
  options.seed = spec.cyclops.seed;
  options.psum_bits = spec.cyclops.psum_bits;
  top::LayerSimulation simulation(*spec.architecture, *spec.workload, *spec.mapping, options);
  const top::SimulationResult result = simulation.Run();
  std::printf("simulated cycles %llu, outputs %s\n", static_cast<unsigned long long>(result.cycles),
              result.mismatch ? "differ" : "bit-exact");

  std::string writers;
  for (const std::string& name : stats::StatsWriterRegistry::Names()) writers += " " + name;
  std::printf("stats writers:%s\n", writers.c_str());

  network::Network net(spec::LoadNetworkFile(configs + "/workloads/networks/tiny.yaml"));
  network::NetworkRunOptions run;
  run.self = CYCLOPS_EXECUTABLE;
  run.arch_files = {configs + "/arch/eyeriss_v2.yaml", configs + "/energy/eyeriss_v2_65nm_relative.yaml"};
  run.out_dir = argv[1];
  run.analytical_only = true;  // in this process: no child cyclops runs
  const network::NetworkRunResult ran = network::RunNetwork(net, run);
  const network::Activation expected =
      network::ReferenceForward(net, run.seed, run.value_bits, run.psum_bits);
  std::printf("network %s: %zu layers, %lld MACs, output %s the reference forward pass\n", net.name().c_str(),
              net.layers().size(), static_cast<long long>(net.total_macs()),
              expected.values == ran.output.values ? "equals" : "differs from");
  return 0;
}
