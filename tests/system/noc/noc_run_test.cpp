// `cyclops run` with the architecture's on-chip network: router modes derived from the mapping and the
// values every link into every PE carried, checked against the mapping by hand; the same layer on two
// topologies; unconstrained links against the analytical model; a depth-wise layer that is
// iact-delivery-bound on Eyeriss v1's buses; the NoC sweep and plot.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "tests/support/paths.h"

namespace cyclops::test {
namespace {

const std::string kData = "tests/system/noc/data/";

struct RunResult {
  int status = 0;
  std::string output;
  nlohmann::json summary, stats, noc;
};

RunResult CyclopsRun(const std::string& files, const std::string& options, const std::string& name) {
  RunResult run;
  const std::string out = TempDir(name);
  run.status = RunCommand(CyclopsBinary() + " run " + files + " " + options + " --out " + out, &run.output);
  if (run.status == 0) {
    run.summary = nlohmann::json::parse(ReadFile(out + "/summary.json"));
    run.stats = nlohmann::json::parse(ReadFile(out + "/stats.json"));
    const std::string noc = ReadFile(out + "/noc.json");
    if (!noc.empty()) run.noc = nlohmann::json::parse(noc);
  }
  return run;
}

std::string Tiny(const std::string& mapping) {
  const std::string dir = SourceDir() + "/" + kData;
  return dir + "tiny_hm.yaml " + dir + "tiny_conv.yaml " + dir + mapping;
}

bool HasMode(const RunResult& run, const std::string& line) {
  for (const auto& mode : run.summary["noc"]["modes"])
    if (mode.get<std::string>().rfind(line, 0) == 0) return true;
  return false;
}

// Values the links into the PE at row-of-four position x carried for one data type (noc.json).
uint64_t ValuesIntoPe(const RunResult& run, int x, const std::string& type) {
  int pe = -1;
  for (const auto& node : run.noc["nodes"])
    if (node["kind"] == "pe" && node["local"][0] == x) pe = node["id"];
  EXPECT_GE(pe, 0);
  uint64_t values = 0;
  for (const auto& link : run.noc["links"])
    if (link["to"] == pe && link["data_types"].get<std::string>().find(type) != std::string::npos)
      values += link["values"].get<uint64_t>();
  return values;
}

// The tiny array is one cluster of 4 PEs in a row: PE x is the cluster's pe[x].
uint64_t Fills(const RunResult& run, const std::string& level, int pe, const std::string& space) {
  return run
      .stats["accelerator"]["cluster[0]"]["pe[" + std::to_string(pe) + "]"][level]["fills_" + space]["value"];
}

// What one mapping of the tiny layer must give: the NoC mode and router setting per data type (as the
// report's lines begin), and the values every PE receives (the same for all four PEs).
struct Expected {
  std::string inputs_mode, weights_mode;
  uint64_t inputs_per_pe = 0, weights_per_pe = 0;
};

// Runs the mapping, checks the modes, and that the links into every PE carried exactly the values its
// spads were filled with (and the hand count); returns the run for further checks.
RunResult CheckDeliveries(const std::string& mapping, const Expected& expected) {
  RunResult run = CyclopsRun(Tiny(mapping), "", "noc_" + mapping);
  EXPECT_EQ(run.status, 0) << run.output;
  if (run.status != 0) return run;
  EXPECT_TRUE(HasMode(run, "Inputs (iact): " + expected.inputs_mode)) << run.summary["noc"].dump();
  EXPECT_TRUE(HasMode(run, "Weights (weight): " + expected.weights_mode)) << run.summary["noc"].dump();
  EXPECT_EQ(run.summary["outputs_match"], true);
  for (int pe = 0; pe < 4; ++pe) {
    EXPECT_EQ(ValuesIntoPe(run, pe, "iact"), expected.inputs_per_pe) << "PE " << pe;
    EXPECT_EQ(ValuesIntoPe(run, pe, "weight"), expected.weights_per_pe) << "PE " << pe;
    EXPECT_EQ(ValuesIntoPe(run, pe, "iact"), Fills(run, "iact_spad", pe, "Inputs"));
    EXPECT_EQ(ValuesIntoPe(run, pe, "weight"), Fills(run, "weight_spad", pe, "Weights"));
  }
  return run;
}

TEST(NocRun, UnicastAndBroadcastDeliverEachPeExactlyItsData) {
  // P = 4 across the PEs: each PE its own inputs (one iact router set to unicast), the same weights to all
  // (the weight router feeding the row set to broadcast). PE x computes P = x for both Q: inputs
  // C2 x Q2 = 4 values; weights C2 x M4 = 8 values, once each.
  CheckDeliveries("map_p4.yaml", {"unicast (derived); routers: 1 unicast",
                                  "broadcast (derived); routers: 1 broadcast", 4, 8});
}

TEST(NocRun, GroupedAndInterleavedMulticastDeliverEachPeExactlyItsData) {
  // PE x: P = x mod 2 (inner), M-half x div 2. Inputs shared by {0, 2} and {1, 3}: interleaved; weights by
  // {0, 1} and {2, 3}: grouped; both stay within the row, so the routers are set to horizontal multicast.
  // Inputs: the PE's P column for 2 P steps in time x Q2 x C2 = 8; weights: C2 x M2 = 4.
  const RunResult run = CheckDeliveries(
      "map_p2m2.yaml", {"interleaved_multicast (derived); routers: 1 horizontal multicast",
                        "grouped_multicast (derived); routers: 1 horizontal multicast", 8, 4});
  // Each multicast crosses the GLB bank's link once: 16 distinct inputs (C2 x P4 x Q2) leave the bank.
  uint64_t from_bank = 0;
  for (const auto& link : run.noc["links"])
    if (run.noc["nodes"][link["from"].get<int>()]["kind"] == "glb_bank" &&
        link["data_types"].get<std::string>() == "iact")
      from_bank += link["values"].get<uint64_t>();
  EXPECT_EQ(from_bank, 16u);
}

// The tiny architecture with one edit, run on map_p4.yaml: (exit status, output).
std::pair<int, std::string> RunEdited(const std::string& from, const std::string& to,
                                      const std::string& name) {
  std::string arch = ReadFile(SourceDir() + "/" + kData + "tiny_hm.yaml");
  arch.replace(arch.find(from), from.size(), to);
  const std::string dir = TempDir(name);
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/arch.yaml") << arch;
  std::string output;
  const int status = RunCommand(CyclopsBinary() + " run " + dir + "/arch.yaml " + SourceDir() + "/" + kData +
                                    "tiny_conv.yaml " + SourceDir() + "/" + kData + "map_p4.yaml",
                                &output);
  return {status, output};
}

TEST(NocRun, AModeTheMappingCannotUseIsAnErrorNamingBoth) {
  const std::string params = "pes_per_cluster_y: 1}\n";
  const auto [status, output] = RunEdited(params, params + "    modes: {Inputs: broadcast}\n", "noc_modes");
  EXPECT_EQ(status, 2) << output;
  EXPECT_NE(output.find("arch.yaml:"), std::string::npos) << output;
  EXPECT_NE(output.find("as unicast"), std::string::npos) << output;
  EXPECT_NE(output.find("set to broadcast"), std::string::npos) << output;
}

// The tiny layer with its operands listed inputs first. Without noc.carries the order rule (Timeloop's:
// weights first) puts Inputs on the weight network, where the HM-NoC has no GLB bank for them: a located
// error. With carries naming each network, map_p4's inputs (4 per PE, unicast) arrive on the iact links
// and its weights (8 per PE, broadcast) on the weight links, as with the usual order.
TEST(NocRun, CarriesPutsEachDataSpaceOnTheNetworkItNames) {
  std::string problem = ReadFile(SourceDir() + "/" + kData + "tiny_conv.yaml");
  const std::string weights = "    - name: Weights\n      projection: [[[C]], [[M]]]\n";
  problem.erase(problem.find(weights), weights.size());
  const std::string outputs = "    - name: Outputs\n";
  problem.insert(problem.find(outputs), weights);
  const std::string dir = TempDir("noc_carries");
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/inputs_first.yaml") << problem;
  const std::string params = "pes_per_cluster_y: 1}\n";
  std::string arch = ReadFile(SourceDir() + "/" + kData + "tiny_hm.yaml");
  std::ofstream(dir + "/arch.yaml") << arch;
  arch.replace(arch.find(params), params.size(), params + "    carries: {Inputs: iact, Weights: weight}\n");
  std::ofstream(dir + "/arch_carries.yaml") << arch;
  const std::string rest = " " + dir + "/inputs_first.yaml " + SourceDir() + "/" + kData + "map_p4.yaml";

  const RunResult by_order = CyclopsRun(dir + "/arch.yaml" + rest, "", "noc_carries_order");
  EXPECT_EQ(by_order.status, 2) << by_order.output;
  EXPECT_NE(by_order.output.find("no GLB bank for weight"), std::string::npos) << by_order.output;

  const RunResult run = CyclopsRun(dir + "/arch_carries.yaml" + rest, "", "noc_carries_run");
  ASSERT_EQ(run.status, 0) << run.output;
  EXPECT_TRUE(HasMode(run, "Inputs (iact): unicast")) << run.summary["noc"].dump();
  EXPECT_TRUE(HasMode(run, "Weights (weight): broadcast")) << run.summary["noc"].dump();
  EXPECT_EQ(run.summary["outputs_match"], true);
  for (int pe = 0; pe < 4; ++pe) {
    EXPECT_EQ(ValuesIntoPe(run, pe, "iact"), 4u) << "PE " << pe;
    EXPECT_EQ(ValuesIntoPe(run, pe, "weight"), 8u) << "PE " << pe;
  }
}

TEST(NocRun, CarriesAResultOffThePsumNetworkIsAnErrorAtItsEntry) {
  const std::string params = "pes_per_cluster_y: 1}\n";
  const auto [status, output] =
      RunEdited(params, params + "    carries: {Outputs: iact}\n", "noc_carries_bad");
  EXPECT_EQ(status, 2) << output;
  EXPECT_NE(output.find("arch.yaml:"), std::string::npos) << output;
  EXPECT_NE(output.find("Outputs is read-write"), std::string::npos) << output;
}

TEST(NocRun, AnUnknownTopologyParameterIsAnErrorAtItsLine) {
  // tiny_hm.yaml line 7: "    params: {clusters_x: 1, ..." — the misspelt key's value starts at column 25.
  const auto [status, output] = RunEdited("clusters_x: 1", "clustrs_x: 1", "noc_bad_param");
  EXPECT_EQ(status, 2) << output;
  EXPECT_NE(output.find("arch.yaml:7:25: error"), std::string::npos) << output;
  EXPECT_NE(output.find("clusters_x, clusters_y"), std::string::npos) << output;  // what is valid
}

TEST(NocRun, ABadNocParamOnTheCommandLineNamesTheOption) {
  std::string output;
  const int status = RunCommand(
      CyclopsBinary() + " run " + Tiny("map_p4.yaml") + " --noc-param iact_width_bits=4.5", &output);
  EXPECT_EQ(status, 2) << output;
  EXPECT_NE(output.find("'--noc-param iact_width_bits'"), std::string::npos) << output;
  EXPECT_NE(output.find("an integer >= 1"), std::string::npos) << output;
}

TEST(NocRun, ATopologyWhosePeArrayDiffersFromTheArchitecturesIsAnError) {
  const auto [status, output] = RunEdited("pes_per_cluster_x: 4", "pes_per_cluster_x: 2", "noc_bad_shape");
  EXPECT_EQ(status, 2) << output;
  EXPECT_NE(output.find("has 2 PEs"), std::string::npos) << output;
  EXPECT_NE(output.find("4 MACs in 4 × 1"), std::string::npos) << output;
}

TEST(NocRun, TheSameLayerOnTheV1BusAndTheV2MeshGivesTheSameOutputs) {
  // One Eyeriss v2 preset, two networks: its hierarchical mesh, and Eyeriss v1's buses over the same PEs.
  const std::string layer = SourceDir() + "/configs/workloads/layers/mobilenet_v1_dw7_11.yaml " +
                            SourceDir() + "/configs/mappings/eyeriss_v2_mobilenet_dw7.yaml";
  const std::string out = TempDir("noc_same");
  std::filesystem::create_directories(out);
  RunResult runs[2];
  const char* archs[] = {"eyeriss_v2.yaml", "eyeriss_v2_flat_noc.yaml"};
  for (int i = 0; i < 2; ++i) {
    runs[i] = CyclopsRun(SourceDir() + "/configs/arch/" + archs[i] + " " + layer,
                         "--output-file " + out + "/out" + std::to_string(i) + ".bin",
                         "noc_same" + std::to_string(i));
    ASSERT_EQ(runs[i].status, 0) << runs[i].output;
    EXPECT_EQ(runs[i].summary["outputs_match"], true);
    EXPECT_EQ(runs[i].summary["counter_mismatches"], 0);
  }
  EXPECT_EQ(runs[0].summary["noc"]["topology"], "eyeriss_v2_hm");
  EXPECT_EQ(runs[1].summary["noc"]["topology"], "eyeriss_v1_bus");
  const std::string first = ReadFile(out + "/out0.bin");
  EXPECT_FALSE(first.empty());
  EXPECT_EQ(first, ReadFile(out + "/out1.bin"));
  // One 16-bit ifmap bus for 192 PEs against three 24-bit iact routers per cluster: the flat network is
  // slower on a depth-wise layer whatever the exact figure.
  EXPECT_GT(runs[1].summary["cycles"]["simulated"].get<double>(),
            2 * runs[0].summary["cycles"]["simulated"].get<double>());
}

TEST(NocRun, UnconstrainedLinksMatchTheAnalyticalModel) {
  const std::string files = SourceDir() + "/configs/arch/eyeriss_v2.yaml " + SourceDir() +
                            "/configs/workloads/layers/mobilenet_v1_dw7_11.yaml " + SourceDir() +
                            "/configs/mappings/eyeriss_v2_mobilenet_dw7.yaml";
  std::string wide;
  for (const char* width : {"iact_width_bits", "weight_width_bits", "psum_width_bits", "offchip_width_bits"})
    wide += std::string(" --noc-param ") + width + "=1000000";
  const RunResult run = CyclopsRun(files, wide, "noc_wide");
  ASSERT_EQ(run.status, 0) << run.output;
  EXPECT_EQ(run.summary["counter_mismatches"], 0);
  // Only the hop latencies remain (bank -> router -> PE is two one-cycle hops where the analytical model's
  // network is free): within 1% of the analytical cycles, 4,704 = 903,168 MACs / 192 PEs.
  const double analytical = run.summary["cycles"]["analytical"];
  EXPECT_EQ(analytical, 903168.0 / 192);
  EXPECT_NEAR(run.summary["cycles"]["simulated"].get<double>(), analytical, 0.01 * analytical);
}

TEST(NocRun, ADepthWiseLayerOnEyerissV1IsBoundByIactDelivery) {
  const RunResult run = CyclopsRun(SourceDir() + "/configs/arch/eyeriss_v1.yaml " + SourceDir() +
                                       "/configs/workloads/layers/mobilenet_v1_dw13.yaml " + SourceDir() +
                                       "/configs/mappings/eyeriss_v1_mobilenet_dw13.yaml",
                                   "", "noc_dw_v1");
  ASSERT_EQ(run.status, 0) << run.output;
  // The ifmap bus is among the two largest stalls of the PE that finished last (the other is the filter
  // bus: a v1 word leaves only when all its destinations can take it, so filters queue behind PEs that
  // still wait for their ifmaps).
  ASSERT_GE(run.summary["stalls"].size(), 2u);
  bool inputs = false;
  for (int i = 0; i < 2; ++i)
    inputs = inputs || run.summary["stalls"][i]["cause"].get<std::string>().find(
                           "Inputs: network (eyeriss_v1_bus)") != std::string::npos;
  EXPECT_TRUE(inputs) << run.summary["stalls"].dump();
  // The ifmap Y-bus is the busiest port, and the report names it.
  EXPECT_NE(run.summary["noc"]["busiest_ports"][0]["port"].get<std::string>().find("iact.y_bus"),
            std::string::npos)
      << run.summary["noc"].dump();
  EXPECT_NE(run.output.find("busiest NoC ports"), std::string::npos);
}

TEST(NocRun, SweepPrintsOneRowPerValueAndWiderIsNeverSlower) {
  std::string output;
  const std::string out = TempDir("noc_sweep");
  ASSERT_EQ(
      RunCommand(
          CyclopsBinary() + " run " + SourceDir() + "/configs/arch/eyeriss_v2_flat_noc.yaml " + SourceDir() +
              "/configs/workloads/layers/mobilenet_v1_dw7_11.yaml " + SourceDir() +
              "/configs/mappings/eyeriss_v2_mobilenet_dw7.yaml --sweep noc.iact_width_bits=16,64 --out " +
              out,
          &output),
      0)
      << output;
  double cycles[2];
  int i = 0;
  for (const char* width : {"16", "64"}) {
    const auto summary =
        nlohmann::json::parse(ReadFile(out + "/iact_width_bits_" + std::string(width) + "/summary.json"));
    cycles[i++] = summary["cycles"]["simulated"];
    EXPECT_NE(output.find("\n  " + std::string(width) + " "), std::string::npos) << output;
  }
  EXPECT_LE(cycles[1], cycles[0]);
}

TEST(NocRun, PlotNocDrawsAPng) {
  const std::string out = TempDir("noc_plot");
  std::string output;
  ASSERT_EQ(RunCommand(CyclopsBinary() + " run " + Tiny("map_p4.yaml") + " --out " + out, &output), 0)
      << output;
  ASSERT_EQ(RunCommand("/usr/bin/python3 " + SourceDir() + "/scripts/plot_noc.py " + out + "/noc.json -o " +
                           out + "/noc.png",
                       &output),
            0)
      << output;
  const std::string png = ReadFile(out + "/noc.png");
  ASSERT_GT(png.size(), 8u);
  EXPECT_EQ(png.substr(1, 3), "PNG");
}

}  // namespace
}  // namespace cyclops::test

namespace cyclops::test {
namespace {

// Row stationary on Eyeriss v1 sends one ifmap row to a diagonal of PEs (s + q equal) that spans PE columns,
// which step as separate clusters. With a 64-bit ifmap bus, one column runs a version ahead of another;
// members of a multicast group in different clusters must not share the staged tile, or the column ahead
// swaps it under the one behind (the outputs were garbage, different on every run). Checked against the
// reference kernel, three times.
TEST(NocRun, DiagonalMulticastAcrossPeColumnsStaysBitExact) {
  const std::string dir = SourceDir() + "/" + kData;
  const std::string files = SourceDir() + "/configs/arch/eyeriss_v1.yaml " + SourceDir() +
                            "/configs/energy/eyeriss_v1_65nm_relative.yaml " + dir + "tiny_dw.yaml " + dir +
                            "map_dw_diagonal.yaml";
  for (int run = 0; run < 3; ++run) {
    const RunResult result = CyclopsRun(files, "--noc-param iact_width_bits=64", "noc_diagonal");
    EXPECT_EQ(result.status, 0) << result.output;
    EXPECT_EQ(result.summary["outputs_match"], true);
  }
}

}  // namespace
}  // namespace cyclops::test
