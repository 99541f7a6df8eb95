#include "models/common/bounded_link.h"

#include <gtest/gtest.h>

#include <systemc>
#include <vector>

#include "models/common/cycle_time.h"

namespace cyclops::models {
namespace {

TEST(BoundedLink, ZeroLatencyAndZeroCapacityAreRefused) {
  EXPECT_THROW(BoundedLink<int>("zero_latency", 2, 0), std::invalid_argument);
  EXPECT_THROW(BoundedLink<int>("zero_capacity", 0, 1), std::invalid_argument);
}

// Producer pushes 6 items as fast as it can into a capacity-2, latency-3 link; the consumer starts at cycle
// 10 and pops one item every 5 cycles.
SC_MODULE(SlowConsumerBench) {
  BoundedLink<int> link{"link", 2, 3};
  std::vector<Cycle> pushed_at, popped_at;
  std::vector<int> popped;
  SC_CTOR(SlowConsumerBench) {
    SC_THREAD(Produce);
    SC_THREAD(Consume);
  }
  void Produce() {
    for (int i = 0; i < 6; ++i) {
      link.Push(i);
      pushed_at.push_back(Now());
    }
  }
  void Consume() {
    WaitUntil(10);
    for (int i = 0; i < 6; ++i) {
      popped.push_back(link.Pop());
      popped_at.push_back(Now());
      EXPECT_LE(link.occupancy(), link.capacity());
      sc_core::wait(Cycles(5));
    }
  }
};

TEST(BoundedLink, FullLinkBackPressuresTheWriterAndNeverExceedsCapacity) {
  SlowConsumerBench bench("bench");
  sc_core::sc_start();
  // Items 0 and 1 fill the link at cycle 0. Every later push waits for a pop, which frees a slot the same
  // cycle: item 2 goes in at 10, 3 at 15, 4 at 20, 5 at 25.
  EXPECT_EQ(bench.pushed_at, (std::vector<Cycle>{0, 0, 10, 15, 20, 25}));
  // Every item has long arrived (push + 3) when the consumer asks, so pops follow the consumer's pace.
  EXPECT_EQ(bench.popped_at, (std::vector<Cycle>{10, 15, 20, 25, 30, 35}));
  EXPECT_EQ(bench.popped, (std::vector<int>{0, 1, 2, 3, 4, 5}));
  EXPECT_EQ(bench.link.max_occupancy(), 2u);
}

// A consumer that is always ready sees each item exactly `latency` cycles after its push.
SC_MODULE(LatencyBench) {
  BoundedLink<int> link{"link", 4, 3};
  std::vector<Cycle> popped_at;
  SC_CTOR(LatencyBench) {
    SC_THREAD(Produce);
    SC_THREAD(Consume);
  }
  void Produce() {
    link.Push(1);  // cycle 0 → arrives 3
    sc_core::wait(Cycles(1));
    link.Push(2);  // cycle 1 → arrives 4
    sc_core::wait(Cycles(5));
    link.Push(3);  // cycle 6 → arrives 9
  }
  void Consume() {
    for (int i = 0; i < 3; ++i) {
      link.Pop();
      popped_at.push_back(Now());
    }
  }
};

TEST(BoundedLink, EachEntryArrivesAfterExactlyTheLatency) {
  LatencyBench bench("bench");
  sc_core::sc_start();
  EXPECT_EQ(bench.popped_at, (std::vector<Cycle>{3, 4, 9}));
}

}  // namespace
}  // namespace cyclops::models
