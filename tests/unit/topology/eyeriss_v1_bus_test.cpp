// "eyeriss_v1_bus" against ../shared/reference/eyeriss.md: 12 x 14 PEs, per data type a Y-bus feeding 12
// X-buses, the bus widths, and one-cycle row multicast through one Y-bus link and one X-bus.
#include <gtest/gtest.h>

#include <set>

#include "tests/unit/topology/topology_test_util.h"

namespace cyclops::noc::topology {
namespace {

using test::Build;
using test::Id;

TEST(EyerissV1Bus, CountsMatchTheChip) {
  const Topology t = Build("eyeriss_v1_bus");
  int pes = 0;
  int buses = 0;
  std::map<std::string, int> buses_of;
  for (const Node& node : t.nodes()) {
    pes += node.kind == NodeKind::kPe;
    if (node.kind != NodeKind::kBus) continue;
    ++buses;
    buses_of[node.name.substr(0, node.name.find('.'))]++;
  }
  EXPECT_EQ(pes, 168);
  // Input networks: 3 data types x (1 Y-bus + 12 X-buses) = 39; the output network has the same shape: 13.
  for (const char* type : {"iact", "weight", "psum", "output"}) EXPECT_EQ(buses_of[type], 13) << type;
  EXPECT_EQ(buses, 52);
  // offchip + glb + 52 buses + 168 PEs.
  EXPECT_EQ(t.nodes().size(), 222u);
  // 2 off-chip + 3 x (1 + 12 + 168) input + (168 + 12 + 1) output + 11 x 14 local = 880.
  EXPECT_EQ(t.links().size(), 880u);
}

TEST(EyerissV1Bus, WidthsAreThePapers) {
  const Topology t = Build("eyeriss_v1_bus");
  // filter 64b, ifmap 16b, psum 64b, output network 64b, local PE-to-PE 64b.
  EXPECT_EQ(t.link(t.OutLinks(Id(t, "weight.x_bus3"))[0]).width_bits, 64);
  EXPECT_EQ(t.link(t.OutLinks(Id(t, "iact.x_bus3"))[0]).width_bits, 16);
  EXPECT_EQ(t.link(t.OutLinks(Id(t, "psum.y_bus"))[0]).width_bits, 64);
  EXPECT_EQ(t.link(t.OutLinks(Id(t, "output.x_bus3"))[0]).width_bits, 64);
  const std::optional<LinkId> local = t.FindLink(Id(t, "pe5_2"), Id(t, "pe4_2"), DataType::kPsum);
  ASSERT_TRUE(local.has_value());  // psums move up a column: row 5 -> row 4
  EXPECT_EQ(t.link(*local).width_bits, 64);
  EXPECT_FALSE(t.FindLink(Id(t, "pe4_2"), Id(t, "pe5_2"), DataType::kPsum).has_value());
}

TEST(EyerissV1Bus, RowMulticastUsesTheYBusOnceAndOneXBus) {
  const Topology t = Build("eyeriss_v1_bus");
  std::vector<NodeId> row;
  for (int c = 0; c < 14; ++c) row.push_back(Id(t, "pe7_" + std::to_string(c)));
  const MulticastTree tree = t.Multicast(Id(t, "glb"), row, DataType::kWeight);
  EXPECT_TRUE(tree.unreachable.empty());
  ASSERT_EQ(tree.links.size(), 16u);  // glb -> Y-bus, Y-bus -> X-bus 7, 14 x X-bus -> PE
  int from_y_bus = 0;
  std::set<NodeId> x_buses;
  for (LinkId id : tree.links) {
    const Link& link = t.link(id);
    from_y_bus += link.from == Id(t, "weight.y_bus");
    if (t.node(link.to).kind == NodeKind::kPe) x_buses.insert(link.from);
  }
  EXPECT_EQ(from_y_bus, 1);
  EXPECT_EQ(x_buses, std::set<NodeId>{Id(t, "weight.x_bus7")});
  // All 14 PE links leave the X-bus through its one port: one word reaches the whole row in one cycle.
  for (LinkId id : tree.links) {
    if (t.node(t.link(id).to).kind == NodeKind::kPe) {
      EXPECT_EQ(t.link(id).from_port, 0);
    }
  }
}

TEST(EyerissV1Bus, DataTypesStayOnTheirOwnNetworks) {
  const Topology t = Build("eyeriss_v1_bus", {{"rows", 3}, {"cols", 4}});
  const std::vector<LinkId> iact = t.Route(Id(t, "glb"), Id(t, "pe2_3"), DataType::kIact);
  ASSERT_EQ(iact.size(), 3u);
  EXPECT_EQ(t.link(iact[0]).to, Id(t, "iact.y_bus"));
  EXPECT_EQ(t.Route(Id(t, "pe2_3"), Id(t, "glb"), DataType::kPsum).size(), 3u);   // output X-, Y-bus, GLB
  EXPECT_TRUE(t.Route(Id(t, "pe2_3"), Id(t, "glb"), DataType::kWeight).empty());  // weights never go back
}

}  // namespace
}  // namespace cyclops::noc::topology
