// Bandwidth-bound cycles with Timeloop's floating-point arithmetic (BufferLevel::ComputePerformance):
// demand = accesses / compute cycles per data space, slowdown = bandwidth / total demand, cycles =
// ceil(compute cycles / slowdown). The expected values are that formula written out by hand; where it
// differs from ceil(accesses / bandwidth) the test says so, because that difference is the point.
#include <gtest/gtest.h>

#include <cmath>

#include "sim/analysis/performance.h"

namespace cyclops::analysis {
namespace {

DataSpaceAccesses Reads(int64_t reads) {
  DataSpaceAccesses counts;
  counts.kept = true;
  counts.reads = reads;
  return counts;
}

TEST(BandwidthBoundTest, FractionalBoundRoundsUpAsTimeloopDoes) {
  // 203 reads in 1,536 compute cycles at 0.1 values per cycle. ceil(203 / 0.1) = 2,030, but Timeloop
  // computes demand 203/1536, slowdown 0.1 / (203/1536) = 0.7566..., and 1536 / 0.7566... comes out a
  // hair above 2,030 in double precision: ceil gives 2,031.
  spec::StorageLevelSpec level;
  level.read_bandwidth = 0.1;
  const double timeloop = std::ceil(1536.0 / (0.1 / (203.0 / 1536.0)));
  ASSERT_EQ(timeloop, 2031.0);
  ASSERT_EQ(std::ceil(203 / 0.1), 2030.0);  // the naive bound, one cycle short of Timeloop's
  EXPECT_EQ(BandwidthBoundCycles(level, {Reads(203)}, 1536), 2031);
}

TEST(BandwidthBoundTest, DemandIsSummedPerDataSpace) {
  // Two data spaces, 200 + 3 reads: demands 200/1536 + 3/1536 summed as doubles, as Timeloop does.
  spec::StorageLevelSpec level;
  level.read_bandwidth = 0.1;
  const double demand = 200.0 / 1536.0 + 3.0 / 1536.0;
  EXPECT_EQ(BandwidthBoundCycles(level, {Reads(200), Reads(3)}, 1536),
            static_cast<int64_t>(std::ceil(1536.0 / (0.1 / demand))));
}

TEST(BandwidthBoundTest, SharedBandwidthCountsReadsAndWrites) {
  // 100 reads + 50 fills + 50 updates in 100 cycles on a shared port of 1 value per cycle: demand 2,
  // slowdown 0.5, 200 cycles. Separate read/write ports of 2 would keep up (100 cycles).
  spec::StorageLevelSpec level;
  level.shared_bandwidth = 1.0;
  DataSpaceAccesses counts = Reads(100);
  counts.fills = 50;
  counts.updates = 50;
  EXPECT_EQ(BandwidthBoundCycles(level, {counts}, 100), 200);
  spec::StorageLevelSpec split;
  split.read_bandwidth = split.write_bandwidth = 2.0;
  EXPECT_EQ(BandwidthBoundCycles(split, {counts}, 100), 100);
}

TEST(BandwidthBoundTest, UnlimitedOrSufficientBandwidthKeepsComputeCycles) {
  spec::StorageLevelSpec unlimited;
  EXPECT_EQ(BandwidthBoundCycles(unlimited, {Reads(1000)}, 10), 10);
  spec::StorageLevelSpec ample;
  ample.read_bandwidth = 200.0;
  EXPECT_EQ(BandwidthBoundCycles(ample, {Reads(1000)}, 10), 10);
}

}  // namespace
}  // namespace cyclops::analysis
