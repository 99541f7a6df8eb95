// The commands on sparse specs: `cyclops run` simulates them (zeros drawn at the declared densities,
// gating and skipping in the PEs) and reports the split beside the analytical one, `cyclops map` searches
// with the sparse model and finds a mapping at least as good as Sparseloop's own mapper did on the same
// mapspace (its report), and `cyclops analyze` prints the split.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/support/paths.h"
#include "tests/system/sparseloop/sparseloop_stats.h"

namespace cyclops::test {
namespace {

std::string CaseDir(const std::string& name) {
  return ReferenceDir() + "/sparseloop/" + name + "/ref_outputs/default_problem/";
}

TEST(SparseCommands, RunSimulatesSparseSpecs) {
  const std::string dir = CaseDir("01.2.3-SCDU-dot-product");
  if (!std::filesystem::exists(dir)) GTEST_SKIP() << "no reference data at " << dir;
  const std::string out = TempDir("sparse_run");
  std::string output;
  ASSERT_EQ(RunCommand(CyclopsBinary() + " run " + dir + "parsed-processed-input.yaml " + dir +
                           "timeloop-mapper.map.yaml " + dir + "timeloop-mapper.ERT.yaml --out " + out,
                       &output),
            0)
      << output;
  EXPECT_NE(output.find("sparse split"), std::string::npos) << output;
  const nlohmann::json summary = nlohmann::json::parse(ReadFile(out + "/summary.json"));
  const SparseloopStats want = ReadSparseloopStats(dir + "timeloop-mapper.stats.txt");
  EXPECT_TRUE(summary["outputs_match"].get<bool>());
  EXPECT_EQ(summary["sparse_computes"]["simulated"]["actual"].get<int64_t>(), want.actual_computes);
  EXPECT_EQ(summary["sparse_computes"]["analytical"]["actual"].get<int64_t>(), want.actual_computes);
  // A at 0.25 of 16 values: exactly 4 nonzeros drawn.
  EXPECT_DOUBLE_EQ(summary["densities"][0]["measured"].get<double>(), 0.25);
  EXPECT_EQ(summary["storage_levels"][0]["data_spaces"]["B"]["sparse"]["simulated"]["reads"]["skipped"]
                .get<int64_t>(),
            want.levels.at("Buffer").data_spaces.at("B").counts.at("Skipped reads"));
}

// Gating with two options: Sparseloop keeps the one that saves most energy, the simulator does not choose,
// so `cyclops run` refuses it at the optimization's location (and `cyclops analyze` still models it).
TEST(SparseCommands, RunRefusesWhatItCannotSimulateAtItsLocation) {
  const std::string dir = CaseDir("01.2.2-SUDU-dot-product");
  if (!std::filesystem::exists(dir)) GTEST_SKIP() << "no reference data at " << dir;
  std::string input = ReadFile(dir + "parsed-processed-input.yaml");
  const std::string one = "              - target: Z\n                condition_on:\n                  - A\n";
  const size_t at = input.find(one);
  ASSERT_NE(at, std::string::npos);
  input.insert(at + one.size(),
               "              - target: Z\n                condition_on:\n                  - B\n");
  const std::string out = TempDir("sparse_refused");
  const std::string path = out + "/two-options.yaml";
  std::filesystem::create_directories(out);
  {
    std::ofstream file(path);
    file << input;
  }
  std::string output;
  const std::string rest = " " + dir + "timeloop-mapper.map.yaml " + dir + "timeloop-mapper.ERT.yaml";
  EXPECT_EQ(RunCommand(CyclopsBinary() + " run " + path + rest, &output), 2) << output;
  EXPECT_NE(output.find(path + ":"), std::string::npos) << output;
  EXPECT_NE(output.find("2 options"), std::string::npos) << output;
  EXPECT_EQ(RunCommand(CyclopsBinary() + " analyze " + path + rest + " --out " + out, &output), 0) << output;
}

TEST(SparseCommands, MapUsesTheSparseModel) {
  const std::string dir = CaseDir("04.2.2-eyeriss-like-gating-mapspace-search");
  if (!std::filesystem::exists(dir)) GTEST_SKIP() << "no reference data at " << dir;
  const std::string out = TempDir("sparse_map");
  const std::string inputs = dir + "parsed-processed-input.yaml " + dir + "timeloop-mapper.ERT.yaml";
  std::string output;
  ASSERT_EQ(RunCommand(CyclopsBinary() + " map " + inputs + " --evaluations 2000 --threads 1 --out " + out,
                       &output),
            0)
      << output;
  ASSERT_EQ(
      RunCommand(CyclopsBinary() + " analyze " + inputs + " " + out + "/mapping.yaml --out " + out, &output),
      0)
      << output;
  EXPECT_NE(output.find("sparse (Sparseloop)"), std::string::npos) << output;
  const nlohmann::json json = nlohmann::json::parse(ReadFile(out + "/analysis.json"));
  ASSERT_TRUE(json["arithmetic"].contains("actual_computes"));
  // Sparseloop's mapper searched the same mapspace (its report is for the mapping it chose).
  const SparseloopStats sparseloop = ReadSparseloopStats(dir + "timeloop-mapper.stats.txt");
  const double sparseloop_edp = sparseloop.energy_uj * 1e6 * static_cast<double>(sparseloop.cycles);
  const double edp = json["summary"]["energy_pj"].get<double>() * json["summary"]["cycles"].get<double>();
  EXPECT_LE(edp, sparseloop_edp) << "Cyclops' best " << edp << " pJ x cycles, Sparseloop's "
                                 << sparseloop_edp;
}

}  // namespace
}  // namespace cyclops::test
