// DenseBurst: the regrouped dense MAC burst gives the values and first-touch count of the program's own
// loop order. Every expected value is worked out by hand in the comments.
#include "models/pe/dense_burst.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace cyclops::models {
namespace {

TEST(DenseBurstTest, OutputLoopAroundAReductionSumsEachPsumOnce) {
  // Loops innermost first: an output loop (2, o step 1) inside a reduction (3, o step 0), so the program
  // order would add into each psum three times: o[i] += a[3i + j] * b[j].
  const DenseBurst burst({2, 3}, {3, 1}, {0, 1}, {1, 0});
  const std::vector<int64_t> a = {1, 2, 3, 4, 5, 6}, b = {1, 10, 100};
  std::vector<int64_t> o = {0, 7};
  std::vector<uint8_t> fresh = {1, 0};
  // o[0] = 1·1 + 2·10 + 3·100 = 321; o[1] = 7 + 4·1 + 5·10 + 6·100 = 661; one psum was fresh.
  EXPECT_EQ(burst.Run(a.data(), b.data(), o.data(), fresh.data(), 0, 0, 0), 1);
  EXPECT_EQ(o, (std::vector<int64_t>{321, 661}));
  EXPECT_EQ(fresh, (std::vector<uint8_t>{0, 0}));
}

TEST(DenseBurstTest, TenPsumsSharingTheFirstOperandAreSummedInBlocks) {
  // An output loop of 10 (a stays, b step 2, o step 1) inside a reduction of 3 (a, b step 1), so the
  // psums go in a block of 8 and one of 2: o[j] = a[0]·b[2j] + a[1]·b[2j+1] + a[2]·b[2j+2] with
  // a = {1, 2, 3}, b[i] = i: 2j + 2(2j+1) + 3(2j+2) = 12j + 8, added to o[j] = 100 - j; o[1] and o[9]
  // were not fresh.
  const DenseBurst burst({10, 3}, {0, 1}, {2, 1}, {1, 0});
  const std::vector<int64_t> a = {1, 2, 3};
  std::vector<int64_t> b(21), o(10), want(10);
  for (int64_t i = 0; i < 21; ++i) b[static_cast<size_t>(i)] = i;
  for (int64_t j = 0; j < 10; ++j) {
    o[static_cast<size_t>(j)] = 100 - j;
    want[static_cast<size_t>(j)] = 100 - j + 12 * j + 8;
  }
  std::vector<uint8_t> fresh(10, 1);
  fresh[1] = fresh[9] = 0;
  EXPECT_EQ(burst.Run(a.data(), b.data(), o.data(), fresh.data(), 0, 0, 0), 8);
  EXPECT_EQ(o, want);
  EXPECT_EQ(fresh, std::vector<uint8_t>(10, 0));
}

TEST(DenseBurstTest, OverNonzerosSumsOnlyTheTermsWhoseStayingValueIsNonzero) {
  // The first test's burst (b stays over the output loop of 2) with b = {0, 10, 0}: only the middle term
  // adds, o[0] = 2·10 = 20 and o[1] = 7 + 5·10 = 57; the two zero terms are 2 × 2 = 4 MACs with a zero
  // staying value, and o[0]'s first touch (the first term) is one of them.
  const DenseBurst burst({2, 3}, {3, 1}, {0, 1}, {1, 0});
  EXPECT_TRUE(burst.BlocksKeep(/*first=*/false));
  EXPECT_FALSE(burst.BlocksKeep(/*first=*/true));
  const std::vector<int64_t> a = {1, 2, 3, 4, 5, 6}, b = {0, 10, 0};
  std::vector<int64_t> o = {0, 7};
  std::vector<uint8_t> fresh = {1, 0};
  DenseBurst::StayingZeros zeros;
  EXPECT_EQ(burst.RunOverNonzeros(a.data(), b.data(), o.data(), fresh.data(), 0, 0, 0, zeros), 1);
  EXPECT_EQ(o, (std::vector<int64_t>{20, 57}));
  EXPECT_EQ(zeros.macs, 4);
  EXPECT_EQ(zeros.first_touches, 1);
  EXPECT_EQ(fresh, (std::vector<uint8_t>{0, 0}));
}

TEST(DenseBurstTest, StartsAtTheGivenAddresses) {
  // One reduction of 2 from a[1], b[2] into o[1]: 20·3 + 30·4 = 180.
  const DenseBurst burst({2}, {1}, {1}, {0});
  const std::vector<int64_t> a = {10, 20, 30}, b = {1, 2, 3, 4};
  std::vector<int64_t> o = {0, 0};
  std::vector<uint8_t> fresh = {1, 1};
  EXPECT_EQ(burst.Run(a.data(), b.data(), o.data(), fresh.data(), 1, 2, 1), 1);
  EXPECT_EQ(o, (std::vector<int64_t>{0, 180}));
  EXPECT_EQ(fresh, (std::vector<uint8_t>{1, 0}));  // only the psum touched
}

TEST(DenseBurstTest, ALongReductionAndContiguousLoopsSumEveryMac) {
  // 17 (longer than the unrolled lengths) inside a contiguous 2 (steps 17, 17): one run of 34 over
  // a[i] = i, b[i] = 2, i.e. 2 · (0 + ... + 33) = 2 · 561 = 1122.
  const DenseBurst burst({17, 2}, {1, 17}, {1, 17}, {0, 0});
  std::vector<int64_t> a(34), b(34, 2);
  for (int64_t i = 0; i < 34; ++i) a[static_cast<size_t>(i)] = i;
  std::vector<int64_t> o = {5};
  std::vector<uint8_t> fresh = {0};
  EXPECT_EQ(burst.Run(a.data(), b.data(), o.data(), fresh.data(), 0, 0, 0), 0);
  EXPECT_EQ(o[0], 5 + 1122);
}

TEST(DenseBurstTest, WithoutAReductionEveryMacUpdatesItsOwnPsum) {
  // An output loop of 3 (a step 1, b broadcast) inside another of 2 (a step 3, o step 3):
  // o[3k + i] += a[3k + i] · 2; all six psums fresh.
  const DenseBurst burst({3, 2}, {1, 3}, {0, 0}, {1, 3});
  const std::vector<int64_t> a = {1, 2, 3, 4, 5, 6}, b = {2};
  std::vector<int64_t> o(6, 1);
  std::vector<uint8_t> fresh(6, 1);
  EXPECT_EQ(burst.Run(a.data(), b.data(), o.data(), fresh.data(), 0, 0, 0), 6);
  EXPECT_EQ(o, (std::vector<int64_t>{3, 5, 7, 9, 11, 13}));
}

TEST(DenseBurstTest, ABurstOfOneMac) {
  const DenseBurst burst({}, {}, {}, {});
  const std::vector<int64_t> a = {3}, b = {4};
  std::vector<int64_t> o = {1};
  std::vector<uint8_t> fresh = {1};
  EXPECT_EQ(burst.Run(a.data(), b.data(), o.data(), fresh.data(), 0, 0, 0), 1);
  EXPECT_EQ(o[0], 13);
}

}  // namespace
}  // namespace cyclops::models
