// The commands on sparse specs: `cyclops run` refuses them at the first sparse key (the cycle-level model
// has no zeros yet), `cyclops map` searches with the sparse model and finds a mapping at least as good as
// Sparseloop's own mapper did on the same mapspace (its report), and `cyclops analyze` prints the split.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "tests/support/paths.h"
#include "tests/system/sparseloop/sparseloop_stats.h"

namespace cyclops::test {
namespace {

std::string CaseDir(const std::string& name) {
  return ReferenceDir() + "/sparseloop/" + name + "/ref_outputs/default_problem/";
}

TEST(SparseCommands, RunRefusesSparseSpecsAtTheirLocation) {
  const std::string dir = CaseDir("01.2.3-SCDU-dot-product");
  if (!std::filesystem::exists(dir)) GTEST_SKIP() << "no reference data at " << dir;
  std::string output;
  const int status = RunCommand(CyclopsBinary() + " run " + dir + "parsed-processed-input.yaml " + dir +
                                    "timeloop-mapper.map.yaml " + dir + "timeloop-mapper.ERT.yaml",
                                &output);
  EXPECT_EQ(status, 2) << output;
  // The density of A is the first sparse key: problem.instance.densities.A in the resolved input.
  EXPECT_NE(output.find(dir + "parsed-processed-input.yaml:"), std::string::npos) << output;
  EXPECT_NE(output.find("'problem.instance.densities.A'"), std::string::npos) << output;
  EXPECT_NE(output.find("no sparse model yet"), std::string::npos) << output;
  EXPECT_NE(output.find("cyclops analyze"), std::string::npos) << output;
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
