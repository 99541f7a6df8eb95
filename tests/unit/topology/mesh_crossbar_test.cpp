// "mesh2d" (XY routes of Manhattan length, X first) and "crossbar" (every route one hop).
#include <gtest/gtest.h>

#include <cstdlib>

#include "tests/unit/topology/topology_test_util.h"

namespace cyclops::noc::topology {
namespace {

using test::Build;
using test::Id;

// Built with append(): GCC 12 warns falsely (-Wrestrict) on operator+ chains.
std::string At(const char* what, int x, int y) {
  return std::string(what).append(std::to_string(x)).append("_").append(std::to_string(y));
}

TEST(Mesh2d, CountsAndAttributes) {
  const Topology t = Build("mesh2d", {{"x", 4}, {"y", 3}, {"link_width_bits", 32}, {"buffer_depth", 6}});
  EXPECT_EQ(t.nodes().size(), 24u);  // 12 routers + 12 PEs
  // 2 x 12 PE links + 2 x (3 x 3 horizontal + 4 x 2 vertical neighbour pairs) = 24 + 34.
  EXPECT_EQ(t.links().size(), 58u);
  for (const Link& link : t.links()) {
    EXPECT_EQ(link.width_bits, 32);
    EXPECT_EQ(link.buffer_depth, 6);
    EXPECT_EQ(link.latency_cycles, 1);
    EXPECT_EQ(link.data_types, DataTypeSet::All());
  }
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

TEST(Mesh2d, MulticastTreeSharesTheXLeg) {
  const Topology t = Build("mesh2d", {{"x", 4}, {"y", 3}, {"link_width_bits", 32}});
  // From r0_0 to pe3_1 and pe3_2: 3 X hops shared, then 1 and 2 Y hops (the first shared), 2 ejections.
  const MulticastTree tree = t.Multicast(Id(t, "r0_0"), {Id(t, "pe3_1"), Id(t, "pe3_2")}, DataType::kWeight);
  EXPECT_EQ(tree.links.size(), 3u + 2u + 2u);
  EXPECT_TRUE(tree.unreachable.empty());
}

TEST(Crossbar, EverySourceReachesEveryDestinationInOneHop) {
  const Topology t = Build("crossbar", {{"sources", 3}, {"destinations", 5}, {"link_width_bits", 64}});
  EXPECT_EQ(t.links().size(), 15u);
  for (int s = 0; s < 3; ++s) {
    for (int d = 0; d < 5; ++d) {
      const NodeId src = Id(t, "src" + std::to_string(s));
      const NodeId dst = Id(t, "dst" + std::to_string(d));
      EXPECT_EQ(t.Route(src, dst, DataType::kIact).size(), 1u);
      EXPECT_TRUE(t.Route(dst, src, DataType::kIact).empty());
    }
  }
  EXPECT_EQ(t.node(Id(t, "dst0")).in_ports, 3);   // one per source
  EXPECT_EQ(t.node(Id(t, "src0")).out_ports, 1);  // one shared (multicast) output
}

}  // namespace
}  // namespace cyclops::noc::topology
