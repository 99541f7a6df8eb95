#include <gtest/gtest.h>

#include <memory>
#include <systemc>

#include "models/common/cycle_time.h"
#include "models/common/watchdog.h"
#include "models/pe/mac_unit.h"
#include "models/pe/processing_element.h"
#include "sim/core/error.h"

namespace cyclops::models {
namespace {

constexpr int kWeights = 0, kInputs = 1, kOutputs = 2;

TEST(MacUnit, BurstOfKMacsIsDoneAtStartPlusKPlusLatencyMinusOne) {
  MacUnit mac({3, 32});
  EXPECT_EQ(mac.ScheduleBurst(10, 8), 20u);  // 10 + 8 + 3 - 1
  // The next burst may issue once the 8 issue slots (10..17) are used: asked at 12, starts 18.
  EXPECT_EQ(mac.ScheduleBurst(12, 2), 22u);  // 18 + 2 + 3 - 1
  EXPECT_EQ(mac.stats().Value("bursts"), 2u);
  EXPECT_EQ(mac.stats().Value("busy_cycles"), 10u);
}

TEST(MacUnit, AccumulatorWrapsAtPsumBitsTwosComplement) {
  MacUnit mac({1, 8});
  EXPECT_EQ(mac.Mac(100, 10, 3), -126);  // 130 = 0x82 → -126 in 8 bits
  EXPECT_EQ(mac.Mac(-128, 1, -1), 127);  // -129 = 0x17F → 0x7F
  EXPECT_EQ(mac.Mac(1, 2, 3), 7);        // in range: untouched
  EXPECT_EQ(mac.stats().Value("macs"), 3u);
  EXPECT_EQ(WrapToBits(255, 8), -1);
  EXPECT_EQ(WrapToBits(-1, 64), -1);
  EXPECT_THROW(MacUnit({0, 8}), std::invalid_argument);
}

PeConfig DotProductPe() {
  PeConfig c;
  c.endpoint = 5;
  c.data_spaces = {"Weights", "Inputs", "Outputs"};
  auto spad = [](std::string name, std::string space, int64_t capacity) {
    SpadConfig s;
    s.name = std::move(name);
    s.storage.capacity = capacity;
    s.storage.data_spaces = {std::move(space)};
    return s;
  };
  c.spads = {spad("weights_spad", "Weights", 16), spad("ifmap_spad", "Inputs", 16),
             spad("psum_spad", "Outputs", 4)};
  c.mac = {1, 32};
  return c;
}

// dot(x, w) over 8 values, streamed in two halves of 4: the loop body receives a half of each operand into
// the spad at offset 4*L and accumulates it into psum[0].
std::shared_ptr<pe::Program> DotProductProgram() {
  auto program = std::make_shared<pe::Program>();
  pe::Stream half_in{1, 0, {1, 0, 0, 0}, 4};
  pe::Stream half_w{0, 0, {1, 0, 0, 0}, 4};
  pe::Stream psum{2, 0, {0, 0, 0, 0}, 0};
  pe::MacBurst burst;
  burst.counts = {4, 1, 1, 1};
  burst.input = half_in;
  burst.weight = half_w;
  burst.psum = psum;
  program->code = {pe::Loop{2}, pe::Recv{kInputs, 4, half_in},       pe::Recv{kWeights, 4, half_w}, burst,
                   pe::End{},   pe::Send{kOutputs, 1, psum, 0, true}};
  program->routes = {{9}};
  return program;
}

SC_MODULE(DotProductBench) {
  ProcessingElement pe{"pe", DotProductPe()};
  BoundedLink<Packet> weights{"weights", 2, 1};
  BoundedLink<Packet> inputs{"inputs", 2, 1};
  BoundedLink<Packet> outputs{"outputs", 2, 1};
  Packet result;
  Cycle result_at = 0;
  SC_CTOR(DotProductBench) {
    pe.in[kWeights](weights);
    pe.in[kInputs](inputs);
    pe.out[kOutputs](outputs);
    SC_THREAD(Feed);
    SC_THREAD(Collect);
  }
  void Feed() {
    inputs.Push({0, {5}, kInputs, {1, 2, 3, 4}});
    inputs.Push({0, {5}, kInputs, {5, 6, 7, 8}});
    weights.Push({0, {5}, kWeights, {1, -1, 2, -2}});
    weights.Push({0, {5}, kWeights, {3, -3, 4, -4}});
  }
  void Collect() {
    result = outputs.Pop();
    result_at = Now();
  }
};

TEST(ProcessingElement, LoopedProgramComputesADotProduct) {
  DotProductBench bench("bench");
  auto program = DotProductProgram();
  bench.pe.Load(program);
  sc_core::sc_start();

  // 1*1 - 2*1 + 3*2 - 4*2 + 5*3 - 6*3 + 7*4 - 8*4 = 1 - 2 + 6 - 8 + 15 - 18 + 28 - 32 = -10
  ASSERT_EQ(bench.result.values, (std::vector<int64_t>{-10}));
  EXPECT_EQ(bench.result.source, 5);
  EXPECT_EQ(bench.result.destinations, (std::vector<int>{9}));
  EXPECT_EQ(bench.pe.spad(2).Read(0), 0);  // SEND ... clear

  // Timing by hand (latency-1 links, unlimited spad bandwidth, MAC latency 1), all packets pushed at 0:
  //   L=0: RECV Inputs pops at 1, fill done 2; RECV Weights at 2, done 3; MAC_BURST 4 at 3 → 3+4+1-1 = 7
  //   L=1: RECV Inputs at 7 → 8; RECV Weights at 8 → 9; MAC_BURST at 9 → 13
  //   SEND at 13: psum read done 14, pushed at 14, collected at 15. The PE finishes at 14.
  EXPECT_EQ(bench.result_at, 15u);
  EXPECT_TRUE(bench.pe.done());
  EXPECT_EQ(bench.pe.finished_at(), 14u);

  // Counters: 8 MACs in 2 bursts; each operand value read once; per burst one psum read + one update, plus
  // the SEND's psum read.
  EXPECT_EQ(bench.pe.mac().stats().Value("macs"), 8u);
  EXPECT_EQ(bench.pe.mac().stats().Value("bursts"), 2u);
  EXPECT_EQ(bench.pe.spad(1).stats().Value("fills_Inputs"), 8u);
  EXPECT_EQ(bench.pe.spad(1).stats().Value("reads_Inputs"), 8u);
  EXPECT_EQ(bench.pe.spad(0).stats().Value("reads_Weights"), 8u);
  EXPECT_EQ(bench.pe.spad(2).stats().Value("reads_Outputs"), 3u);
  EXPECT_EQ(bench.pe.spad(2).stats().Value("updates_Outputs"), 2u);
  EXPECT_EQ(program->MacCount(), 8u);

  stats::StatsTree tree;
  bench.pe.RegisterStats(tree);
  EXPECT_EQ(tree.Value("bench.pe.ifmap_spad", "fills_Inputs"), 8u);
  EXPECT_EQ(tree.Value("bench.pe.mac", "macs"), 8u);
}

TEST(PeIsa, DisassemblyListsTheLoopAndItsBody) {
  const std::string listing = pe::Disassemble(*DotProductProgram(), {"Weights", "Inputs", "Outputs"});
  EXPECT_EQ(listing,
            "   0  LOOP      2\n"
            "   1    RECV      Inputs x4 -> spad1[0 +1i +4L]\n"
            "   2    RECV      Weights x4 -> spad0[0 +1i +4L]\n"
            "   3    MAC_BURST [4] spad2[0] += spad1[0 +1i +4L] * spad0[0 +1i +4L]  (4 MACs)\n"
            "   4  END\n"
            "   5  SEND      Outputs x1 <- spad2[0] route 0 {9} clear\n");
}

TEST(PeIsa, ValidateRejectsUnbalancedLoopsAndBadReferences) {
  pe::Program program;
  program.code = {pe::Loop{2}, pe::Recv{0, 4, {}}};
  EXPECT_THROW(program.Validate(1), std::invalid_argument);
  program.code = {pe::End{}};
  EXPECT_THROW(program.Validate(1), std::invalid_argument);
  program.code = {pe::Recv{0, 4, {3, 0, {}, 0}}};
  EXPECT_THROW(program.Validate(1), std::invalid_argument);  // spad 3 of 1
  program.code = {pe::Send{0, 1, {}, 0, false}};
  EXPECT_THROW(program.Validate(1), std::invalid_argument);  // no route 0
}

TEST(PeIsa, ProgramSizeDoesNotGrowWithMacCount) {
  pe::Program program;
  pe::MacBurst burst;
  burst.counts = {16, 8, 4, 2};
  program.code = {pe::Loop{100}, burst, pe::End{}};
  EXPECT_EQ(program.code.size(), 3u);
  EXPECT_EQ(program.MacCount(), 100u * 16 * 8 * 4 * 2);
}

// A PE waits for inputs that nobody sends: the watchdog stops the run and names it.
SC_MODULE(StuckBench) {
  ProcessingElement pe{"pe", DotProductPe()};
  BoundedLink<Packet> inputs{"inputs", 2, 1};  // nobody writes it
  Watchdog watchdog{"watchdog", 100};
  SC_CTOR(StuckBench) {
    pe.in[kInputs](inputs);
    watchdog.Watch(pe);
  }
};

TEST(Watchdog, NamesTheStuckModuleAndWhatItWaitsFor) {
  StuckBench bench("bench");
  bench.pe.Load(DotProductProgram());
  sc_core::sc_start();
  ASSERT_TRUE(bench.watchdog.stuck());
  EXPECT_NE(bench.watchdog.message().find("bench.pe: waiting for RECV Inputs at pc 1 (0 of 4 values)"),
            std::string::npos)
      << bench.watchdog.message();
  EXPECT_THROW(bench.watchdog.ThrowIfStuck(), SimulationError);
  // The PE blocked in its first RECV at cycle 0 without completing an instruction: the first check, at
  // cycle 100, finds no progress.
  EXPECT_EQ(Now(), 100u);
}

TEST(Watchdog, LetsAFinishedRunEnd) {
  DotProductBench bench("bench");
  Watchdog watchdog("watchdog", 50);
  watchdog.Watch(bench.pe);
  bench.pe.Load(DotProductProgram());
  sc_core::sc_start();
  EXPECT_FALSE(watchdog.stuck());
  EXPECT_NO_THROW(watchdog.ThrowIfStuck());
  EXPECT_EQ(bench.result.values, (std::vector<int64_t>{-10}));
}

}  // namespace
}  // namespace cyclops::models
