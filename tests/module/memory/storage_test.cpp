#include <gtest/gtest.h>

#include <systemc>

#include "models/common/cycle_time.h"
#include "models/memory/simple_dram.h"
#include "models/memory/storage_core.h"
#include "models/memory/storage_level.h"

namespace cyclops::models {
namespace {

StorageConfig Spad(int64_t block, std::optional<double> read_bw, int64_t banks = 1) {
  StorageConfig c;
  c.capacity = 64;
  c.block_size = block;
  c.n_banks = banks;
  c.read_bandwidth = read_bw;
  c.data_spaces = {"Inputs"};
  return c;
}

TEST(StorageCore, ReadBandwidthPacesAnAccess) {
  StorageCore spad(Spad(1, 2.0));
  // 10 values at 2 values/cycle from cycle 0: cycles 0..4 → complete at 5.
  EXPECT_EQ(spad.Schedule(Access::kRead, 0, 0, 0, 10), 5u);
  // The port is busy until 5: another 2 values issued at 3 move in cycle 5 → complete at 6.
  EXPECT_EQ(spad.Schedule(Access::kRead, 0, 3, 20, 2), 6u);
  EXPECT_EQ(spad.Count(Access::kRead, 0), 12u);
}

TEST(StorageCore, BlockSizeMovesWholeRows) {
  // Rows of 4 values, 4 values/cycle = one row per cycle.
  StorageCore aligned(Spad(4, 4.0));
  EXPECT_EQ(aligned.Schedule(Access::kRead, 0, 0, 0, 10), 3u);  // values 0..9: rows 0,1,2 → 3 cycles
  StorageCore misaligned(Spad(4, 4.0));
  EXPECT_EQ(misaligned.Schedule(Access::kRead, 0, 0, 3, 10), 4u);  // values 3..12: rows 0..3 → 4 cycles
  // At 2 values/cycle a 4-value row takes 2 cycles even if only 1 value of it is wanted.
  StorageCore narrow(Spad(4, 2.0));
  EXPECT_EQ(narrow.Schedule(Access::kRead, 0, 0, 0, 1), 2u);
  EXPECT_EQ(narrow.stats().Value("row_accesses"), 1u);
}

TEST(StorageCore, UnlimitedBandwidthStillTakesACycle) {
  StorageCore spad(Spad(1, std::nullopt, 64));
  EXPECT_EQ(spad.Schedule(Access::kRead, 0, 7, 0, 32), 8u);
}

TEST(StorageCore, SecondAccessToABankInTheSameCycleSerializesAndIsCounted) {
  StorageCore spad(Spad(1, std::nullopt, 2));                  // address a → bank a % 2
  EXPECT_EQ(spad.Schedule(Access::kRead, 0, 0, 0, 2, 2), 1u);  // 0 and 2, both bank 0, one request: cycle 0
  EXPECT_EQ(spad.Schedule(Access::kRead, 0, 0, 1, 1), 1u);     // bank 1 is free in cycle 0
  EXPECT_EQ(spad.Schedule(Access::kRead, 0, 0, 4, 1), 2u);     // bank 0 used in cycle 0 → cycle 1
  EXPECT_EQ(spad.stats().Value("bank_conflict_cycles"), 1u);
}

TEST(StorageCore, CountsFillsAndUpdatesPerDataSpaceAndKeepsValues) {
  StorageConfig c = Spad(1, std::nullopt, 4);
  c.data_spaces = {"Weights", "Outputs"};
  StorageCore spad(c);
  spad.Schedule(Access::kFill, 0, 0, 0, 3);
  spad.Schedule(Access::kUpdate, 1, 1, 10, 2);
  EXPECT_EQ(spad.stats().Value("fills_Weights"), 3u);
  EXPECT_EQ(spad.stats().Value("updates_Outputs"), 2u);
  EXPECT_EQ(spad.stats().Value("reads_Weights"), 0u);
  spad.Write(5, -42);
  EXPECT_EQ(spad.Read(5), -42);
  EXPECT_THROW(spad.Read(64), std::out_of_range);
}

DramConfig Dram() {
  DramConfig c;
  c.capacity = 1024;
  c.word_bits = 16;
  c.bytes_per_cycle = 16;
  c.first_word_latency = 20;
  c.data_spaces = {"Inputs"};
  return c;
}

TEST(SimpleDram, LatencyPlusBandwidth) {
  SimpleDram dram(Dram());
  // 32 values × 2 bytes = 64 bytes at 16 B/cycle = 4 cycles of transfer after 20 cycles latency.
  EXPECT_EQ(dram.Schedule(Access::kRead, 0, 0, 0, 32), 24u);
  // Issued at 0 too, but the channel is busy until 4: 4 + 20 + 4 = 28 (latencies overlap, transfers don't).
  EXPECT_EQ(dram.Schedule(Access::kRead, 0, 0, 32, 32), 28u);
  // 3 values = 6 bytes: under one cycle of transfer still costs a cycle; channel free at 8 → 8 + 20 + 1.
  EXPECT_EQ(dram.Schedule(Access::kFill, 0, 0, 64, 3), 29u);
  EXPECT_EQ(dram.stats().Value("bytes_read"), 128u);
  EXPECT_EQ(dram.stats().Value("bytes_written"), 6u);
}

TEST(SimpleDram, IsRegisteredAsSimple) {
  auto dram = DramRegistry::Make("simple", Dram());
  ASSERT_NE(dram, nullptr);
  EXPECT_EQ(dram->Schedule(Access::kRead, 0, 0, 0, 8), 21u);  // 16 bytes → 1 cycle + 20 latency
}

// A client writes 10 values into a spad through a StorageLevel, then reads them back.
SC_MODULE(SpadBench) {
  StorageCore core{Spad(1, 2.0)};
  BoundedLink<MemRequest> requests{"requests", 2, 1};
  BoundedLink<MemResponse> responses{"responses", 2, 1};
  StorageLevel level{"spad", core};
  std::vector<int64_t> read_back;
  Cycle write_acked = 0, read_returned = 0;
  SC_CTOR(SpadBench) {
    level.requests(requests);
    level.responses(responses);
    SC_THREAD(Client);
  }
  void Client() {
    MemRequest write{1, Access::kFill, 0, 0, 10, 1, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}};
    requests.Push(write);  // cycle 0 → arrives 1; fills are unlimited bandwidth → done 2
    responses.Pop();       // pushed at 2 → popped at 3
    write_acked = Now();
    requests.Push({2, Access::kRead, 0, 0, 10, 1, {}});  // cycle 3 → arrives 4
    read_back = responses.Pop().values;  // 10 values at 2/cycle: 4..8 → done 9 → popped at 10
    read_returned = Now();
  }
};

TEST(StorageLevel, ServesWritesAndBandwidthLimitedReadsOverLinks) {
  SpadBench bench("bench");
  sc_core::sc_start();
  EXPECT_EQ(bench.write_acked, 3u);
  EXPECT_EQ(bench.read_returned, 10u);
  EXPECT_EQ(bench.read_back, (std::vector<int64_t>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));
  EXPECT_EQ(bench.core.Count(Access::kRead, 0), 10u);
  EXPECT_EQ(bench.core.Count(Access::kFill, 0), 10u);
}

// Two DRAM reads issued back to back overlap their latency (the level keeps several requests in flight).
SC_MODULE(DramBench) {
  SimpleDram dram{Dram()};
  BoundedLink<MemRequest> requests{"requests", 4, 1};
  BoundedLink<MemResponse> responses{"responses", 4, 1};
  StorageLevel level{"dram", dram};
  std::vector<Cycle> returned;
  SC_CTOR(DramBench) {
    level.requests(requests);
    level.responses(responses);
    SC_THREAD(Client);
  }
  void Client() {
    requests.Push({1, Access::kRead, 0, 0, 32, 1, {}});   // arrives 1: 1 + 20 + 4 = 25 → popped 26
    requests.Push({2, Access::kRead, 0, 32, 32, 1, {}});  // arrives 1, channel free at 5: 5 + 24 = 29 → 30
    for (int i = 0; i < 2; ++i) {
      responses.Pop();
      returned.push_back(Now());
    }
  }
};

TEST(StorageLevel, DramRequestsArePipelined) {
  DramBench bench("bench");
  sc_core::sc_start();
  EXPECT_EQ(bench.returned, (std::vector<Cycle>{26, 30}));
}

}  // namespace
}  // namespace cyclops::models
