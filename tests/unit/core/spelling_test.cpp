#include "sim/core/spelling.h"

#include <gtest/gtest.h>

namespace cyclops {
namespace {

const std::vector<std::string> kComponents = {"psum_spad",  "weights_spad", "ifmap_spad",
                                              "shared_glb", "DRAM",         "mac"};

TEST(ClosestName, SlipsFindTheNameMeant) {
  EXPECT_EQ(ClosestName("DARM", kComponents), "DRAM");  // two letters swapped: one edit
  EXPECT_EQ(ClosestName("raed", {"read", "write", "update"}), "read");
  EXPECT_EQ(ClosestName("psum_spd", kComponents), "psum_spad");  // one letter missing
  EXPECT_EQ(ClosestName("MAC", kComponents), "mac");             // case is ignored
  EXPECT_EQ(ClosestName("wieghts_spad", kComponents), "weights_spad");
}

TEST(ClosestName, NamesThatAreNotSlipsFindNothing) {
  EXPECT_EQ(ClosestName("HBM", kComponents), std::nullopt);
  EXPECT_EQ(ClosestName("jump", {"read", "write", "update", "leak"}), std::nullopt);
  EXPECT_EQ(ClosestName("", kComponents), std::nullopt);
}

}  // namespace
}  // namespace cyclops
