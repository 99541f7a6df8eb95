// The points of a sweep (sim/sweep/sweep_points): the order nested loops would visit them in, zips varying
// together, the key that recognises a point, and what each point runs on.
#include "sim/sweep/sweep_points.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "sim/core/error.h"
#include "sim/spec/sweep_loader.h"
#include "tests/support/paths.h"

namespace cyclops::sweep {
namespace {

Sweep Make(const std::string& parameters, const std::string& files = "[arch/eyeriss_v1.yaml]") {
  return Sweep(spec::LoadSweepDocument(
      "sweep.yaml", "sweep:\n  command: run\n  files: " + files + "\n  parameters:\n" + parameters,
      test::SourceDir() + "/configs"));
}

const std::string kLayers =
    "  - workload: [workloads/layers/mobilenet_v1_dw13.yaml, workloads/layers/mobilenet_v1_dw12.yaml]\n";

TEST(SweepPoints, FirstAxisSlowestZipsTogether) {
  const Sweep sweep = Make(
      "  - architecture.glb.depth: [100, 200]\n"
      "  - zip:\n      noc.a: [1, 2, 3]\n      noc.b: [x, y, z]\n");
  ASSERT_EQ(sweep.size(), 6u);  // 2 x 3
  // Index 4 = depth digit 4 / 3 = 1, zip digit 4 % 3 = 1.
  EXPECT_EQ(sweep.Point(4).Label(), "architecture.glb.depth=200 noc.a=2 noc.b=y");
  EXPECT_EQ(sweep.Point(0).Label(), "architecture.glb.depth=100 noc.a=1 noc.b=x");
  EXPECT_EQ(sweep.Point(5).Label(), "architecture.glb.depth=200 noc.a=3 noc.b=z");
}

TEST(SweepPoints, KeysFollowTheInputsNotTheOrder) {
  const Sweep forward = Make("  - architecture.glb.depth: [6400, 12800]\n" + kLayers);
  const Sweep reversed = Make("  - architecture.glb.depth: [12800, 6400]\n" + kLayers);
  std::set<std::string> keys;
  for (size_t i = 0; i < forward.size(); ++i) keys.insert(forward.Inputs(forward.Point(i)).key);
  EXPECT_EQ(keys.size(), 4u);  // four different points
  // Point 0 of the forward sweep (6400, dw13) is point 2 of the reversed one.
  EXPECT_EQ(forward.Inputs(forward.Point(0)).key, reversed.Inputs(reversed.Point(2)).key);
  EXPECT_EQ(forward.Inputs(forward.Point(0)).key.size(), 16u);
  // 12800 is the preset's own depth: the architecture document is unchanged and passed as it is.
  const PointInputs unchanged = forward.Inputs(forward.Point(2));
  EXPECT_FALSE(unchanged.documents[0].changed);
  EXPECT_TRUE(forward.Inputs(forward.Point(0)).documents[0].changed);
}

TEST(SweepPoints, FilesWithoutAMappingAreMappedFirst) {
  const Sweep sweep = Make("  - mapper.evaluations: [300]\n" + kLayers,
                           "[arch/eyeriss_v1.yaml, energy/eyeriss_v1_65nm_relative.yaml]");
  const PointInputs inputs = sweep.Inputs(sweep.Point(1));
  EXPECT_TRUE(inputs.map_first);
  // run's own defaults (EDP with an ERT, the spec's seed 1), the point's settings, one thread per point.
  EXPECT_EQ(inputs.map_options, (std::vector<std::string>{"--objective", "edp", "--seed", "1",
                                                          "--evaluations", "300", "--threads", "1"}));
  ASSERT_EQ(inputs.documents.size(), 3u);
  EXPECT_EQ(inputs.documents[2].document.name,
            test::SourceDir() + "/configs/workloads/layers/mobilenet_v1_dw12.yaml");
}

TEST(SweepPoints, MapperSettingsNeedFilesWithoutAMapping) {
  const Sweep sweep = Make("  - mapper.objective: [latency]\n",
                           "[arch/eyeriss_v1.yaml, workloads/layers/mobilenet_v1_dw13.yaml, "
                           "mappings/eyeriss_v1_mobilenet_dw13.yaml]");
  try {
    sweep.Inputs(sweep.Point(0));
    FAIL() << "no error";
  } catch (const SpecError& error) {
    EXPECT_EQ(error.where().line, 5);  // the mapper.objective key
    EXPECT_NE(std::string(error.what()).find("hold a mapping"), std::string::npos);
  }
}

TEST(SweepPoints, ABadValueNamesThePoint) {
  const Sweep sweep = Make("  - architecture.glb.depth: [64, minus_one]\n" + kLayers);
  EXPECT_NO_THROW(sweep.Inputs(sweep.Point(0)));
  try {
    sweep.Inputs(sweep.Point(2));
    FAIL() << "no error";
  } catch (const SpecError& error) {
    EXPECT_NE(std::string(error.what()).find("sweep point 2 (architecture.glb.depth=minus_one"),
              std::string::npos);
    EXPECT_NE(std::string(error.what()).find("minus_one"), std::string::npos);
  }
}

}  // namespace
}  // namespace cyclops::sweep
