#include "sim/core/checked_math.h"

#include <gtest/gtest.h>

namespace cyclops {
namespace {

TEST(CheckedMath, ProductsAndSumsUpTo2To63MinusOne) {
  EXPECT_EQ(CheckedMul(int64_t{1} << 31, int64_t{1} << 31), int64_t{1} << 62);
  EXPECT_EQ(CheckedMul(int64_t{1} << 32, int64_t{1} << 31), std::nullopt);  // 2^63
  EXPECT_EQ(CheckedMul(INT64_MAX, 1), INT64_MAX);
  EXPECT_EQ(CheckedMul(3037000500, 3037000500), std::nullopt);  // just above sqrt(2^63)
  EXPECT_EQ(CheckedAdd(INT64_MAX - 1, 1), INT64_MAX);
  EXPECT_EQ(CheckedAdd(INT64_MAX, 1), std::nullopt);
}

TEST(CheckedMath, MulDivKeepsTheProductIn128Bits) {
  // 2^62 × 6 ÷ 3 = 2^63: does not fit; 2^62 × 3 ÷ 6 = 2^61 does, although 2^62 × 3 overflows 64 bits.
  EXPECT_EQ(CheckedMulDiv(int64_t{1} << 62, 6, 3), std::nullopt);
  EXPECT_EQ(CheckedMulDiv(int64_t{1} << 62, 3, 6), int64_t{1} << 61);
  EXPECT_EQ(CheckedMulDiv(5, 7, 0), std::nullopt);
}

TEST(CheckedMath, DoublesBeyond2To63OrNotFiniteAreRefused) {
  EXPECT_EQ(CheckedFromDouble(1e18), int64_t{1000000000000000000});
  EXPECT_EQ(CheckedFromDouble(1e19), std::nullopt);
  EXPECT_EQ(CheckedFromDouble(1e26), std::nullopt);  // a read of 1e6 values at 1e-20 values per cycle
  EXPECT_EQ(CheckedFromDouble(std::numeric_limits<double>::quiet_NaN()), std::nullopt);
  EXPECT_EQ(CheckedFromDouble(-std::numeric_limits<double>::infinity()), std::nullopt);
}

}  // namespace
}  // namespace cyclops
