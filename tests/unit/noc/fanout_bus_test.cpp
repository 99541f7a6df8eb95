// FanoutBus: arrival times and counters of the bus between a level and the instances it feeds.
// Model, worked by hand: a bus of width w moves at most w values per cycle; a transfer of n values ready
// at cycle t that starts at once sends its last values in cycle t + ceil(n / w) - 1, which arrive
// `latency` cycles later. An unlimited bus sends everything in cycle t: arrival t + latency.
#include "noc/bus/fanout_bus.h"

#include <gtest/gtest.h>

namespace cyclops::noc {
namespace {

uint64_t Count(const FanoutBus& bus, const std::string& name) {
  stats::StatGroup group;
  bus.FileStats(group);
  return group.Value(name);
}

double Formula(const FanoutBus& bus, const std::string& name) {
  stats::StatGroup group;
  bus.FileStats(group);
  return group.FindFormula(name)->value();
}

TEST(FanoutBusTest, UnlimitedWidthArrivesAfterLatencyOnly) {
  // 100 values to 14 receivers at cycle 10, latency 5: arrival 10 + 5 = 15. One send (1 transfer,
  // 100 values), 100 * 14 = 1400 deliveries; an unlimited bus is never busy and never queues.
  FanoutBus bus(std::nullopt, 5);
  EXPECT_EQ(bus.Transfer(10, 100, 14), 15u);
  EXPECT_EQ(Count(bus, "transfers"), 1u);
  EXPECT_EQ(Count(bus, "values"), 100u);
  EXPECT_EQ(Count(bus, "deliveries"), 1400u);
  EXPECT_EQ(Count(bus, "busy_cycles"), 0u);
  EXPECT_EQ(bus.stall_cycles(), 0u);
  // A second transfer in the same cycle does not wait either: 10 + 5 = 15.
  EXPECT_EQ(bus.Transfer(10, 100, 14), 15u);
  EXPECT_EQ(bus.stall_cycles(), 0u);
  EXPECT_EQ(Count(bus, "deliveries"), 2800u);
}

TEST(FanoutBusTest, ZeroLatencyIsRaisedToOneCycle) {
  // Links have at least one cycle of delay (STYLE.md: no zero-delay links).
  FanoutBus bus(std::nullopt, 0);
  EXPECT_EQ(bus.Transfer(7, 3, 1), 8u);
}

TEST(FanoutBusTest, EmptyTransferIsFreeAndNotCounted) {
  FanoutBus bus(4.0, 3);
  EXPECT_EQ(bus.Transfer(9, 0, 5), 9u);
  EXPECT_EQ(Count(bus, "transfers"), 0u);
}

TEST(FanoutBusTest, LimitedWidthTakesCeilValuesOverWidthCycles) {
  // Width 4, latency 2: 10 values at cycle 0 go out as 4, 4, 2 in cycles 0, 1, 2 (ceil(10 / 4) = 3
  // busy cycles); the last arrive at 2 + 2 = 4.
  FanoutBus bus(4.0, 2);
  EXPECT_EQ(bus.Transfer(0, 10, 3), 4u);
  EXPECT_EQ(Count(bus, "busy_cycles"), 3u);
  EXPECT_EQ(Count(bus, "values"), 10u);
  EXPECT_EQ(Count(bus, "deliveries"), 30u);
  EXPECT_EQ(bus.stall_cycles(), 0u);
  // values_per_busy_cycle = values / busy_cycles = 10 / 3.
  const double rate = Formula(bus, "values_per_busy_cycle");
  EXPECT_DOUBLE_EQ(rate, 10.0 / 3.0);
}

TEST(FanoutBusTest, AFittingTransferArrivesLikeOnAnUnlimitedBus) {
  // 3 values on a 4-wide bus fit in one cycle: arrival 5 + latency 2 = 7.
  FanoutBus bus(4.0, 2);
  EXPECT_EQ(bus.Transfer(5, 3, 1), 7u);
}

TEST(FanoutBusTest, SecondTransferQueuesAndItsWaitIsAStall) {
  // Width 4, latency 2, two transfers of 8 values ready at cycle 0. The first sends in cycles 0-1
  // (arrival 1 + 2 = 3); the second waits cycles 0-1 (2 stall cycles), sends in cycles 2-3 (arrival
  // 3 + 2 = 5). Busy: 2 + 2 = 4 cycles; values_per_busy_cycle = 16 / 4 = 4 = the width.
  FanoutBus bus(4.0, 2);
  EXPECT_EQ(bus.Transfer(0, 8, 1), 3u);
  EXPECT_EQ(bus.Transfer(0, 8, 1), 5u);
  EXPECT_EQ(bus.stall_cycles(), 2u);
  EXPECT_EQ(Count(bus, "busy_cycles"), 4u);
  EXPECT_EQ(Count(bus, "transfers"), 2u);
  EXPECT_DOUBLE_EQ(Formula(bus, "values_per_busy_cycle"), 4.0);
  // A third transfer ready after the bus is free again does not wait: 4 values at cycle 10 -> 12.
  EXPECT_EQ(bus.Transfer(10, 4, 1), 12u);
  EXPECT_EQ(bus.stall_cycles(), 2u);
}

TEST(FanoutBusTest, QueuedTenValueTransfersShareTheLastCycle) {
  // Width 4, latency 2, two transfers of 10 values ready at cycle 0. The bus moves values, not whole
  // transfers per cycle: the first sends 4, 4, 2 in cycles 0-2 (arrival 2 + 2 = 4); the second fills the
  // 2 spare slots of cycle 2, then 4, 4 in cycles 3-4 (arrival 4 + 2 = 6).
  FanoutBus bus(4.0, 2);
  EXPECT_EQ(bus.Transfer(0, 10, 1), 4u);
  EXPECT_EQ(bus.Transfer(0, 10, 1), 6u);
  EXPECT_GT(bus.stall_cycles(), 0u);  // the second one waited behind the first
}

// The counters describe the same bus the arrival times do: "busy_cycles: cycles the bus was moving
// values", "stall_cycles: cycles transfers waited for the bus to be free".
TEST(FanoutBusTest, BusyCyclesCountBusCyclesNotTransfers) {
  // Width 4, latency 2, eight 1-value transfers ready at cycle 0. Arrivals (from Transfer itself): four
  // per cycle, transfers 0-3 at 0 + 2 = 2, transfers 4-7 at 1 + 2 = 3. So the bus moved values in
  // cycles 0 and 1 only: busy_cycles = 2, values_per_busy_cycle = 8 / 2 = 4 (the width).
  FanoutBus bus(4.0, 2);
  for (int k = 0; k < 8; ++k) EXPECT_EQ(bus.Transfer(0, 1, 1), k < 4 ? 2u : 3u) << "transfer " << k;
  EXPECT_EQ(Count(bus, "busy_cycles"), 2u);
  EXPECT_DOUBLE_EQ(Formula(bus, "values_per_busy_cycle"), 4.0);
}

TEST(FanoutBusTest, StallCyclesCountWholeCyclesWaited) {
  // Same eight 1-value transfers: transfers 0-3 go out in cycle 0 (no wait); transfers 4-7 go out in
  // cycle 1 (1 cycle each). stall_cycles = 4 * 0 + 4 * 1 = 4.
  FanoutBus bus(4.0, 2);
  for (int k = 0; k < 8; ++k) bus.Transfer(0, 1, 1);
  EXPECT_EQ(bus.stall_cycles(), 4u);
}

TEST(FanoutBusTest, BackToBackTransfersSharingACycleCountItOnce) {
  // The two 10-value transfers above keep the bus busy in cycles 0-4: busy_cycles = 5 (not 3 + 3),
  // values_per_busy_cycle = 20 / 5 = 4. The second one started sending in cycle 2: it waited cycles 0
  // and 1, stall_cycles = 2.
  FanoutBus bus(4.0, 2);
  bus.Transfer(0, 10, 1);
  bus.Transfer(0, 10, 1);
  EXPECT_EQ(Count(bus, "busy_cycles"), 5u);
  EXPECT_EQ(bus.stall_cycles(), 2u);
}

}  // namespace
}  // namespace cyclops::noc
