// Timeloop's inputs as a Timeloop user passes them, through the commands: tutorial-05's three
// mapspace-constraint files with its mapper settings, tutorial-06/-07's component folders, a misspelt
// attribute (warning, and an error under --strict), and a run without an ERT. Expected values come from
// the tutorials' own files and Timeloop's reference outputs.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "sim/spec/loader.h"
#include "sim/stats/timeloop_stats.h"
#include "tests/support/paths.h"

namespace cyclops::test {
namespace {

namespace fs = std::filesystem;

std::string Tutorial05(const std::string& relative) {
  return ReferenceDir() + "/timeloop/tutorial-05-mapper-conv1d+oc-3level/" + relative;
}

// `cyclops map` on the tutorial's files, as Timeloop's tutorial runs timeloop-mapper on them.
std::string MapTutorial05(const std::string& constraints, const std::string& out) {
  const std::string command = CyclopsBinary() + " map " + Tutorial05("arch/3level.arch.yaml") + " " +
                              Tutorial05("prob/conv1d+oc.prob.yaml") + " " +
                              Tutorial05("mapper/exhaustive.mapper.yaml") + " " +
                              Tutorial05("constraints/" + constraints) + " " +
                              Tutorial05("ref-output/baked/timeloop-mapper.ERT.yaml") + " --out " + out;
  std::string output;
  EXPECT_EQ(RunCommand(command, &output), 0) << output;
  return output;
}

spec::Mapping LoadMapping(const std::string& mapping_file) {
  return *spec::LoadSpecFiles(
              {Tutorial05("arch/3level.arch.yaml"), Tutorial05("prob/conv1d+oc.prob.yaml"), mapping_file})
              .mapping;
}

// The dimensions of a level's loops that iterate (factor > 1), innermost first.
std::vector<int> Iterating(const spec::LevelMapping& level) {
  std::vector<int> order;
  for (int d : level.temporal_permutation)
    if (level.temporal_factors[d] > 1) order.push_back(d);
  return order;
}

TEST(TimeloopInputs, Tutorial05ConstraintSetsGiveThreeMappingsAndOneMappingIsTimeloops) {
  const std::string null_dir = TempDir("t05_null"), free_dir = TempDir("t05_free"),
                    one_dir = TempDir("t05_one");
  const std::string one_output = MapTutorial05("conv1d+oc-3level-1mapping.constraints.yaml", one_dir);
  MapTutorial05("conv1d+oc-3level-freebypass.constraints.yaml", free_dir);
  MapTutorial05("null.constraints.yaml", null_dir);
  const std::string null_yaml = ReadFile(null_dir + "/mapping.yaml"),
                    free_yaml = ReadFile(free_dir + "/mapping.yaml"),
                    one_yaml = ReadFile(one_dir + "/mapping.yaml");
  ASSERT_FALSE(one_yaml.empty());
  EXPECT_NE(null_yaml, free_yaml);
  EXPECT_NE(free_yaml, one_yaml);
  EXPECT_NE(null_yaml, one_yaml);
  // The mapper settings were honoured: metrics in order, Timeloop's timeout 0.
  EXPECT_NE(one_output.find("metrics delay, energy"), std::string::npos) << one_output;

  // The 1mapping set against the mapping Timeloop's mapper chose under it.
  const spec::Mapping ours = LoadMapping(one_dir + "/mapping.yaml");
  const spec::Mapping theirs = LoadMapping(Tutorial05("ref-output/baked/timeloop-mapper.map.yaml"));
  ASSERT_EQ(ours.levels.size(), theirs.levels.size());
  for (size_t level = 0; level < ours.levels.size(); ++level) {
    EXPECT_EQ(ours.levels[level].temporal_factors, theirs.levels[level].temporal_factors) << level;
    EXPECT_EQ(ours.levels[level].spatial_factors, theirs.levels[level].spatial_factors) << level;
    EXPECT_EQ(ours.levels[level].keep, theirs.levels[level].keep) << level;
    // At the innermost level Timeloop ignores a permutation constraint and writes its canonical order
    // (mapspaces/uber.cpp: level 0 uses the canonical pattern; loop order there changes no count).
    if (level > 0) EXPECT_EQ(Iterating(ours.levels[level]), Iterating(theirs.levels[level])) << level;
  }
  // The same EDP as Timeloop's stats: energy (fJ/compute × computes) × cycles.
  const std::string analysis_dir = TempDir("t05_one_analysis");
  std::string output;
  ASSERT_EQ(RunCommand(CyclopsBinary() + " analyze " + Tutorial05("arch/3level.arch.yaml") + " " +
                           Tutorial05("prob/conv1d+oc.prob.yaml") + " " + one_dir + "/mapping.yaml " +
                           Tutorial05("ref-output/baked/timeloop-mapper.ERT.yaml") + " --out " + analysis_dir,
                       &output),
            0)
      << output;
  const nlohmann::json analysis = nlohmann::json::parse(ReadFile(analysis_dir + "/analysis.json"));
  const stats::TimeloopStats timeloop =
      stats::ReadTimeloopStats(Tutorial05("ref-output/baked/timeloop-mapper.stats.txt"));
  const double timeloop_edp = timeloop.fj_per_compute_total * 1e-15 * static_cast<double>(timeloop.computes) *
                              static_cast<double>(timeloop.cycles);
  const double our_edp =
      analysis["summary"]["energy_pj"].get<double>() * 1e-12 * analysis["summary"]["cycles"].get<double>();
  EXPECT_EQ(analysis["summary"]["cycles"].get<int64_t>(), timeloop.cycles);
  EXPECT_NEAR(our_edp, timeloop_edp, 0.005 * timeloop_edp);
}

std::vector<std::string> ComponentFiles(const std::string& tutorial) {
  std::vector<std::string> files;
  for (const auto& entry :
       fs::directory_iterator(ReferenceDir() + "/timeloop/" + tutorial + "/arch/components"))
    files.push_back(entry.path().string());
  std::sort(files.begin(), files.end());
  return files;
}

void ExpectMapsWithComponentFolder(const std::string& tutorial, const std::string& arch,
                                   const std::string& prob) {
  const std::string base = ReferenceDir() + "/timeloop/" + tutorial + "/";
  std::string command = CyclopsBinary() + " map " + base + arch;
  for (const std::string& file : ComponentFiles(tutorial)) command += " " + file;
  command += " " + base + prob + " " + base + "mapper/mapper.yaml --evaluations 2000 --threads 2 --top 1";
  std::string output;
  EXPECT_EQ(RunCommand(command, &output), 0) << output;
  EXPECT_EQ(output.find("is also given"), std::string::npos) << output;
  EXPECT_NE(output.find("energy estimated"), std::string::npos) << output;  // no ERT in the folder
  EXPECT_NE(output.find("best mapping:"), std::string::npos) << output;
}

TEST(TimeloopInputs, Tutorial06ComponentFolderLoadsAsTimeloopLoadsIt) {
  ExpectMapsWithComponentFolder("tutorial-06-mapper-convlayer-eyeriss", "arch/eyeriss_like.yaml",
                                "prob/VGG02_layer5.yaml");
}

TEST(TimeloopInputs, Tutorial07ComponentFolderLoadsWithBothMacs) {
  ExpectMapsWithComponentFolder("tutorial-07-timeloop+accelergy-eyeriss", "arch/eyeriss_like-int16.yaml",
                                "prob/prob.yaml");
  ExpectMapsWithComponentFolder("tutorial-07-timeloop+accelergy-eyeriss", "arch/eyeriss_like-float32.yaml",
                                "prob/prob.yaml");
}

std::string Example(const std::string& arch) {
  const std::string dir = SourceDir() + "/configs/examples/eyeriss_like/";
  return arch + " " + dir + "conv_layer.yaml " + dir + "mapping.yaml";
}

TEST(TimeloopInputs, MisspeltAttributeWarnsAndStrictMakesItAnError) {
  std::string arch = ReadFile(SourceDir() + "/configs/examples/eyeriss_like/arch.yaml");
  const size_t at = arch.find("read_bandwidth");
  ASSERT_NE(at, std::string::npos);
  arch.replace(at, 14, "read_bandwdith");
  const std::string path = TempDir("typo") + "_arch.yaml";
  std::ofstream(path) << arch;
  const int line = 1 + static_cast<int>(std::count(arch.begin(), arch.begin() + static_cast<long>(at), '\n'));
  const int column = static_cast<int>(at - arch.rfind('\n', at));
  const std::string where = path + ":" + std::to_string(line) + ":" + std::to_string(column);
  const std::string ert = " " + SourceDir() + "/configs/examples/eyeriss_like/ERT.yaml";
  std::string output;
  EXPECT_EQ(RunCommand(CyclopsBinary() + " analyze " + Example(path) + ert, &output), 0) << output;
  EXPECT_NE(output.find(where + ": warning"), std::string::npos) << output;
  EXPECT_NE(output.find("did you mean 'read_bandwidth'?"), std::string::npos) << output;
  EXPECT_EQ(RunCommand(CyclopsBinary() + " analyze " + Example(path) + ert + " --strict", &output), 2)
      << output;
  EXPECT_NE(output.find(where + ": error"), std::string::npos) << output;
  EXPECT_EQ(RunCommand(CyclopsBinary() + " run " + Example(path) + ert + " --strict", &output), 2) << output;
}

TEST(TimeloopInputs, RunWithoutAnErtEstimatesEnergyAndSaysSo) {
  const std::string out = TempDir("no_ert");
  std::string output;
  ASSERT_EQ(
      RunCommand(CyclopsBinary() + " run " +
                     Example(SourceDir() + "/configs/examples/eyeriss_like/arch.yaml") + " --out " + out,
                 &output),
      0)
      << output;
  EXPECT_NE(output.find("estimated (no ERT given): Cyclops' primitive-component table at 32 nm"),
            std::string::npos)
      << output;
  const nlohmann::json summary = nlohmann::json::parse(ReadFile(out + "/summary.json"));
  EXPECT_GT(summary["energy_pj"]["simulated"].get<double>(), 0);
  EXPECT_GT(summary["energy_pj"]["analytical"].get<double>(), 0);
  EXPECT_EQ(summary["energy_source"].get<std::string>().rfind("estimated", 0), 0u);
}

}  // namespace
}  // namespace cyclops::test
