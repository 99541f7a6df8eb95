// `cyclops network` end to end on the tiny network (configs/workloads/networks/tiny.yaml) and the small
// synthetic accelerator: real data through every layer kind, the final output bit-exact with the reference
// forward pass; a run killed with SIGKILL and resumed reports byte-identically; --jobs 2 changes nothing.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <thread>

#include "sim/stats/text_format.h"
#include "tests/support/paths.h"

namespace cyclops::test {
namespace {

namespace fs = std::filesystem;

std::string Command(const std::string& out, const std::string& extra = "") {
  return CyclopsBinary() + " network " + SourceDir() + "/configs/workloads/networks/tiny.yaml --arch " +
         SourceDir() + "/configs/workloads/synthetic/small_array.yaml --out " + out + " --no-progress " +
         extra;
}

int Records(const std::string& out) {
  int records = 0;
  if (!fs::exists(out + "/layers")) return 0;
  for (const auto& entry : fs::directory_iterator(out + "/layers"))
    records += fs::exists(entry.path() / "record.json") ? 1 : 0;
  return records;
}

TEST(NetworkRun, TinyNetworkIsBitExactEndToEnd) {
  const std::string out = TempDir("tiny_e2e");
  std::string output;
  ASSERT_EQ(RunCommand(Command(out), &output), 0) << output;
  EXPECT_NE(output.find("final output bit-exact with the reference forward pass"), std::string::npos)
      << output;
  const nlohmann::json json = nlohmann::json::parse(ReadFile(out + "/network.json"));
  EXPECT_TRUE(json.at("output_matches_reference").get<bool>());
  // conv1 4·8·3·3·8·8 = 18,432; dw2 8·3·3·4·4 = 1,152; pw2 8·8·4·4 = 1,024; conv3 8·4·3·3·2·2 = 1,152;
  // fc 12·10 = 120: 21,880 MACs
  EXPECT_EQ(json.at("totals").at("macs").get<int64_t>(), 21880);
  ASSERT_EQ(json.at("layers").size(), 13u);
  EXPECT_EQ(json.at("output").at("shape"), nlohmann::json({1, 10}));
  EXPECT_GT(json.at("output").at("nonzero").get<int>(), 0);  // not a degenerate all-zero output
  // Every latency split adds up to its layer's total, and the layers add up to the network's.
  int64_t sum = 0;
  for (const nlohmann::json& layer : json.at("layers")) {
    const nlohmann::json& c = layer.at("cycles");
    EXPECT_EQ(c.at("total").get<int64_t>(), c.at("accelerator_compute").get<int64_t>() +
                                                c.at("on_chip_stalls").get<int64_t>() +
                                                c.at("vector_unit").get<int64_t>() +
                                                c.at("dma").get<int64_t>() + c.at("host").get<int64_t>());
    sum += c.at("total").get<int64_t>();
  }
  EXPECT_EQ(json.at("totals").at("cycles").get<int64_t>(), sum);
  // No ERT among the files: priced by the built-in table (pJ), as `cyclops run` prices it, and said. The
  // average power is that energy over the accelerator's cycles (compute + on-chip stalls) at its clock.
  EXPECT_NE(output.find("no ERT given: energy estimated"), std::string::npos) << output;
  const nlohmann::json& totals = json.at("totals");
  const double energy_pj = totals.at("energy_pj").get<double>();
  EXPECT_GT(energy_pj, 0);
  const double seconds = static_cast<double>(totals.at("accelerator_compute").get<int64_t>() +
                                             totals.at("on_chip_stalls").get<int64_t>()) /
                         json.at("clock_hz").get<double>();
  EXPECT_NEAR(totals.at("power_mw").get<double>(), energy_pj * 1e-12 / seconds * 1e3,
              1e-9 * energy_pj / seconds);
  EXPECT_EQ(ReadFile(out + "/layers.csv").size() > 0, true);
}

// On Eyeriss v2's HM-NoC with the 65 nm relative table, whose noc.hop is 2: each accelerator layer's NoC
// energy is 2 x its value-hops (`cyclops run`'s pricing), beside its levels' energy, not inside it, and the
// totals are the layers' sums.
TEST(NetworkRun, NocEnergyIsEachLayersValueHopsAtTheTablesHop) {
  const std::string out = TempDir("tiny_noc");
  std::string output;
  ASSERT_EQ(RunCommand(CyclopsBinary() + " network " + SourceDir() + "/configs/workloads/networks/tiny.yaml" +
                           " --arch " + SourceDir() + "/configs/arch/eyeriss_v2.yaml --arch " + SourceDir() +
                           "/configs/energy/eyeriss_v2_65nm_relative.yaml --out " + out + " --no-progress",
                       &output),
            0)
      << output;
  const nlohmann::json json = nlohmann::json::parse(ReadFile(out + "/network.json"));
  int64_t hops = 0, accelerator_layers = 0;
  double energy = 0, level_energy = 0;
  for (const nlohmann::json& layer : json.at("layers")) {
    if (!layer.contains("noc")) continue;
    ++accelerator_layers;
    const int64_t layer_hops = layer.at("noc").at("value_hops").get<int64_t>();
    EXPECT_GT(layer_hops, 0) << layer.at("name");  // every operand crosses at least one link
    EXPECT_DOUBLE_EQ(layer.at("noc").at("energy_pj").get<double>(), 2.0 * static_cast<double>(layer_hops));
    double levels = 0;
    for (const auto& [name, pj] : layer.at("energy_pj_by_level").items()) levels += pj.get<double>();
    EXPECT_NEAR(levels, layer.at("energy_pj").get<double>(), 1e-6 * levels);  // the NoC is not a level
    hops += layer_hops, energy += layer.at("noc").at("energy_pj").get<double>();
    level_energy += layer.at("energy_pj").get<double>();
  }
  EXPECT_EQ(accelerator_layers, 5);  // conv1, dw2, pw2, conv3, fc
  EXPECT_EQ(json.at("totals").at("noc").at("value_hops").get<int64_t>(), hops);
  EXPECT_DOUBLE_EQ(json.at("totals").at("noc").at("energy_pj").get<double>(), energy);
  EXPECT_NEAR(json.at("totals").at("energy_pj").get<double>(), level_energy, 1e-6 * level_energy);
  // The report prices the totals at the table's hop: "x 2 pJ, ERT noc.hop".
  EXPECT_NE(output.find("NoC energy " + stats::Format("%.3f", energy / 1e6) + " uJ more (" +
                        stats::Grouped(hops) + " value-hops x 2 pJ, ERT noc.hop"),
            std::string::npos)
      << output;
}

TEST(NetworkRun, KilledRunResumesToAByteIdenticalReport) {
  const std::string whole = TempDir("tiny_whole"), resumed = TempDir("tiny_resumed");
  std::string output;
  ASSERT_EQ(RunCommand(Command(whole), &output), 0) << output;

  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    setpgid(0, 0);  // its own group, so the kill reaches the layer in flight too
    execl("/bin/sh", "sh", "-c", (Command(resumed) + " > /dev/null 2>&1").c_str(),
          static_cast<char*>(nullptr));
    _exit(127);
  }
  setpgid(pid, pid);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (Records(resumed) < 2 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  kill(-pid, SIGKILL);
  waitpid(pid, nullptr, 0);
  const int finished_before_kill = Records(resumed);
  ASSERT_GE(finished_before_kill, 2);
  ASSERT_LT(finished_before_kill, 5) << "the run finished before it could be killed";
  ASSERT_FALSE(fs::exists(resumed + "/network.json"));

  ASSERT_EQ(RunCommand(Command(resumed, "--resume"), &output), 0) << output;
  const std::string reused = std::to_string(finished_before_kill) + " reused from the cache)";
  EXPECT_NE(output.find(reused), std::string::npos) << output;
  for (const char* file : {"network.json", "layers.csv", "report.txt"})
    EXPECT_EQ(ReadFile(resumed + "/" + file), ReadFile(whole + "/" + file)) << file;
}

// One job runs every layer in this process (no worker is started: each would leave its log); two jobs run
// them on two workers that each elaborate the accelerator once, and the reports are the same bytes.
TEST(NetworkRun, TwoJobsGiveTheSameReport) {
  const std::string one = TempDir("tiny_jobs1"), two = TempDir("tiny_jobs2");
  std::string output;
  ASSERT_EQ(RunCommand(Command(one), &output), 0) << output;
  ASSERT_EQ(RunCommand(Command(two, "--jobs 2"), &output), 0) << output;
  EXPECT_EQ(ReadFile(two + "/network.json"), ReadFile(one + "/network.json"));
  EXPECT_EQ(ReadFile(two + "/report.txt").substr(0, ReadFile(two + "/report.txt").find("wall time")),
            ReadFile(one + "/report.txt").substr(0, ReadFile(one + "/report.txt").find("wall time")));
  EXPECT_FALSE(fs::exists(one + "/worker_0.log"));
  EXPECT_TRUE(fs::exists(two + "/worker_0.log"));
  EXPECT_TRUE(fs::exists(two + "/worker_1.log"));
  EXPECT_FALSE(fs::exists(two + "/worker_2.log"));
}

// Each layer reads its inputs as the reference forward pass computes them, so the layers after one still
// in simulation need not wait for it (N workers run N layers of the chain at once); every simulated or cached
// output is then checked against its layer's kernel on the same input. A cached conv1 output with one value
// changed (as a simulator bug would) must be named, and the run must fail, even though the layers after it
// ran on the right values.
TEST(NetworkRun, ALayerWhoseOutputDiffersFromItsKernelIsNamedAndFailsTheRun) {
  const std::string out = TempDir("tiny_diverged");
  std::string output;
  ASSERT_EQ(RunCommand(Command(out), &output), 0) << output;
  std::string conv1_output;
  for (const auto& entry : fs::directory_iterator(out + "/layers"))
    if (ReadFile((entry.path() / "problem.yaml").string()).find("layer 'conv1'") != std::string::npos)
      conv1_output = (entry.path() / "output.bin").string();
  ASSERT_FALSE(conv1_output.empty());
  std::string values = ReadFile(conv1_output);
  const size_t first_value = 4 + 8;  // "CYT1", the count, then little-endian i64 values
  ASSERT_GT(values.size(), first_value + 8);
  // A psum of the other sign and far out of range: requantised, it cannot give the value it replaces.
  int64_t psum = 0;
  std::memcpy(&psum, values.data() + first_value, 8);
  psum = psum > 0 ? -(int64_t{1} << 30) : (int64_t{1} << 30);
  std::memcpy(values.data() + first_value, &psum, 8);
  std::ofstream(conv1_output, std::ios::binary) << values;
  const std::string report_before = ReadFile(out + "/report.txt");

  EXPECT_EQ(RunCommand(Command(out, "--resume"), &output), 3) << output;
  EXPECT_NE(output.find("FINAL OUTPUT DIFFERS from the reference forward pass"), std::string::npos) << output;
  EXPECT_NE(output.find("simulated output of conv1 differs from its kernel's on the same input"),
            std::string::npos)
      << output;
  EXPECT_EQ(output.find("simulated output of pw2"), std::string::npos)
      << output;  // it got conv1's right values
  const nlohmann::json json = nlohmann::json::parse(ReadFile(out + "/network.json"));
  EXPECT_FALSE(json.at("output_matches_reference").get<bool>());
  EXPECT_EQ(json.at("diverged_layers"), nlohmann::json({"conv1"}));
  EXPECT_EQ(report_before.find("differs"), std::string::npos);
}

// --verbose says where the time went: the wall time of each phase, then the slowest simulated layers,
// slowest first (the tiny network's five accelerator layers: conv1, dw2, pw2, conv3, fc) — on the terminal
// and in timing.json beside the report, so network.json is the one a run without it writes.
TEST(NetworkRun, VerboseListsPhasesAndTheSlowestLayersAndChangesNoOutput) {
  const std::string quiet = TempDir("tiny_quiet"), verbose = TempDir("tiny_verbose");
  std::string output;
  ASSERT_EQ(RunCommand(Command(quiet), &output), 0) << output;
  ASSERT_EQ(RunCommand(Command(verbose, "--verbose"), &output), 0) << output;
  EXPECT_EQ(ReadFile(verbose + "/network.json"), ReadFile(quiet + "/network.json"));
  EXPECT_NE(output.find("\n  map: "), std::string::npos) << output;
  EXPECT_NE(output.find("\n  simulate: "), std::string::npos) << output;
  std::vector<std::pair<std::string, double>> listed;  // "    NAME: SECONDS s" lines, in order
  std::istringstream lines(output);
  const std::regex layer_line(R"(^    (\S+): ([0-9.e+-]+) s$)");
  for (std::string line; std::getline(lines, line);) {
    std::smatch match;
    if (std::regex_match(line, match, layer_line)) listed.push_back({match[1], std::stod(match[2])});
  }
  std::vector<std::string> names;
  for (const auto& [name, seconds] : listed) names.push_back(name);
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"conv1", "conv3", "dw2", "fc", "pw2"})) << output;
  for (size_t i = 1; i < listed.size(); ++i) EXPECT_GE(listed[i - 1].second, listed[i].second) << output;
  // timing.json: every phase in the order they ran, and each simulated layer in network order.
  EXPECT_FALSE(fs::exists(quiet + "/timing.json"));
  const nlohmann::ordered_json timing = nlohmann::ordered_json::parse(ReadFile(verbose + "/timing.json"));
  EXPECT_EQ(timing.at("schema").at("name"), "cyclops.timing");
  std::vector<std::string> phases;
  for (const auto& [phase, seconds] : timing.at("phases").items()) {
    phases.push_back(phase);
    EXPECT_GE(seconds.get<double>(), 0) << phase;
  }
  EXPECT_EQ(phases, (std::vector<std::string>{"load", "map", "simulate", "report"}));
  std::vector<std::string> timed;
  double layers_s = 0;
  for (const auto& layer : timing.at("layers")) {
    timed.push_back(layer.at("name"));
    layers_s += layer.at("seconds").get<double>();
  }
  EXPECT_EQ(timed, (std::vector<std::string>{"conv1", "dw2", "pw2", "conv3", "fc"}));
  // One process runs the layers one after another: they fit in the simulate phase.
  EXPECT_LE(layers_s, timing.at("phases").at("simulate").get<double>());
}

