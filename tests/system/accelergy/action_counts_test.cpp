// Accelergy's own computation over `cyclops run`'s action_counts.yaml — for every component, the energy
// of each action in the ERT (matched by the component's full name and the action's arguments) times its
// count — gives exactly the energy Cyclops reports. Done here the way accelergy/energy_calculator.py
// does it, with an independent YAML reader, on three layers with different row widths and on the
// estimated table Cyclops writes when no ERT is given.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <nlohmann/json.hpp>

#include "tests/support/paths.h"

namespace cyclops::test {
namespace {

// Accelergy's ComponentERTEntry.get_action_energy: null arguments take the first entry of the action;
// given arguments must all match.
double ActionEnergy(const YAML::Node& actions, const YAML::Node& counted) {
  const std::string name = counted["name"].as<std::string>();
  const YAML::Node arguments = counted["arguments"];
  for (const YAML::Node& entry : actions) {
    if (entry["name"].as<std::string>() != name) continue;
    if (!arguments || arguments.IsNull()) return entry["energy"].as<double>();
    bool matched = true;
    for (const auto& argument : arguments)
      matched = matched && entry["arguments"][argument.first.as<std::string>()] &&
                entry["arguments"][argument.first.as<std::string>()].as<std::string>() ==
                    argument.second.as<std::string>();
    if (matched) return entry["energy"].as<double>();
  }
  ADD_FAILURE() << "no ERT entry for action " << name;
  return 0;
}

double AccelergyEnergy(const std::string& action_counts_file, const std::string& ert_file) {
  const YAML::Node ert = YAML::LoadFile(ert_file)["ERT"]["tables"];
  double total = 0;
  for (const YAML::Node& component : YAML::LoadFile(action_counts_file)["action_counts"]["local"]) {
    const std::string name = component["name"].as<std::string>();
    YAML::Node actions;
    for (const YAML::Node& table : ert)
      if (table["name"].as<std::string>() == name) actions = table["actions"];
    EXPECT_TRUE(actions.IsDefined()) << name << " is not named as in the ERT";
    if (!actions.IsDefined()) continue;
    double component_energy = 0;
    for (const YAML::Node& counted : component["action_counts"])
      component_energy = component_energy + ActionEnergy(actions, counted) * counted["counts"].as<double>();
    total += component_energy;
  }
  return total;
}

struct Case {
  std::string name;
  std::vector<std::string> files;  // the ERT last (absent: Cyclops estimates one)
};

void ExpectCountsTimesErtIsReportedEnergy(const Case& layer) {
  const std::string out = TempDir("accelergy_" + layer.name);
  std::string command = CyclopsBinary() + " run";
  for (const std::string& file : layer.files) command += " " + file;
  std::string output;
  ASSERT_EQ(RunCommand(command + " --out " + out, &output), 0) << output;
  const nlohmann::json summary = nlohmann::json::parse(ReadFile(out + "/summary.json"));
  const bool estimated = layer.files.back().find("ERT") == std::string::npos;
  const std::string ert = estimated ? out + "/estimated_ERT.yaml" : layer.files.back();
  const double reported = summary["energy_pj"]["simulated"];
  EXPECT_GT(reported, 0);
  EXPECT_EQ(AccelergyEnergy(out + "/action_counts.yaml", ert), reported) << layer.name;
  EXPECT_EQ(summary["energy_source"].get<std::string>().rfind("estimated", 0) == 0, estimated);
}

TEST(AccelergyActionCounts, MainExample) {
  // 64-bit DRAM and GLB rows of 8-bit values (8 per row), 16-bit spads: the old per-value counts priced
  // DRAM alone 8 times too high.
  const std::string dir = SourceDir() + "/configs/examples/eyeriss_like/";
  ExpectCountsTimesErtIsReportedEnergy(
      {"example", {dir + "arch.yaml", dir + "conv_layer.yaml", dir + "mapping.yaml", dir + "ERT.yaml"}});
}

TEST(AccelergyActionCounts, Tutorial03Bypass) {
  // 256-bit DRAM rows (32 values), 64-bit GLB rows, a 1-value register file; Timeloop's names with a
  // capital System_top_level.
  const std::string dir = ReferenceDir() + "/timeloop/tutorial-03-model-conv1d+oc-3level/ref-output/bypass/";
  ExpectCountsTimesErtIsReportedEnergy(
      {"tutorial03", {dir + "parsed-processed-input.yaml", dir + "timeloop-model.ERT.yaml"}});
}

TEST(AccelergyActionCounts, Tutorial04SpatialCase) {
  // 16 register files under a fan-out: per-instance rows summed over instances.
  const std::string dir =
      ReferenceDir() + "/timeloop/tutorial-04-model-conv1d+oc-3levelspatial/ref-output/kp/";
  ExpectCountsTimesErtIsReportedEnergy(
      {"tutorial04", {dir + "parsed-processed-input.yaml", dir + "timeloop-model.ERT.yaml"}});
}

TEST(AccelergyActionCounts, EstimatedTableWithoutAnErt) {
  const std::string dir = SourceDir() + "/configs/examples/eyeriss_like/";
  ExpectCountsTimesErtIsReportedEnergy(
      {"estimated", {dir + "arch.yaml", dir + "conv_layer.yaml", dir + "mapping.yaml"}});
}

}  // namespace
}  // namespace cyclops::test
