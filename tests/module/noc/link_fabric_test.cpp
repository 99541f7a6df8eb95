// LinkFabric: the link timing the layer engine's NoC transfers go through. Expected values are worked out
// by hand in each test from the link widths and the value sizes.
#include "noc/fabric/link_fabric.h"

#include <gtest/gtest.h>

#include <set>

#include "noc/topology/topology_builder.h"

namespace cyclops::noc {
namespace {

using topology::DataType;
using topology::NodeId;
using topology::NodeKind;
using topology::Topology;
using topology::TopologyDraft;

constexpr std::array<int, 3> kBits{8, 8, 20};  // iact, weight, psum

// source --(width bits, latency)--> sink
Topology Pair(int width_bits, int latency = 1) {
  TopologyDraft draft;
  const NodeId source = draft.AddNode(NodeKind::kGlbBank, topology::DataTypeSet::All(), "source");
  const NodeId sink = draft.AddNode(NodeKind::kPe, topology::DataTypeSet::All(), "sink");
  draft.AddLink(source, sink, topology::DataTypeSet::All(), width_bits, latency, 2);
  return draft.Finish("test");
}

// Eyeriss v1's buses over one row of three PEs (pe0_0 .. pe0_2).
Topology OneRowV1Bus() {
  topology::TopologyParams params;
  params.values["rows"] = int64_t{1};
  params.values["cols"] = int64_t{3};
  return topology::BuildTopology("eyeriss_v1_bus", params);
}

// Sends `sends` back-to-back transfers of `values` each, all ready at cycle 0; returns the last arrival.
double Saturate(LinkFabric& fabric, const FabricRoute& route, int sends, int64_t values) {
  double last = 0;
  for (int i = 0; i < sends; ++i) last = fabric.Send(route, 0, values).arrival;
  return last;
}

TEST(LinkFabric, AWidthWLinkCarriesFloorWOverValueBitsValuesPerCycle) {
  // (width, data type, values per cycle): 24 b of 8-bit iacts = 3; 20 b of 8-bit = 2 (floor, not 2.5);
  // 40 b of 20-bit psums = 2; 64 b of 8-bit weights = 8.
  const struct {
    int width;
    DataType type;
    int per_cycle;
  } cases[] = {{24, DataType::kIact, 3},
               {20, DataType::kIact, 2},
               {40, DataType::kPsum, 2},
               {64, DataType::kWeight, 8}};
  for (const auto& c : cases) {
    const Topology topology = Pair(c.width);
    LinkFabric fabric(topology, kBits);
    const FabricRoute route = fabric.Plan(0, {1}, c.type);
    // 10 sends of 24 values = 240 values at per_cycle values per cycle keep the link busy 240 / per_cycle
    // cycles; with a one-cycle link the last value arrives in the last busy cycle.
    const double last = Saturate(fabric, route, 10, 24);
    EXPECT_DOUBLE_EQ(last, 240.0 / c.per_cycle) << c.width << " bits";
    EXPECT_EQ(fabric.link_counters()[0].values, 240u);
    EXPECT_EQ(fabric.link_counters()[0].busy_cycles, static_cast<uint64_t>(240 / c.per_cycle));
    EXPECT_EQ(fabric.link_counters()[0].flits, static_cast<uint64_t>(10 * (24 / c.per_cycle)));
  }
}

TEST(LinkFabric, ALinkNarrowerThanAValueTakesSeveralCyclesPerValue) {
  // A 8-bit link moving 20-bit psums: ceil(20 / 8) = 3 cycles per value, so 10 psums take 30 cycles.
  const Topology topology = Pair(8);
  LinkFabric fabric(topology, kBits);
  EXPECT_DOUBLE_EQ(fabric.Send(fabric.Plan(0, {1}, DataType::kPsum), 0, 10).arrival, 30.0);
}

TEST(LinkFabric, QueuedSendsAreBackPressureOnTheLink) {
  // Two sends of 30 iacts over 24 bits (3 per cycle), both ready at cycle 5: the first occupies cycles
  // 5..14, the second waits 10 cycles and arrives at 25 + latency 2 - 1 = 26.
  const Topology topology = Pair(24, 2);
  LinkFabric fabric(topology, kBits);
  const FabricRoute route = fabric.Plan(0, {1}, DataType::kIact);
  EXPECT_DOUBLE_EQ(fabric.Send(route, 5, 30).arrival, 16.0);
  const FabricDelivery second = fabric.Send(route, 5, 30);
  EXPECT_DOUBLE_EQ(second.arrival, 26.0);
  EXPECT_DOUBLE_EQ(second.wait, 10.0);
  EXPECT_EQ(fabric.link_counters()[0].stall_cycles, 10u);
  EXPECT_EQ(fabric.node_counters()[0].conflicts, 1u);
}

TEST(LinkFabric, AMulticastWordOnASharedPortIsSentOnce) {
  // v1 bus, 1 row of 3 PEs: a 16-bit ifmap word to all three crosses the Y-bus once and the row's X-bus
  // once; the X-bus's three links share its out port, so 12 values take 12 cycles, not 36.
  const Topology topology = OneRowV1Bus();
  LinkFabric fabric(topology, {16, 16, 16});
  const NodeId glb = *topology.FindNode("glb");
  std::vector<NodeId> pes;
  for (int c = 0; c < 3; ++c) pes.push_back(*topology.FindNode("pe0_" + std::to_string(c)));
  const FabricRoute route = fabric.Plan(glb, pes, DataType::kIact);
  ASSERT_EQ(route.steps.size(), 3u);  // glb -> Y-bus, Y-bus -> X-bus, X-bus -> 3 PEs
  EXPECT_EQ(route.steps.back().links.size(), 3u);
  // Cut-through: 12 cycles on the first link, each later hop one cycle behind: arrival 12 + 2.
  EXPECT_DOUBLE_EQ(fabric.Send(route, 0, 12).arrival, 14.0);
  EXPECT_EQ(fabric.value_hops(), 12u * 5);  // 5 links crossed
  for (const auto& link : topology.links())
    if (topology.node(link.to).kind == NodeKind::kPe && link.data_types.Has(DataType::kIact))
      EXPECT_EQ(fabric.link_counters()[link.id].values, 12u) << topology.node(link.to).name;
}

TEST(LinkFabric, RoutesSharingLinksAddUpOnEachLinkAndALayerStartsFromZero) {
  // v1 bus, 1 row of 3 PEs. Route A multicasts to pe0_0 and pe0_1, route B unicasts to pe0_2: both cross
  // glb -> Y-bus -> X-bus, so those two links carry 12 + 7 = 19 values in 2 transfers, while each PE's
  // own link carries only its route's values.
  const Topology topology = OneRowV1Bus();
  LinkFabric fabric(topology, {16, 16, 16});
  const NodeId glb = *topology.FindNode("glb");
  const NodeId pe0 = *topology.FindNode("pe0_0"), pe1 = *topology.FindNode("pe0_1");
  const NodeId pe2 = *topology.FindNode("pe0_2");
  const FabricRoute a = fabric.Plan(glb, {pe0, pe1}, DataType::kIact);
  const FabricRoute b = fabric.Plan(glb, {pe2}, DataType::kIact);
  fabric.Send(a, 0, 12);
  fabric.Send(b, 0, 7);
  EXPECT_EQ(fabric.value_hops(), 12u * 4 + 7u * 3);  // A crosses 4 links, B 3
  auto links_of = [](const FabricRoute& route) {
    std::set<topology::LinkId> links;
    for (const FabricRoute::Step& step : route.steps) links.insert(step.links.begin(), step.links.end());
    return links;
  };
  const std::set<topology::LinkId> in_a = links_of(a), in_b = links_of(b);
  ASSERT_EQ(in_a.size(), 4u);
  ASSERT_EQ(in_b.size(), 3u);
  int shared = 0;
  for (const auto& link : topology.links()) {
    const auto& counters = fabric.link_counters()[link.id];
    const bool on_a = in_a.count(link.id), on_b = in_b.count(link.id);
    EXPECT_EQ(counters.values, (on_a ? 12u : 0u) + (on_b ? 7u : 0u))
        << topology.node(link.from).name << " -> " << topology.node(link.to).name;
    EXPECT_EQ(counters.transfers, (on_a ? 1u : 0u) + (on_b ? 1u : 0u));
    shared += on_a && on_b;
  }
  EXPECT_EQ(shared, 2);  // glb -> Y-bus and Y-bus -> X-bus
  // A new layer: the same routes count from zero.
  fabric.ResetLayer({16, 16, 16});
  fabric.Send(b, 0, 5);
  EXPECT_EQ(fabric.value_hops(), 5u * 3);
  EXPECT_EQ(fabric.link_counters()[b.steps[0].links[0]].values, 5u);  // glb -> Y-bus
  // A route belongs to the fabric that planned it.
  LinkFabric other(topology, {16, 16, 16});
  EXPECT_THROW(other.Send(a, 0, 1), std::invalid_argument);
}

TEST(LinkFabric, OneSlowPeHoldsAMulticastOnTheV1BusAndStallsTheNextOne) {
  const Topology topology = OneRowV1Bus();
  const NodeId glb = *topology.FindNode("glb");
  std::vector<NodeId> pes;
  for (int c = 0; c < 3; ++c) pes.push_back(*topology.FindNode("pe0_" + std::to_string(c)));

  // Every PE takes the 4 values as they come: the second multicast follows the first after 4 cycles.
  LinkFabric fast(topology, {16, 16, 16});
  const FabricRoute fast_route = fast.Plan(glb, pes, DataType::kIact);
  EXPECT_DOUBLE_EQ(fast.Send(fast_route, 0, 4).arrival, 6.0);
  EXPECT_DOUBLE_EQ(fast.Send(fast_route, 0, 4).arrival, 10.0);

  // One PE's spad can only take the last value at cycle 40: a word leaves the X-bus only when all its
  // destinations can accept it, so the bus is held until 40 and the next multicast, ready at 0, waits.
  LinkFabric slow(topology, {16, 16, 16});
  const FabricRoute slow_route = slow.Plan(glb, pes, DataType::kIact);
  EXPECT_DOUBLE_EQ(slow.Send(slow_route, 0, 4, 40).arrival, 40.0);
  const FabricDelivery next = slow.Send(slow_route, 0, 4);
  EXPECT_DOUBLE_EQ(next.arrival, 44.0);
  EXPECT_GT(next.wait, 30.0);
  uint64_t x_bus_stall = 0;
  for (const auto& link : topology.links())
    if (topology.node(link.to).kind == NodeKind::kPe && link.data_types.Has(DataType::kIact))
      x_bus_stall = std::max(x_bus_stall, slow.link_counters()[link.id].stall_cycles);
  EXPECT_GT(x_bus_stall, 30u);
}

TEST(LinkFabric, AReductionCarriesEachPartialSumOnceUpEveryLink) {
  // v2 cluster column: PEs pass psums south (pe row 0 -> row 1 -> ... -> psum router -> GLB bank), so the
  // three PEs of a column reduce along one chain: every link carries the 6 psums once.
  topology::TopologyParams params;
  params.values["clusters_x"] = int64_t{1};
  params.values["clusters_y"] = int64_t{1};
  params.values["pes_per_cluster_x"] = int64_t{1};
  params.values["pes_per_cluster_y"] = int64_t{3};
  const Topology topology = topology::BuildTopology("eyeriss_v2_hm", params);
  LinkFabric fabric(topology, kBits);
  std::vector<NodeId> column;
  for (const auto& node : topology.nodes())
    if (node.kind == NodeKind::kPe) column.push_back(node.id);
  ASSERT_EQ(column.size(), 3u);
  const NodeId bank = *topology.FindNode("c0_0.glb_psum0");
  const FabricRoute route = fabric.PlanReduction(column, bank, DataType::kPsum);
  fabric.Send(route, 0, 6);
  uint64_t links_used = 0;
  for (const auto& counters : fabric.link_counters())
    if (counters.values > 0) {
      ++links_used;
      EXPECT_EQ(counters.values, 6u);
    }
  // pe row 0 -> row 1 -> row 2 -> psum router -> bank: 4 links.
  EXPECT_EQ(links_used, 4u);
}

TEST(LinkFabric, AnUnreachableDestinationIsNamed) {
  TopologyDraft draft;
  const NodeId a = draft.AddNode(NodeKind::kGlbBank, DataType::kIact, "a");
  const NodeId b = draft.AddNode(NodeKind::kPe, DataType::kIact, "b");
  draft.AddLink(b, a, DataType::kIact, 8, 1, 2);  // only b -> a
  const Topology topology = draft.Finish("test");
  LinkFabric fabric(topology, kBits);
  try {
    fabric.Plan(a, {b}, DataType::kIact);
    FAIL() << "expected an error";
  } catch (const std::invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find("from a to b"), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace cyclops::noc