// A per-layer mapping file replaces the mapper for that layer only: fc (C 12, M 10) runs with M split 2 ways
// over the PEs and 60 temporal steps (C 3 × M 5 at the global buffer, C 4 in the register file), so its
// MAC-busy cycles are 12 · 10 / 2 = 60.
TEST(NetworkRun, PerLayerMappingFilesReplaceTheMapper) {
  const std::string out = TempDir("tiny_mappings"), maps = TempDir("tiny_mapping_files");
  fs::create_directories(maps);
  std::ofstream(maps + "/fc.yaml")
      << "mapping:\n"
         "- {target: DRAM, type: temporal, factors: G=1 C=1 M=1 R=1 S=1 N=1 P=1 Q=1, permutation: GCMRSNPQ}\n"
         "- {target: GlobalBuffer, type: temporal, factors: C=3 M=5, permutation: CMGRSNPQ}\n"
         "- {target: PE, type: spatial, factors: M=2, permutation: MCGRSNPQ, split: 1}\n"
         "- {target: RegisterFile, type: temporal, factors: C=4, permutation: CGMRSNPQ}\n";
  std::string output;
  ASSERT_EQ(RunCommand(Command(out, "--mappings " + maps), &output), 0) << output;
  const nlohmann::json json = nlohmann::json::parse(ReadFile(out + "/network.json"));
  const nlohmann::json& fc = json.at("layers").back();
  ASSERT_EQ(fc.at("name"), "fc");
  EXPECT_EQ(fc.at("cycles").at("accelerator_compute").get<int64_t>(), 60);
  EXPECT_TRUE(json.at("output_matches_reference").get<bool>());
  // The other four accelerator layers were mapped by the mapper (their mappings are in OUT/mappings/); fc
  // was not.
  int mapped = 0;
  for (const auto& entry : fs::directory_iterator(out + "/mappings"))
    mapped += entry.path().extension() == ".yaml" ? 1 : 0;
  EXPECT_EQ(mapped, 4);
  EXPECT_FALSE(fs::exists(out + "/mappings/fc.yaml"));
}

