// sc_spawn (one arbitration thread per bus) needs SystemC's dynamic-process API.
#define SC_INCLUDE_DYNAMIC_PROCESSES

#include "noc/bus/bus_network.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <systemc>

#include "models/common/cycle_time.h"
#include "models/common/watchdog.h"
#include "sim/stats/stats_writer.h"
#include "tests/support/paths.h"

namespace cyclops::noc {
namespace {

using models::Cycle;
using models::Now;
using models::Packet;
using models::WaitUntil;

NetworkConfig OneBus(int endpoints, std::optional<double> width, Cycle latency, std::size_t input_depth = 2) {
  NetworkConfig c;
  c.n_endpoints = endpoints;
  c.data_spaces = {"Inputs"};
  c.channels = {{width, latency}};
  c.input_queue_depth = input_depth;
  return c;
}

// Endpoint 0 sends `packets`; every other endpoint pops whatever arrives, each from cycle start_popping[ep].
SC_MODULE(BusBench) {
  BusNetwork network;
  std::vector<Packet> to_send;
  std::map<int, Cycle> start_popping;
  std::map<int, std::vector<Cycle>> arrivals;  // endpoint → pop cycles
  std::map<int, std::vector<std::vector<int64_t>>> received;
  std::string waiting_at_10;

  SC_HAS_PROCESS(BusBench);
  BusBench(sc_core::sc_module_name name, const NetworkConfig& config, std::vector<Packet> packets)
      : sc_core::sc_module(name), network("net", config), to_send(std::move(packets)) {
    SC_THREAD(Send);
    for (int ep = 1; ep < config.n_endpoints; ++ep) {
      sc_core::sc_spawn([this, ep] { Receive(ep); });
    }
    SC_THREAD(Probe);
  }
  void Send() {
    for (const Packet& p : to_send) network.Injection(0, 0).Push(p);
  }
  void Receive(int ep) {
    WaitUntil(start_popping.count(ep) ? start_popping[ep] : 0);
    for (;;) {
      Packet p = network.Ejection(ep, 0).Pop();
      arrivals[ep].push_back(Now());
      received[ep].push_back(p.values);
    }
  }
  void Probe() {
    WaitUntil(10);
    waiting_at_10 = network.WaitingFor();
  }
};

TEST(BusNetwork, MulticastsOneWordToAllReceiversInOneCycle) {
  BusBench bench("bench", OneBus(4, std::nullopt, 1), {{0, {1, 2, 3}, 0, {77}}});
  sc_core::sc_start();
  // Pushed at 0, visible to the bus at 1 (injection hop), on the bus in cycle 1, delivered at 1 + latency 1.
  for (int ep : {1, 2, 3}) {
    EXPECT_EQ(bench.arrivals[ep], (std::vector<Cycle>{2})) << "endpoint " << ep;
    EXPECT_EQ(bench.received[ep], (std::vector<std::vector<int64_t>>{{77}}));
  }
  const stats::StatGroup& bus = bench.network.bus_stats(0);
  EXPECT_EQ(bus.Value("values_sent"), 1u);  // one send ...
  EXPECT_EQ(bus.Value("deliveries"), 3u);   // ... three deliveries
  EXPECT_EQ(bus.Value("busy_cycles"), 1u);
  EXPECT_EQ(bus.Value("stall_cycles"), 0u);
}

TEST(BusNetwork, WidthAndLatencySetTheTransferTime) {
  // 10 values over a 4-values/cycle bus: ceil(10/4) = 3 busy cycles (1, 2, 3), then latency 3 → arrives 6.
  // The second packet starts at 4, busy 4..6, arrives 9.
  BusBench bench("bench", OneBus(2, 4.0, 3),
                 {{0, {1}, 0, std::vector<int64_t>(10, 1)}, {0, {1}, 0, std::vector<int64_t>(10, 2)}});
  sc_core::sc_start();
  EXPECT_EQ(bench.arrivals[1], (std::vector<Cycle>{6, 9}));
  EXPECT_EQ(bench.network.bus_stats(0).Value("busy_cycles"), 6u);
  EXPECT_EQ(bench.network.bus_stats(0).Value("values_sent"), 20u);
}

TEST(BusNetwork, FullReceiverStallsTheSenderAndIsCharged) {
  // Input queues hold 1 packet. Three 1-value packets multicast to {1, 2}; endpoint 2 pops at once,
  // endpoint 1 only from cycle 20.
  //   p0: on the bus at 1, arrives 2; endpoint 1 keeps it until 20.
  //   p1: ready at 2, endpoint 1 full → stalls 2..20 (18 cycles, charged to endpoint 1); on the bus at 20,
  //       arrives 21.  p2: on the bus at 21, arrives 22.
  std::vector<Packet> packets;
  for (int64_t v : {10, 11, 12}) packets.push_back({0, {1, 2}, 0, {v}});
  BusBench bench("bench", OneBus(3, std::nullopt, 1, 1), packets);
  bench.start_popping[1] = 20;
  sc_core::sc_start();
  EXPECT_EQ(bench.arrivals[2], (std::vector<Cycle>{2, 21, 22}));
  EXPECT_EQ(bench.arrivals[1], (std::vector<Cycle>{20, 21, 22}));
  const stats::StatGroup& bus = bench.network.bus_stats(0);
  EXPECT_EQ(bus.Value("stall_cycles"), 18u);
  EXPECT_EQ(bus.Value("stall_cycles_caused_by_ep1"), 18u);
  EXPECT_EQ(bus.Value("stall_cycles_caused_by_ep2"), 0u);
  EXPECT_EQ(bus.Value("deliveries"), 6u);
  EXPECT_EQ(bus.Value("values_sent"), 3u);
  EXPECT_EQ(bench.waiting_at_10, "Inputs bus: input queue of endpoint 1 full");
}

TEST(BusNetwork, IsRegisteredAsBusAndFilesStatsPerBus) {
  NetworkConfig config = OneBus(2, 1.0, 1);
  config.data_spaces = {"Weights", "Inputs"};
  config.channels = {{1.0, 1}, {std::nullopt, 2}};
  std::unique_ptr<Network> network = NetworkRegistry::Make("bus", "noc", config);
  ASSERT_NE(network, nullptr);
  stats::StatsTree tree;
  network->RegisterStats(tree);
  EXPECT_NE(tree.Find("noc.Weights_bus"), nullptr);
  EXPECT_NE(tree.Find("noc.Inputs_bus"), nullptr);
  EXPECT_THROW(network->Injection(2, 0), std::out_of_range);
}

TEST(BusNetwork, ZeroLatencyChannelIsRefused) {
  EXPECT_THROW(BusNetwork("noc", OneBus(2, 1.0, 0)), std::invalid_argument);
}

// Writes the stats of a small multicast + back-pressure run to $CYCLOPS_STATS_OUT (run by the next test).
TEST(BusNetworkRun, WritesStatsJson) {
  const char* out = std::getenv("CYCLOPS_STATS_OUT");
  if (out == nullptr) GTEST_SKIP() << "driven by TwoIdenticalRunsWriteIdenticalBytes";
  std::vector<Packet> packets;
  for (int64_t v : {10, 11, 12}) packets.push_back({0, {1, 2}, 0, {v}});
  BusBench bench("bench", OneBus(3, 2.0, 1, 1), packets);
  bench.start_popping[1] = 20;
  sc_core::sc_start();
  stats::StatsTree tree;
  bench.network.RegisterStats(tree);
  stats::WriteStatsFile(tree, "json", out);
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(BusNetworkRun, TwoIdenticalRunsWriteIdenticalBytes) {
  const std::string self = std::filesystem::read_symlink("/proc/self/exe").string();
  const std::string base =
      (std::filesystem::temp_directory_path() / ("cyclops_bus_" + std::to_string(::getpid()))).string();
  std::string output;
  for (const char* run : {"_a.json", "_b.json"}) {
    const int status =
        test::RunCommand("CYCLOPS_STATS_OUT=" + base + run + " SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1 " + self +
                             " --gtest_filter=BusNetworkRun.WritesStatsJson",
                         &output);
    ASSERT_EQ(status, 0) << output;
  }
  const std::string a = Slurp(base + "_a.json");
  EXPECT_NE(a.find("\"deliveries\": {"), std::string::npos) << a;
  EXPECT_NE(a.find("\"value\": 18"), std::string::npos) << a;  // the 18 stall cycles of the run above
  EXPECT_EQ(a, Slurp(base + "_b.json"));
  std::filesystem::remove(base + "_a.json");
  std::filesystem::remove(base + "_b.json");
}

}  // namespace
}  // namespace cyclops::noc
