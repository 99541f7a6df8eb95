// Sweep files (sim/spec/sweep_loader): value lists, ranges and zips as written, and the strict errors.
#include "sim/spec/sweep_loader.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sim/core/error.h"
#include "tests/support/paths.h"

namespace cyclops::spec {
namespace {

// Relative paths resolve against the configs folder, so the presets can be named as in the repository.
SweepSpec Load(const std::string& text) {
  return LoadSweepDocument("sweep.yaml", text, test::SourceDir() + "/configs");
}

std::vector<std::string> Texts(const SweepParameter& parameter) {
  std::vector<std::string> texts;
  for (const SweepValue& value : parameter.values) texts.push_back(value.text);
  return texts;
}

// The SpecError a document raises (its location and message), or a failure when it loads.
SpecError ErrorOf(const std::string& text) {
  try {
    Load(text);
  } catch (const SpecError& error) {
    return error;
  }
  ADD_FAILURE() << "loaded without error:\n" << text;
  return SpecError({}, "");
}

TEST(SweepLoader, ListsRangesAndZips) {
  const SweepSpec sweep = Load(R"(sweep:
  name: study
  command: run
  files: [arch/eyeriss_v1.yaml, energy/eyeriss_v1_65nm_relative.yaml]
  options: [--map-evaluations, 500]
  parameters:
  - architecture.glb.depth: [6400, 12800]
  - noc.iact_width_bits: {from: 16, to: 64, step: 16}
  - architecture.filter_glb.depth: {from: 256, to: 2048, factor: 2}
  - zip:
      workload: [workloads/layers/mobilenet_v1_dw13.yaml, workloads/layers/alexnet_conv3.yaml]
      cyclops.seed: [1, 2]
)");
  EXPECT_EQ(sweep.name, "study");
  EXPECT_EQ(sweep.command, "run");
  ASSERT_EQ(sweep.files.size(), 2u);
  EXPECT_EQ(sweep.files[0], test::SourceDir() + "/configs/arch/eyeriss_v1.yaml");
  EXPECT_EQ(sweep.options, (std::vector<std::string>{"--map-evaluations", "500"}));
  ASSERT_EQ(sweep.axes.size(), 4u);
  EXPECT_EQ(Texts(sweep.axes[0].parameters[0]), (std::vector<std::string>{"6400", "12800"}));
  EXPECT_EQ(sweep.axes[0].parameters[0].kind, SweepKeyKind::kArchitectureAttribute);
  // 16 to 64 inclusive in steps of 16; 256 to 2048 doubling.
  EXPECT_EQ(Texts(sweep.axes[1].parameters[0]), (std::vector<std::string>{"16", "32", "48", "64"}));
  EXPECT_EQ(sweep.axes[1].parameters[0].kind, SweepKeyKind::kNocParam);
  EXPECT_EQ(Texts(sweep.axes[2].parameters[0]), (std::vector<std::string>{"256", "512", "1024", "2048"}));
  ASSERT_EQ(sweep.axes[3].parameters.size(), 2u);  // a zip: one axis of two values
  EXPECT_EQ(sweep.axes[3].size(), 2u);
  EXPECT_EQ(sweep.axes[3].parameters[0].kind, SweepKeyKind::kFile);
  EXPECT_EQ(sweep.axes[3].parameters[0].values[1].text,
            test::SourceDir() + "/configs/workloads/layers/alexnet_conv3.yaml");
  EXPECT_EQ(sweep.axes[3].parameters[1].kind, SweepKeyKind::kSpecPath);
  EXPECT_EQ(sweep.PointCount(), 2u * 4u * 4u * 2u);
}

TEST(SweepLoader, FractionalRangesAvoidAccumulatedRounding) {
  const SweepSpec sweep = Load(R"(sweep:
  command: analyze
  parameters:
  - architecture.DRAM.shared_bandwidth: {from: 0.1, to: 0.5, step: 0.1}
)");
  // 0.1 + 4 x 0.1 must still reach 0.5 (adding 0.1 four times gives 0.5000000000000001).
  EXPECT_EQ(Texts(sweep.axes[0].parameters[0]),
            (std::vector<std::string>{"0.1", "0.2", "0.3", "0.4", "0.5"}));
  EXPECT_EQ(sweep.name, "sweep");  // the file's stem when no name is given
}

TEST(SweepLoader, ErrorsNameTheLocationAndWhatIsValid) {
  SpecError unknown = ErrorOf("sweep:\n  command: run\n  parameters: []\n  jobs: 3\n");
  EXPECT_EQ(unknown.where().line, 4);
  EXPECT_NE(std::string(unknown.what()).find("jobs"), std::string::npos);
  EXPECT_NE(unknown.valid().find("parameters"), std::string::npos);

  SpecError command = ErrorOf("sweep:\n  command: simulate\n  parameters: []\n");
  EXPECT_EQ(command.where().line, 2);
  EXPECT_NE(command.valid().find("analyze, run, network"), std::string::npos);

  SpecError path = ErrorOf("sweep:\n  command: run\n  parameters:\n  - glb.depth: [1, 2]\n");
  EXPECT_EQ(path.where().line, 4);
  EXPECT_EQ(path.where().column, 5);
  EXPECT_NE(path.valid().find("architecture.<component>.<attribute>"), std::string::npos);

  SpecError zip = ErrorOf(
      "sweep:\n  command: run\n  parameters:\n  - zip:\n      noc.a: [1, 2]\n      noc.b: [1, 2, 3]\n");
  EXPECT_EQ(zip.where().line, 6);
  EXPECT_NE(std::string(zip.what()).find("3 values"), std::string::npos);

  SpecError missing = ErrorOf("sweep:\n  command: run\n  files: [arch/no_such.yaml]\n  parameters: []\n");
  EXPECT_EQ(missing.where().line, 3);
  EXPECT_NE(std::string(missing.what()).find("no such file"), std::string::npos);

  SpecError both =
      ErrorOf("sweep:\n  command: run\n  parameters:\n  - noc.w: {from: 1, to: 4, step: 1, factor: 2}\n");
  EXPECT_NE(std::string(both.what()).find("exactly one of 'step' and 'factor'"), std::string::npos);

  SpecError empty = ErrorOf("sweep:\n  command: run\n  parameters:\n  - noc.w: []\n");
  EXPECT_NE(std::string(empty.what()).find("no values"), std::string::npos);

  SpecError objective =
      ErrorOf("sweep:\n  command: run\n  parameters:\n  - mapper.objective: [edp, speed]\n");
  EXPECT_EQ(objective.where().line, 4);
  EXPECT_NE(objective.valid().find("latency"), std::string::npos);

  SpecError twice = ErrorOf("sweep:\n  command: run\n  parameters:\n  - noc.w: [1]\n  - noc.w: [2]\n");
  EXPECT_EQ(twice.where().line, 5);

  SpecError network = ErrorOf("sweep:\n  command: run\n  parameters:\n  - network: [x.yaml]\n");
  EXPECT_NE(std::string(network.what()).find("command: network"), std::string::npos);

  SpecError no_network = ErrorOf("sweep:\n  command: network\n  parameters: []\n");
  EXPECT_NE(std::string(no_network.what()).find("needs a network file"), std::string::npos);
}

}  // namespace
}  // namespace cyclops::spec
