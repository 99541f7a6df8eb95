#include "sim/mapping/resource_estimate.h"

#include <gtest/gtest.h>

#include "sim/analysis/analysis.h"
#include "sim/spec/loader.h"
#include "tests/support/paths.h"

namespace cyclops::mapping {
namespace {

spec::Spec Example() {
  const std::string dir = test::SourceDir() + "/configs/examples/eyeriss_like/";
  return spec::LoadSpecFiles(
      {dir + "arch.yaml", dir + "conv_layer.yaml", dir + "mapping.yaml", dir + "ERT.yaml"});
}

TEST(ResourceEstimate, TheExampleByHand) {
  const spec::Spec spec = Example();
  const analysis::AnalysisResult analysis =
      analysis::Analyze(*spec.architecture, *spec.workload, *spec.mapping, &*spec.energy);
  const ResourceEstimate estimate =
      EstimateLayerRun(*spec.architecture, *spec.workload, *spec.mapping, analysis, /*with_noc=*/false);
  EXPECT_EQ(estimate.macs, 903168);  // 16·32·3·3·1·14·14
  EXPECT_EQ(estimate.pes, 168);      // 14 × 12
  EXPECT_EQ(estimate.analytical_cycles, analysis.cycles);
  // 8-byte values: Weights 16·32·3·3 = 4,608 and Inputs 16·16·16 = 4,096, each as the tensor and the
  // outermost level's copy; Outputs 32·14·14 = 6,272 four times (tensor, copy, simulated, expected).
  EXPECT_DOUBLE_EQ(estimate.value_bytes, 8.0 * (2 * 4608 + 2 * 4096 + 4 * 6272));
  EXPECT_EQ(estimate.noc_bytes, 0);
  EXPECT_GT(estimate.tile_buffer_bytes, 0);
  EXPECT_GT(estimate.expected_seconds, 0);
}

TEST(ResourceEstimate, LimitsRefuseWithTheReason) {
  const spec::Spec spec = Example();
  ResourceEstimate estimate;
  estimate.macs = 2'000'000;
  estimate.value_bytes = 3.0 * 1024 * 1024 * 1024;
  try {
    CheckResourceLimits(estimate, {2.0 * 1024 * 1024 * 1024, 0}, spec.workload->where, "simulating it");
    ADD_FAILURE() << "no error";
  } catch (const SpecError& error) {
    EXPECT_NE(std::string(error.what())
                  .find("about 3.00 GB of memory (most of it for the tensors' values), "
                        "above --max-memory 2.00 GB"),
              std::string::npos)
        << error.what();
  }
  try {
    CheckResourceLimits(estimate, {4.0 * 1024 * 1024 * 1024, 1e6}, spec.workload->where, "simulating it");
    ADD_FAILURE() << "no error";
  } catch (const SpecError& error) {
    EXPECT_NE(std::string(error.what()).find("2,000,000 MACs"), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.valid()).find("--analytical-only"), std::string::npos);
  }
  EXPECT_NO_THROW(CheckResourceLimits(estimate, {4.0 * 1024 * 1024 * 1024, 1e7}, spec.workload->where, "it"));
}

TEST(ResourceEstimate, ByteSizesAreReadWithTheirUnits) {
  EXPECT_EQ(ParseByteSize("512"), 512.0);
  EXPECT_EQ(ParseByteSize("64k"), 64.0 * 1024);
  EXPECT_EQ(ParseByteSize("1.5G"), 1.5 * 1024 * 1024 * 1024);
  EXPECT_EQ(ParseByteSize("2GB"), 2.0 * 1024 * 1024 * 1024);
  EXPECT_EQ(ParseByteSize("1T"), 1024.0 * 1024 * 1024 * 1024);
  EXPECT_EQ(ParseByteSize("lots"), std::nullopt);
  EXPECT_EQ(ParseByteSize("-1G"), std::nullopt);
  EXPECT_EQ(ParseByteSize("nan"), std::nullopt);
  EXPECT_EQ(ParseByteSize("8X"), std::nullopt);
}

}  // namespace
}  // namespace cyclops::mapping