// --analytical-only: no cycle-level simulation, so no stalls anywhere; the data still flows end to end
// (through the reference kernels, so the final check is skipped).
TEST(NetworkRun, AnalyticalOnlyRunsWithoutStalls) {
  const std::string out = TempDir("tiny_analytical");
  std::string output;
  ASSERT_EQ(RunCommand(Command(out, "--analytical-only"), &output), 0) << output;
  const nlohmann::json json = nlohmann::json::parse(ReadFile(out + "/network.json"));
  EXPECT_FALSE(
      json.contains("output_matches_reference"));  // nothing to compare: the outputs are the reference's
  EXPECT_EQ(json.at("totals").at("on_chip_stalls").get<int64_t>(), 0);
  EXPECT_EQ(json.at("totals").at("macs").get<int64_t>(), 21880);
  for (const auto& entry : fs::directory_iterator(out + "/layers"))
    EXPECT_FALSE(fs::exists(entry.path() / "run.log"));
}

TEST(NetworkRun, SpecErrorsExitWithStatusTwoNamingFileAndLine) {
  const std::string dir = TempDir("bad_network");
  fs::create_directories(dir);
  std::ofstream(dir + "/bad.yaml") << "network:\n  name: bad\n  input: {channels: 3, height: 8, width: 8}\n"
                                      "  layers:\n  - {name: a, op: relu, inputs: [missing]}\n";
  std::string output;
  EXPECT_EQ(RunCommand(CyclopsBinary() + " network " + dir + "/bad.yaml --arch " + SourceDir() +
                           "/configs/workloads/synthetic/small_array.yaml --out " + dir + "/out",
                       &output),
            2);
  EXPECT_NE(output.find("bad.yaml:5:"), std::string::npos) << output;
  EXPECT_NE(output.find("'missing' is not an earlier layer"), std::string::npos) << output;
}

}  // namespace
}  // namespace cyclops::test
