// Testbench for the MAC unit's timing and counters (MacUnit, plain C++): completion and next-issue cycles
// worked out by hand from the rule in models/pe/mac_unit.h — a burst of k MACs starting at t issues its
// last MAC at t + k − 1 and is done L − 1 cycles later (t + k + L − 1 for latency L); the next burst can
// start issuing at t + k.
#include "models/pe/mac_unit.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace cyclops::models {
namespace {

TEST(MacUnit, BackToBackBurstsOverlapInThePipeline) {
  MacUnit mac(MacConfig{3, 64});
  // k = 8, L = 3, asked for at 10: done at 10 + 8 + 3 − 1 = 20, the next can issue from 18.
  EXPECT_EQ(mac.ScheduleBurst(10, 8), 20u);
  EXPECT_EQ(mac.next_issue(), 18u);
  // Asked for at 12, it starts at 18 (the MAC is busy): done at 18 + 4 + 3 − 1 = 24.
  EXPECT_EQ(mac.ScheduleBurst(12, 4), 24u);
  EXPECT_EQ(mac.next_issue(), 22u);
  // Asked for at 30, after an idle gap: starts at 30, done at 30 + 1 + 3 − 1 = 33.
  EXPECT_EQ(mac.ScheduleBurst(30, 1), 33u);
  EXPECT_EQ(mac.busy_cycles(), 13u);  // 8 + 4 + 1 issuing cycles; the idle ones are not busy
}

TEST(MacUnit, ABurstSpreadOverMoreCyclesIsBusyOnlyForItsMacs) {
  MacUnit mac(MacConfig{2, 64});
  // 2 MACs over 5 cycles (operands arriving slowly) from 0: last MAC at 4, done at 0 + 5 + 2 − 1 = 6; the
  // next burst can start at 5. A spread shorter than the MACs counts as the MACs: 3 MACs in "1" cycle from
  // 5 take 3, done at 5 + 3 + 2 − 1 = 9.
  EXPECT_EQ(mac.ScheduleBurst(0, 2, 5), 6u);
  EXPECT_EQ(mac.next_issue(), 5u);
  EXPECT_EQ(mac.ScheduleBurst(0, 3, 1), 9u);
  EXPECT_EQ(mac.next_issue(), 8u);
  EXPECT_EQ(mac.busy_cycles(), 5u);
}

TEST(MacUnit, AnEmptyBurstBooksNothingAndResetStartsOver) {
  MacUnit mac(MacConfig{1, 64});
  EXPECT_EQ(mac.ScheduleBurst(7, 0), 7u);  // returns its asking cycle, the MAC stays free
  EXPECT_EQ(mac.next_issue(), 0u);
  mac.ScheduleBurst(0, 4);
  mac.CountMacs(4);
  EXPECT_EQ(mac.macs(), 4u);
  mac.Reset();
  EXPECT_EQ(mac.macs(), 0u);
  EXPECT_EQ(mac.busy_cycles(), 0u);
  EXPECT_EQ(mac.ScheduleBurst(0, 2), 2u);  // from 0 again: done at 0 + 2 + 1 − 1
}

TEST(MacUnit, ImpossibleConfigurationsAreRefused) {
  EXPECT_THROW(MacUnit(MacConfig{0, 64}), std::invalid_argument);  // latency 0
  EXPECT_THROW(MacUnit(MacConfig{1, 0}), std::invalid_argument);   // psum bits outside 1..64
  EXPECT_THROW(MacUnit(MacConfig{1, 65}), std::invalid_argument);
}

}  // namespace
}  // namespace cyclops::models
