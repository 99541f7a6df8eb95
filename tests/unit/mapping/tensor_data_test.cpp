// Real-data helpers: the reference kernel, wrapping, seeded operands and mismatch reports, each checked
// against values worked out by hand in the comments.
#include "sim/mapping/tensor_data.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "sim/core/error.h"
#include "tests/support/test_shapes.h"

namespace cyclops::mapping {
namespace {

using test::Conv1D;

// The same layer with the dimensions listed the other way round (R innermost in the kernel's odometer).
spec::Workload Conv1DPFirst(int64_t r, int64_t p) {
  spec::Workload workload;
  workload.name = "conv1d_p_first";
  workload.dimensions = {"P", "R"};
  workload.bounds = {p, r};
  workload.data_spaces = {{"Weights", {{{1, -1}}}, false},
                          {"Inputs", {{{1, -1}, {0, -1}}}, false},
                          {"Outputs", {{{0, -1}}}, true}};
  return workload;
}

// w = {1, 2, 3}, x = {1, -1, 2, 0, 3, 1}; out[p] = sum_r w[r] * x[p + r]:
//   out[0] = 1*1    + 2*(-1) + 3*2 = 1 - 2 + 6 = 5
//   out[1] = 1*(-1) + 2*2    + 3*0 = -1 + 4 + 0 = 3
//   out[2] = 1*2    + 2*0    + 3*3 = 2 + 0 + 9 = 11
//   out[3] = 1*0    + 2*3    + 3*1 = 0 + 6 + 3 = 9
std::vector<Tensor> HandTensors(const spec::Workload& workload) {
  std::vector<Tensor> tensors = ShapeTensors(workload);
  tensors[0].values = {1, 2, 3};
  tensors[1].values = {1, -1, 2, 0, 3, 1};
  return tensors;
}

TEST(TensorDataTest, ShapeTensorsSizesEachDataSpaceByItsLargestCoordinate) {
  // Weights[R]: 3; Inputs[R+P]: (3-1) + (4-1) + 1 = 6; Outputs[P]: 4. Everything starts at 0.
  const std::vector<Tensor> tensors = ShapeTensors(Conv1D(3, 4));
  ASSERT_EQ(tensors.size(), 3u);
  EXPECT_EQ(tensors[0].rank_extent, (std::vector<int64_t>{3}));
  EXPECT_EQ(tensors[1].rank_extent, (std::vector<int64_t>{6}));
  EXPECT_EQ(tensors[2].rank_extent, (std::vector<int64_t>{4}));
  EXPECT_EQ(tensors[1].values, (std::vector<int64_t>(6, 0)));
}

TEST(TensorDataTest, ReferenceResultOfTinyConv1DMatchesHandComputation) {
  const spec::Workload workload = Conv1D(3, 4);
  std::vector<Tensor> tensors = HandTensors(workload);
  tensors[2].values = {100, 100, 100, 100};  // stale results must not leak into the reference
  const Tensor result = ReferenceResult(workload, tensors, 32);
  EXPECT_EQ(result.rank_extent, (std::vector<int64_t>{4}));
  EXPECT_EQ(result.values, (std::vector<int64_t>{5, 3, 11, 9}));
}

TEST(TensorDataTest, ReferenceResultDoesNotDependOnDimensionOrder) {
  const spec::Workload workload = Conv1DPFirst(3, 4);
  const Tensor result = ReferenceResult(workload, HandTensors(workload), 32);
  EXPECT_EQ(result.values, (std::vector<int64_t>{5, 3, 11, 9}));
}

TEST(TensorDataTest, ReferenceResultWrapsToPsumBits) {
  // 4-bit two's complement holds [-8, 7]: 5 -> 5, 3 -> 3, 11 -> 11 - 16 = -5, 9 -> 9 - 16 = -7.
  const spec::Workload workload = Conv1D(3, 4);
  const Tensor result = ReferenceResult(workload, HandTensors(workload), 4);
  EXPECT_EQ(result.values, (std::vector<int64_t>{5, 3, -5, -7}));
}

TEST(TensorDataTest, WrapToBitsWrapsTwosComplement) {
  // 8 bits hold [-128, 127]: 130 - 256 = -126; -129 + 256 = 127.
  EXPECT_EQ(WrapToBits(130, 8), -126);
  EXPECT_EQ(WrapToBits(-129, 8), 127);
  EXPECT_EQ(WrapToBits(127, 8), 127);
  EXPECT_EQ(WrapToBits(-128, 8), -128);
  EXPECT_EQ(WrapToBits(128, 8), -128);
  EXPECT_EQ(WrapToBits(256 + 5, 8), 5);
  // 1 bit holds [-1, 0]: 1 -> -1, 2 -> 0.
  EXPECT_EQ(WrapToBits(1, 1), -1);
  EXPECT_EQ(WrapToBits(2, 1), 0);
  // 64 bits and more leave the value alone.
  EXPECT_EQ(WrapToBits(INT64_MIN, 64), INT64_MIN);
  EXPECT_EQ(WrapToBits(123456789012345, 80), 123456789012345);
}

TEST(TensorDataTest, FillOperandsIsDeterministicPerSeedAndDiffersBetweenSeeds) {
  const spec::Workload workload = Conv1D(3, 64);  // 3 weights + 66 inputs
  std::vector<Tensor> a = ShapeTensors(workload), b = ShapeTensors(workload), c = ShapeTensors(workload);
  FillOperands(workload, 7, 8, a);
  FillOperands(workload, 7, 8, b);
  FillOperands(workload, 8, 8, c);
  EXPECT_EQ(a[0].values, b[0].values);
  EXPECT_EQ(a[1].values, b[1].values);
  // 66 values of 8 bits agreeing by chance between two seeds: probability 256^-66.
  EXPECT_NE(a[1].values, c[1].values);
  // The result is not an operand: it stays at zero.
  EXPECT_EQ(a[2].values, (std::vector<int64_t>(64, 0)));
}

TEST(TensorDataTest, FillOperandsStaysWithinSignedRangeOfBits) {
  const spec::Workload workload = Conv1D(3, 400);
  for (int bits : {2, 8}) {
    std::vector<Tensor> tensors = ShapeTensors(workload);
    FillOperands(workload, 1, bits, tensors);
    // bits = 2: [-2, 1]; bits = 8: [-128, 127].
    const int64_t lowest = -(int64_t{1} << (bits - 1)), highest = (int64_t{1} << (bits - 1)) - 1;
    for (int d : {0, 1})
      for (int64_t value : tensors[d].values) {
        EXPECT_GE(value, lowest) << "bits " << bits;
        EXPECT_LE(value, highest) << "bits " << bits;
      }
    if (bits == 2) {  // 402 draws from 4 values: both ends appear (missing one has probability (3/4)^402)
      const auto [min, max] = std::minmax_element(tensors[1].values.begin(), tensors[1].values.end());
      EXPECT_EQ(*min, -2);
      EXPECT_EQ(*max, 1);
    }
  }
}

TEST(TensorDataTest, FirstMismatchNamesDataSpaceAndFirstDifferingCoordinate) {
  const spec::Workload workload = Conv1D(3, 4);
  Tensor expected = ShapeTensors(workload)[2];
  expected.values = {5, 3, 11, 9};
  Tensor actual = expected;
  EXPECT_FALSE(FirstMismatch(workload, 2, expected, actual).has_value());
  actual.values[2] = 12;
  actual.values[3] = 0;  // a later difference is not the first
  EXPECT_EQ(FirstMismatch(workload, 2, expected, actual), "Outputs[P=2]: expected 11, simulated 12");
}

TEST(TensorDataTest, FirstMismatchLabelsRanksByTheirProjectedDimensions) {
  // Inputs' only rank is R + P; the first difference is at address 4.
  const spec::Workload workload = Conv1D(3, 4);
  const std::vector<Tensor> tensors = HandTensors(workload);
  Tensor actual = tensors[1];
  actual.values[4] = 0;
  EXPECT_EQ(FirstMismatch(workload, 1, tensors[1], actual), "Inputs[R+P=4]: expected 3, simulated 0");
}

TEST(TensorDataTest, FirstMismatchReportsMissingSimulatedValues) {
  const spec::Workload workload = Conv1D(3, 4);
  Tensor expected = ShapeTensors(workload)[2];
  expected.values = {5, 3, 11, 9};
  Tensor actual = expected;
  actual.values.resize(3);
  EXPECT_EQ(FirstMismatch(workload, 2, expected, actual), "Outputs[P=3]: expected 9, simulated nothing");
}

TEST(TensorDataTest, RolesOfFindsTwoOperandsAndOneResult) {
  const OperandRoles roles = RolesOf(Conv1D(3, 4));
  EXPECT_EQ(roles.first, 0);
  EXPECT_EQ(roles.second, 1);
  EXPECT_EQ(roles.result, 2);
}

TEST(TensorDataTest, RolesOfRejectsTwoReadWriteDataSpaces) {
  spec::Workload workload = Conv1D(3, 4);
  workload.data_spaces[1].read_write = true;  // Inputs and Outputs both accumulated
  EXPECT_THROW(RolesOf(workload), SpecError);
  std::vector<Tensor> tensors = ShapeTensors(workload);
  EXPECT_THROW(FillOperands(workload, 1, 8, tensors), SpecError);
}

TEST(TensorDataTest, RolesOfRejectsThreeReadOnlyDataSpaces) {
  spec::Workload workload = Conv1D(3, 4);
  workload.data_spaces[2].read_write = false;
  EXPECT_THROW(RolesOf(workload), SpecError);
}

}  // namespace
}  // namespace cyclops::mapping
