// `cyclops: dram:` inside a layer: the outermost level's accesses go through the DRAM timing model. A
// fully connected layer (tests/data/dram/fc_512x256.yaml) on the Eyeriss v2 preset with ideal on-chip
// buses (--noc none), so that the DRAM is what the layer waits for, run without a DRAM model, on LPDDR4 and
// on HBM2 (configs/arch/dram/). Expected figures are counted by hand below, not taken from a run.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "sim/top/run_summary.h"
#include "tests/support/paths.h"

namespace cyclops::test {
namespace {

struct LayerRun {
  int64_t cycles = 0;
  nlohmann::json dram;              // accelerator.DRAM.dram in stats.json (null without a DRAM model)
  int64_t dram_read_stalls = 0;     // summary.json's stalls on the DRAM's reads
  int64_t summary_dram_stalls = 0;  // summary.json's dram.pe_stall_cycles, summed
  std::string report;
};

LayerRun RunFc(const std::string& dram_preset) {
  const std::string data = SourceDir() + "/tests/data/dram/";
  std::string files = SourceDir() + "/configs/arch/eyeriss_v2.yaml ";
  if (!dram_preset.empty()) files += SourceDir() + "/configs/arch/dram/" + dram_preset + ".yaml ";
  files += data + "fc_512x256.yaml " + data + "fc_512x256_eyeriss_v2_mapping.yaml";
  const std::string out = TempDir("dram_" + (dram_preset.empty() ? std::string("none") : dram_preset));
  LayerRun run;
  const int status = RunCommand(CyclopsBinary() + " run " + files + " --noc none --out " + out, &run.report);
  EXPECT_EQ(status, 0) << run.report;
  if (status != 0) return run;
  const nlohmann::json summary = nlohmann::json::parse(ReadFile(out + "/summary.json"));
  EXPECT_EQ(summary["outputs_match"], true);
  run.cycles = summary["cycles"]["simulated"].get<int64_t>();
  // summary.json's dram figures are stats.json's, and the summary reads back as it was written.
  const std::string text = ReadFile(out + "/summary.json");
  EXPECT_EQ(top::RunSummary::FromJson(text, "summary.json").ToJson(), text);
  if (!dram_preset.empty()) {
    EXPECT_EQ(summary["dram"]["preset"], dram_preset);
    run.summary_dram_stalls = 0;
    for (const auto& [cause, cycles] : summary["dram"]["pe_stall_cycles"].items())
      run.summary_dram_stalls += cycles.get<int64_t>();
  }
  for (const nlohmann::json& stall : summary["stalls"])
    if (stall["cause"].get<std::string>().find(" reads (feeding ") != std::string::npos)
      run.dram_read_stalls += stall["cycles"].get<int64_t>();
  const nlohmann::json stats = nlohmann::json::parse(ReadFile(out + "/stats.json"));
  if (stats["accelerator"]["DRAM"].contains("dram")) run.dram = stats["accelerator"]["DRAM"]["dram"];
  return run;
}

int64_t Value(const nlohmann::json& group, const std::string& name) {
  return group.at(name).at("value").get<int64_t>();
}

// Every value crosses the DRAM once: 512 × 256 weights + 512 inputs read, 256 outputs written, 8 bits each.
constexpr int64_t kDramBytes = 512 * 256 + 512 + 256;  // 131,840

TEST(DramInLayer, Lpddr4ToHbm2ChangesTheDramBoundLayersCycles) {
  const LayerRun ideal = RunFc(""), lpddr4 = RunFc("lpddr4_4266"), hbm2 = RunFc("hbm2");
  ASSERT_GT(ideal.cycles, 0);
  ASSERT_GT(lpddr4.cycles, 0);
  ASSERT_GT(hbm2.cycles, 0);
  EXPECT_TRUE(ideal.dram.is_null());  // no DRAM model without the key
  // The DRAM moves exactly the layer's bytes (bursts may round each transfer's ends, not the byte count).
  EXPECT_EQ(Value(lpddr4.dram, "bytes"), kDramBytes);
  EXPECT_EQ(Value(hbm2.dram, "bytes"), kDramBytes);
  // LPDDR4-4266 x32 peaks at 4,266 MT/s × 4 B = 17.064 GB/s = 85.32 B per 5 ns cycle (200 MHz):
  // 131,840 B take at least 131,840 / 85.32 = 1,545.3 cycles, more than the layer takes without a DRAM
  // model, so with LPDDR4 the layer is DRAM-bound and cannot finish before that bound.
  const int64_t lpddr4_bound = (kDramBytes * 100 + 8532 - 1) / 8532;  // 1,546
  EXPECT_GT(lpddr4_bound, ideal.cycles);
  EXPECT_GE(lpddr4.cycles, lpddr4_bound);
  // HBM2 peaks at 256 GB/s = 1,280 B per cycle: its bound (103 cycles) is far below the compute, so the
  // layer goes back to (about) its DRAM-less cycles: fewer than with LPDDR4, never fewer than without a
  // DRAM model (timing only adds to what the level's calendar gives).
  EXPECT_LT(hbm2.cycles, lpddr4.cycles);
  EXPECT_GE(hbm2.cycles, ideal.cycles);
  EXPECT_GE(hbm2.cycles, (kDramBytes + 1279) / 1280);
  // The report names the DRAM as what the PEs waited for, with LPDDR4 only.
  EXPECT_NE(lpddr4.report.find("Weights: DRAM lpddr4_4266 reads (feeding weight_spad)"), std::string::npos)
      << lpddr4.report;
  EXPECT_NE(lpddr4.report.find("row hit rate"), std::string::npos);
  // Achieved bandwidth never above the peak; row hits + misses + conflicts = bursts.
  for (const LayerRun* run : {&lpddr4, &hbm2}) {
    EXPECT_LE(run->dram["achieved_bytes_per_second"]["value"].get<double>(),
              run->dram["peak_bytes_per_second"]["value"].get<double>());
    EXPECT_EQ(
        Value(run->dram, "row_hits") + Value(run->dram, "row_misses") + Value(run->dram, "row_conflicts"),
        Value(run->dram, "bursts"));
  }
  // The PE stall cycles by cause add up to the stall summary.json attributes to LPDDR4 reads.
  int64_t pe_stalls = 0;
  for (const char* cause :
       {"refresh", "row_conflict_precharge", "row_activate", "tfaw_trrd", "cas_latency", "data_bus"})
    pe_stalls += Value(lpddr4.dram, std::string("pe_stall_cycles_") + cause);
  EXPECT_GT(pe_stalls, 0);
  EXPECT_EQ(pe_stalls, lpddr4.dram_read_stalls);
  EXPECT_EQ(pe_stalls, lpddr4.summary_dram_stalls);
  EXPECT_EQ(hbm2.dram_read_stalls,
            Value(hbm2.dram, "pe_stall_cycles_data_bus") + Value(hbm2.dram, "pe_stall_cycles_cas_latency") +
                Value(hbm2.dram, "pe_stall_cycles_row_activate") +
                Value(hbm2.dram, "pe_stall_cycles_row_conflict_precharge") +
                Value(hbm2.dram, "pe_stall_cycles_tfaw_trrd") + Value(hbm2.dram, "pe_stall_cycles_refresh"));
}

TEST(DramInLayer, UnknownPresetIsALocatedError) {
  const std::string dir = TempDir("dram_bad");
  const std::string bad = dir + "/dram.yaml";
  std::filesystem::create_directories(dir);
  std::ofstream(bad) << "cyclops:\n  dram: {preset: ddr5, tRCD: 3}\n";
  std::string output;
  const std::string data = SourceDir() + "/tests/data/dram/";
  const int status =
      RunCommand(CyclopsBinary() + " run " + SourceDir() + "/configs/arch/eyeriss_v2.yaml " + bad + " " +
                     data + "fc_512x256.yaml " + data + "fc_512x256_eyeriss_v2_mapping.yaml",
                 &output);
  EXPECT_EQ(status, 2) << output;
  EXPECT_NE(output.find(bad + ":2:18"), std::string::npos) << output;
  EXPECT_NE(output.find("unknown DRAM preset 'ddr5' (valid: ddr4_3200, hbm2, lpddr4_4266)"),
            std::string::npos)
      << output;
}

// The DRAM preset is the hardware's, but a wrong one is an error when the files are loaded by every
// command: `analyze` (which has no DRAM timing) does not ignore it, and `network` refuses it before its
// first layer elaborates the accelerator.
TEST(DramInLayer, AWrongParameterIsRefusedByAnalyzeAndNetworkToo) {
  const std::string dir = TempDir("dram_bad_param");
  const std::string bad = dir + "/dram.yaml";
  std::filesystem::create_directories(dir);
  std::ofstream(bad) << "cyclops:\n  dram: {preset: hbm2, tRCDD: 3}\n";
  const std::string data = SourceDir() + "/tests/data/dram/";
  const std::string arch = SourceDir() + "/configs/arch/eyeriss_v2.yaml ";
  for (const std::string& command :
       {" analyze " + arch + bad + " " + data + "fc_512x256.yaml " + data +
            "fc_512x256_eyeriss_v2_mapping.yaml",
        " network " + SourceDir() + "/configs/workloads/networks/tiny.yaml --arch " + arch + "--arch " + bad +
            " --out " + dir + "/network"}) {
    std::string output;
    EXPECT_EQ(RunCommand(CyclopsBinary() + command, &output), 2) << command << "\n" << output;
    EXPECT_NE(output.find(bad + ":2:24"), std::string::npos) << output;
    EXPECT_NE(output.find("unknown DRAM parameter 'tRCDD'"), std::string::npos) << output;
  }
}

}  // namespace
}  // namespace cyclops::test
