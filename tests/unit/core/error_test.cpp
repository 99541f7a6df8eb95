#include "sim/core/error.h"

#include <gtest/gtest.h>

#include "sim/core/registry.h"

namespace cyclops {
namespace {

TEST(SpecError, MessageNamesFileLineColumnKeyAndWhatIsValid) {
  SpecError error({"arch.yaml", 12, 7, "architecture.nodes[2].attributes.depth"},
                  "expected an integer, got 'big'", "a positive integer");
  EXPECT_STREQ(error.what(),
               "arch.yaml:12:7: error: at 'architecture.nodes[2].attributes.depth': expected an integer, got "
               "'big' (valid: a positive integer)");
}

TEST(SpecError, UnknownPositionIsLeftOut) {
  SpecError error({"m.yaml", 0, 0, ""}, "no mapping given");
  EXPECT_STREQ(error.what(), "m.yaml: error: no mapping given");
}

struct Shape {
  virtual ~Shape() = default;
  virtual int Sides() const = 0;
};
struct Square : Shape {
  int Sides() const override { return 4; }
};
const bool kSquareRegistered = Registry<Shape>::Add("square", [] { return std::make_unique<Square>(); });

TEST(Registry, MakesWhatRegisteredByNameAndNothingElse) {
  EXPECT_TRUE(kSquareRegistered);
  ASSERT_NE(Registry<Shape>::Make("square"), nullptr);
  EXPECT_EQ(Registry<Shape>::Make("square")->Sides(), 4);
  EXPECT_EQ(Registry<Shape>::Make("circle"), nullptr);
  EXPECT_FALSE(Registry<Shape>::Add("square", [] { return std::make_unique<Square>(); }));
}

}  // namespace
}  // namespace cyclops
