// "mesh2d" (XY routes of Manhattan length, X first; GLB banks on an edge, routes back up retracing the
// routes down) and "crossbar" (every route down one hop, a return crossbar for psums, an off-chip port
// behind the banks).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <set>

#include "sim/core/error.h"
#include "tests/unit/topology/topology_test_util.h"

namespace cyclops::noc::topology {
namespace {

using test::Build;
using test::Id;

// Built with append(): GCC 12 warns falsely (-Wrestrict) on operator+ chains.
std::string At(const char* what, int x, int y) {
  return std::string(what).append(std::to_string(x)).append("_").append(std::to_string(y));
}

std::string ErrorOf(const std::function<void()>& call) {
  try {
    call();
  } catch (const SpecError& error) {
    return error.what();
  }
  return "no SpecError";
}

// The route as node names, "a>b>c".
std::string Path(const Topology& t, const std::vector<LinkId>& links) {
  if (links.empty()) return "";
  std::string text = t.node(t.link(links.front()).from).name;
  for (LinkId id : links) text += ">" + t.node(t.link(id).to).name;
  return text;
}

TEST(Mesh2d, CountsAndAttributes) {
  const Topology t = Build("mesh2d", {{"x", 4}, {"y", 3}, {"link_width_bits", 32}, {"buffer_depth", 6}});
  // 12 routers + 12 PEs, one GLB bank per row (3) on the west edge, the off-chip port.
  EXPECT_EQ(t.nodes().size(), 24u + 3u + 1u);
  // 2 x 12 PE links + 2 x (3 x 3 horizontal + 4 x 2 vertical neighbour pairs) = 24 + 34, and per bank two
  // links to its router and two to the off-chip port: 58 + 12.
  EXPECT_EQ(t.links().size(), 70u);
  for (const Link& link : t.links()) {
    EXPECT_EQ(link.width_bits, 32);  // glb_width_bits and offchip_width_bits default to link_width_bits
    EXPECT_EQ(link.buffer_depth, 6);
    EXPECT_EQ(link.latency_cycles, 1);
    EXPECT_EQ(link.data_types, DataTypeSet::All());
  }
  for (int row = 0; row < 3; ++row) {
    const NodeId bank = Id(t, "glb" + std::to_string(row));
    EXPECT_EQ(t.node(bank).kind, NodeKind::kGlbBank);
    const std::optional<LinkId> in = t.FindLink(bank, Id(t, At("r", 0, row)), DataType::kIact);
    ASSERT_TRUE(in.has_value());
    EXPECT_EQ(t.link(*in).to_port, 4);  // the west port of the row's edge router
    EXPECT_TRUE(t.FindLink(Id(t, At("r", 0, row)), bank, DataType::kPsum).has_value());
  }
  EXPECT_EQ(t.node(Id(t, "offchip")).kind, NodeKind::kOffchipPort);
  EXPECT_EQ(t.node(Id(t, "offchip")).out_ports, 1);  // one shared port to every bank
  EXPECT_EQ(t.node(Id(t, "r0_1")).in_ports, 5);
}

TEST(Mesh2d, BanksOnTheNorthEdgeSpreadEvenlyWithTheirOwnWidths) {
  const Topology t = Build("mesh2d", {{"x", 4},
                                      {"y", 3},
                                      {"link_width_bits", 32},
                                      {"glb_banks", 2},
                                      {"glb_width_bits", 16},
                                      {"offchip_width_bits", 128}});
  TopologyParams north;
  north.values = {{"x", std::int64_t{4}},
                  {"y", std::int64_t{3}},
                  {"link_width_bits", std::int64_t{32}},
                  {"glb_side", std::string("north")},
                  {"glb_banks", std::int64_t{2}},
                  {"glb_width_bits", std::int64_t{16}}};
  const Topology n = BuildTopology("mesh2d", north);
  // West, 2 banks on 3 rows: rows 0 and 1 (⌊b · 3 / 2⌋); north, 2 banks on 4 columns: columns 0 and 2.
  EXPECT_TRUE(t.FindLink(Id(t, "glb1"), Id(t, "r0_1"), DataType::kWeight).has_value());
  const std::optional<LinkId> down = n.FindLink(Id(n, "glb1"), Id(n, "r2_0"), DataType::kWeight);
  ASSERT_TRUE(down.has_value());
  EXPECT_EQ(n.link(*down).to_port, 1);  // the north port of the column's edge router
  EXPECT_EQ(n.link(*down).width_bits, 16);
  const std::optional<LinkId> offchip = t.FindLink(Id(t, "offchip"), Id(t, "glb0"), DataType::kIact);
  ASSERT_TRUE(offchip.has_value());
  EXPECT_EQ(t.link(*offchip).width_bits, 128);
}

TEST(Mesh2d, XyRoutesHaveManhattanLengthAndMoveInXFirst) {
  const int width = 4;
  const int height = 3;
  const Topology t = Build("mesh2d", {{"x", width}, {"y", height}, {"link_width_bits", 32}});
  for (int sy = 0; sy < height; ++sy) {
    for (int sx = 0; sx < width; ++sx) {
      for (int dy = 0; dy < height; ++dy) {
        for (int dx = 0; dx < width; ++dx) {
          if (sx == dx && sy == dy) continue;
          const std::vector<LinkId> path =
              t.Route(Id(t, At("r", sx, sy)), Id(t, At("r", dx, dy)), DataType::kPsum);
          ASSERT_EQ(path.size(), static_cast<std::size_t>(std::abs(dx - sx) + std::abs(dy - sy)));
          bool moved_in_y = false;
          for (LinkId id : path) {
            const GridCoord from = t.node(t.link(id).from).cluster;
            const GridCoord to = t.node(t.link(id).to).cluster;
            if (from.y != to.y) moved_in_y = true;
            if (from.x != to.x) {
              EXPECT_FALSE(moved_in_y) << "X move after a Y move";
            }
          }
        }
      }
    }
  }
  // PE to PE adds the injection and ejection links.
  EXPECT_EQ(t.Route(Id(t, "pe0_0"), Id(t, "pe3_2"), DataType::kIact).size(), 5u + 2u);
  EXPECT_EQ(t.Route(Id(t, "pe2_1"), Id(t, "r2_1"), DataType::kIact).size(), 1u);
}

TEST(Mesh2d, RoutesOutOfTheGlbGoXyFromItsRouter) {
  const Topology t = Build("mesh2d", {{"x", 4}, {"y", 3}, {"link_width_bits", 32}});
  // Bank 1 sits west of r0_1: east along row 1 to column 3, then south to row 2.
  EXPECT_EQ(Path(t, t.Route(Id(t, "glb1"), Id(t, "pe3_2"), DataType::kIact)),
            "glb1>r0_1>r1_1>r2_1>r3_1>r3_2>pe3_2");
  // The off-chip port enters through the bank of the destination's row.
  EXPECT_EQ(Path(t, t.Route(Id(t, "offchip"), Id(t, "pe2_2"), DataType::kWeight)),
            "offchip>glb2>r0_2>r1_2>r2_2>pe2_2");
  EXPECT_EQ(Path(t, t.Route(Id(t, "offchip"), Id(t, "glb1"), DataType::kWeight)), "offchip>glb1");
  // With 2 banks on 4 rows (rows 0 and 2), rows 0-1 enter through bank 0 and rows 2-3 through bank 1.
  const Topology two = Build("mesh2d", {{"x", 2}, {"y", 4}, {"link_width_bits", 32}, {"glb_banks", 2}});
  EXPECT_EQ(Path(two, two.Route(Id(two, "offchip"), Id(two, "pe1_1"), DataType::kIact)),
            "offchip>glb0>r0_0>r1_0>r1_1>pe1_1");
  EXPECT_EQ(Path(two, two.Route(Id(two, "offchip"), Id(two, "pe0_3"), DataType::kIact)),
            "offchip>glb1>r0_2>r0_3>pe0_3");
}

TEST(Mesh2d, RoutesBackUpRetraceTheRoutesDownBackwards) {
  const Topology t = Build("mesh2d", {{"x", 4}, {"y", 3}, {"link_width_bits", 32}});
  std::vector<NodeId> memories{Id(t, "offchip")};
  for (int b = 0; b < 3; ++b) memories.push_back(Id(t, "glb" + std::to_string(b)));
  for (NodeId memory : memories) {
    for (const Node& node : t.nodes()) {
      if (node.id == memory || (node.kind != NodeKind::kPe && node.kind != NodeKind::kGlbBank)) continue;
      if (node.kind == NodeKind::kGlbBank && memory != memories.front()) continue;
      const std::vector<LinkId> down = t.Route(memory, node.id, DataType::kPsum);
      const std::vector<LinkId> up = t.Route(node.id, memory, DataType::kPsum);
      ASSERT_FALSE(down.empty());
      ASSERT_EQ(up.size(), down.size()) << node.name;
      for (size_t i = 0; i < up.size(); ++i) {
        const Link& a = t.link(up[i]);
        const Link& b = t.link(down[down.size() - 1 - i]);
        EXPECT_EQ(a.from, b.to) << node.name;
        EXPECT_EQ(a.to, b.from) << node.name;
      }
    }
  }
  // So psums go YX: north to the bank's row first, then west.
  EXPECT_EQ(Path(t, t.Route(Id(t, "pe3_2"), Id(t, "glb1"), DataType::kPsum)),
            "pe3_2>r3_2>r3_1>r2_1>r1_1>r0_1>glb1");
  EXPECT_EQ(Path(t, t.Route(Id(t, "pe1_0"), Id(t, "offchip"), DataType::kPsum)),
            "pe1_0>r1_0>r0_0>glb0>offchip");
}

TEST(Mesh2d, AReductionTreeIsTheMulticastTreeBackwards) {
  const Topology t = Build("mesh2d", {{"x", 4}, {"y", 4}, {"link_width_bits", 32}});
  // Column 2 into bank 0 (west of r0_0): 4 injections, r2_3 > r2_2 > r2_1 > r2_0 (3), then west r2_0 > r1_0
  // > r0_0 (2) and into the bank (1): 10 links, each once however many PEs' psums it carries.
  const std::vector<NodeId> column{Id(t, "pe2_0"), Id(t, "pe2_1"), Id(t, "pe2_2"), Id(t, "pe2_3")};
  const NodeId bank = Id(t, "glb0");
  const MulticastTree up = t.Reduction(column, bank, DataType::kPsum);
  const MulticastTree down = t.Multicast(bank, column, DataType::kPsum);
  EXPECT_TRUE(up.unreachable.empty());
  ASSERT_EQ(up.links.size(), 10u);
  ASSERT_EQ(down.links.size(), 10u);
  std::set<std::pair<NodeId, NodeId>> reversed;
  for (LinkId id : down.links) reversed.emplace(t.link(id).to, t.link(id).from);
  for (LinkId id : up.links) EXPECT_EQ(reversed.count({t.link(id).from, t.link(id).to}), 1u);
}

TEST(Mesh2d, BadGlbParametersNameTheParameterAndTheChoices) {
  TopologyParams params;
  params.values = {{"x", std::int64_t{4}},
                   {"y", std::int64_t{4}},
                   {"link_width_bits", std::int64_t{8}},
                   {"glb_side", std::string("east")}};
  std::string message = ErrorOf([&] { BuildTopology("mesh2d", params); });
  EXPECT_NE(message.find("'mesh2d': parameter 'glb_side': unknown value 'east'"), std::string::npos)
      << message;
  EXPECT_NE(message.find("one of west, north"), std::string::npos) << message;
  params.values["glb_side"] = std::int64_t{1};
  message = ErrorOf([&] { BuildTopology("mesh2d", params); });
  EXPECT_NE(message.find("parameter 'glb_side': expected a name"), std::string::npos) << message;
  message = ErrorOf([] { Build("mesh2d", {{"x", 4}, {"y", 3}, {"link_width_bits", 8}, {"glb_banks", 4}}); });
  EXPECT_NE(message.find("parameter 'glb_banks': 4 banks on an edge of 3 routers"), std::string::npos)
      << message;
}

TEST(Crossbar, EverySourceReachesEveryDestinationInOneHopAndPsumsComeBack) {
  const Topology t = Build("crossbar", {{"sources", 3}, {"destinations", 5}, {"link_width_bits", 64}});
  // 3 x 5 links down, 3 x 5 back (psums), 3 x 2 between the banks and the off-chip port.
  EXPECT_EQ(t.links().size(), 36u);
  for (int s = 0; s < 3; ++s) {
    for (int d = 0; d < 5; ++d) {
      const NodeId src = Id(t, "src" + std::to_string(s));
      const NodeId dst = Id(t, "dst" + std::to_string(d));
      EXPECT_EQ(t.Route(src, dst, DataType::kIact).size(), 1u);
      EXPECT_EQ(t.Route(dst, src, DataType::kPsum).size(), 1u);
      EXPECT_TRUE(t.Route(dst, src, DataType::kIact).empty());  // only psums go back up
    }
  }
  EXPECT_EQ(t.node(Id(t, "dst0")).in_ports, 3);   // one per source
  EXPECT_EQ(t.node(Id(t, "dst0")).out_ports, 1);  // one (shared) output back
  EXPECT_EQ(t.node(Id(t, "src0")).out_ports, 2);  // to the PEs (shared, multicast), to the off-chip port
  EXPECT_EQ(t.node(Id(t, "src0")).in_ports, 1 + 5);
  // Off-chip to a PE and back: through a bank, two hops.
  EXPECT_EQ(t.Route(Id(t, "offchip"), Id(t, "dst4"), DataType::kWeight).size(), 2u);
  EXPECT_EQ(t.Route(Id(t, "dst4"), Id(t, "offchip"), DataType::kPsum).size(), 2u);
}

TEST(Crossbar, AReductionArrivesAtTheBankOnOneLinkPerPe) {
  const Topology t = Build("crossbar", {{"sources", 2},
                                        {"destinations", 6},
                                        {"pe_columns", 3},
                                        {"link_width_bits", 64},
                                        {"return_width_bits", 32}});
  EXPECT_EQ(t.node(Id(t, "dst4")).local, (GridCoord{1, 1}));  // row by row, 3 columns
  const MulticastTree tree =
      t.Reduction({Id(t, "dst0"), Id(t, "dst3"), Id(t, "dst5")}, Id(t, "src1"), DataType::kPsum);
  ASSERT_EQ(tree.links.size(), 3u);
  std::set<int> ports;
  for (LinkId id : tree.links) {
    EXPECT_EQ(t.link(id).to, Id(t, "src1"));
    EXPECT_EQ(t.link(id).width_bits, 32);
    ports.insert(t.link(id).to_port);
  }
  EXPECT_EQ(ports.size(), 3u);  // in parallel, each on its own port
  const std::string message = ErrorOf([] {
    Build("crossbar", {{"sources", 2}, {"destinations", 6}, {"pe_columns", 4}, {"link_width_bits", 8}});
  });
  EXPECT_NE(message.find("parameter 'pe_columns': 4 does not divide destinations (6)"), std::string::npos)
      << message;
}

}  // namespace
}  // namespace cyclops::noc::topology
