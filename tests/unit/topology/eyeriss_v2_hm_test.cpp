// "eyeriss_v2_hm" against ../shared/reference/eyeriss.md: the chip's 8 × 2 clusters (8 rows of 2, x = 2,
// y = 8) of 3 × 4 PEs (3 rows of 4), its router port counts, the missing vertical weight links, psums moving
// north to south only, and the 256 / 1024 / 16,384-PE scaling arrays.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <map>

#include "tests/unit/topology/topology_test_util.h"

namespace cyclops::noc::topology {
namespace {

using test::Build;
using test::Id;

int Count(const Topology& t, NodeKind kind) {
  int n = 0;
  for (const Node& node : t.nodes()) n += node.kind == kind;
  return n;
}

bool IsMeshLink(const Topology& t, const Link& link) {
  return t.node(link.from).kind == NodeKind::kRouter && t.node(link.to).kind == NodeKind::kRouter &&
         !(t.node(link.from).cluster == t.node(link.to).cluster);
}

TEST(EyerissV2Hm, ChipNodeAndLinkCountsMatchAHandCount) {
  const Topology t = Build("eyeriss_v2_hm");
  // Per cluster: 3 iact banks + 4 psum banks (GLB cluster), 3 + 3 + 4 routers, 12 PEs = 29; 16 clusters and
  // 3 off-chip ports (iact, weight, psum) -> 467.
  EXPECT_EQ(t.nodes().size(), 467u);
  EXPECT_EQ(Count(t, NodeKind::kPe), 192);
  EXPECT_EQ(Count(t, NodeKind::kRouter), 160);
  EXPECT_EQ(Count(t, NodeKind::kGlbBank), 112);
  EXPECT_EQ(Count(t, NodeKind::kOffchipPort), 3);
  // Per cluster: iact 3 off-chip->bank + 3 bank->router + 3 off-chip->router + 3 x 12 router->PE = 45;
  // weight 3 off-chip->router + 3 x 4 router->PE row = 15; psum 4 bank->router + 4 router->bank
  // + 4 bank->off-chip + 4 router->top PE + 4 x 2 PE->PE + 4 bottom PE->router = 28. 88 x 16 = 1408.
  // Mesh (directed): adjacent pairs are 8 horizontal and 2 x 7 = 14 vertical. iact 3 x 2 x (8 + 14) = 132,
  // weight 3 x 2 x 8 = 48, psum 4 x 14 = 56 -> 236. Total 1644.
  EXPECT_EQ(t.links().size(), 1644u);
  int mesh = 0;
  for (const Link& link : t.links()) mesh += IsMeshLink(t, link);
  EXPECT_EQ(mesh, 236);
}

TEST(EyerissV2Hm, RouterPortCountsAreThePapers) {
  const Topology t = Build("eyeriss_v2_hm");
  std::map<std::string, std::pair<int, int>> expected = {
      {"iact", {4, 4}}, {"weight", {2, 2}}, {"psum", {3, 3}}};  // eyeriss.md: 4x4 24b, 2x2 24b, 3x3 40b
  const std::map<std::string, int> expected_width = {{"iact", 24}, {"weight", 24}, {"psum", 40}};
  for (const Node& node : t.nodes()) {
    if (node.kind != NodeKind::kRouter) continue;
    const std::string type = ToString(node.data_types);
    EXPECT_EQ(node.in_ports, expected.at(type).first) << node.name;
    EXPECT_EQ(node.out_ports, expected.at(type).second) << node.name;
    for (LinkId id : t.OutLinks(node.id))
      EXPECT_EQ(t.link(id).width_bits, expected_width.at(type)) << node.name;
  }
}

TEST(EyerissV2Hm, IactRoutersFourthOutputReachesEveryPeOfItsCluster) {
  const Topology t = Build("eyeriss_v2_hm");
  const NodeId router = Id(t, "c1_5.iact_router2");
  int to_pes = 0;
  for (LinkId id : t.OutLinks(router)) {
    const Link& link = t.link(id);
    if (link.from_port != 3) continue;  // ports 0-2 are the mesh (north, south, the one horizontal)
    EXPECT_EQ(t.node(link.to).kind, NodeKind::kPe);
    EXPECT_EQ(t.node(link.to).cluster, (GridCoord{1, 5}));
    ++to_pes;
  }
  EXPECT_EQ(to_pes, 12);
}

TEST(EyerissV2Hm, NoVerticalWeightLinksAndPsumMeshOnlyNorthToSouth) {
  const Topology t = Build("eyeriss_v2_hm");
  int weight_mesh = 0;
  int psum_mesh = 0;
  for (const Link& link : t.links()) {
    if (!IsMeshLink(t, link)) continue;
    const GridCoord from = t.node(link.from).cluster;
    const GridCoord to = t.node(link.to).cluster;
    if (link.data_types.Has(DataType::kWeight)) {
      ++weight_mesh;
      EXPECT_EQ(from.y, to.y) << "vertical weight link " << link.id;
    }
    if (link.data_types.Has(DataType::kPsum)) {
      ++psum_mesh;
      EXPECT_EQ(from.x, to.x);
      EXPECT_EQ(to.y, from.y + 1) << "psum mesh link " << link.id << " does not go one cluster south";
    }
  }
  EXPECT_EQ(weight_mesh, 48);
  EXPECT_EQ(psum_mesh, 56);
}

TEST(EyerissV2Hm, WeightsCannotMoveBetweenVerticallyAdjacentClusters) {
  const Topology t = Build("eyeriss_v2_hm");
  // No vertical weight link anywhere, so no horizontal detour helps either: the route does not exist.
  EXPECT_TRUE(t.Route(Id(t, "c0_3.weight_router0"), Id(t, "c0_4.pe0_0"), DataType::kWeight).empty());
  EXPECT_TRUE(t.Route(Id(t, "c0_3.weight_router0"), Id(t, "c1_4.weight_router0"), DataType::kWeight).empty());
  // Horizontally it is one mesh hop and the router's PE-row output.
  EXPECT_EQ(t.Route(Id(t, "c0_3.weight_router1"), Id(t, "c1_3.pe1_2"), DataType::kWeight).size(), 2u);
  // A weight router feeds only its own PE row.
  EXPECT_TRUE(t.Route(Id(t, "c0_3.weight_router1"), Id(t, "c0_3.pe2_2"), DataType::kWeight).empty());
  // Every PE gets its weights from off-chip: off-chip port -> weight router -> PE.
  EXPECT_EQ(t.Route(Id(t, "offchip.weight"), Id(t, "c1_7.pe2_3"), DataType::kWeight).size(), 2u);
}

TEST(EyerissV2Hm, PsumRoutesOnlyGoSouth) {
  const Topology t = Build("eyeriss_v2_hm");
  const std::vector<LinkId> down = t.Route(Id(t, "c1_0.pe0_2"), Id(t, "c1_6.glb_psum2"), DataType::kPsum);
  // Down column 2 (pe0 -> pe1 -> pe2 -> router), 6 mesh hops south, router -> bank: 3 + 6 + 1.
  ASSERT_EQ(down.size(), 10u);
  for (LinkId id : down) {
    EXPECT_GE(t.node(t.link(id).to).cluster.y, t.node(t.link(id).from).cluster.y);
    EXPECT_EQ(t.node(t.link(id).to).cluster.x, 1);
  }
  EXPECT_TRUE(t.Route(Id(t, "c1_6.psum_router2"), Id(t, "c1_5.psum_router2"), DataType::kPsum).empty());
  EXPECT_TRUE(t.Route(Id(t, "c0_2.psum_router0"), Id(t, "c1_2.psum_router0"), DataType::kPsum).empty());
}

TEST(EyerissV2Hm, IactRoutesCrossTheMeshAndMulticastSharesTheRouter) {
  const Topology t = Build("eyeriss_v2_hm");
  // bank -> router, 1 east + 7 south mesh hops, router -> PE.
  EXPECT_EQ(t.Route(Id(t, "c0_0.glb_iact0"), Id(t, "c1_7.pe1_1"), DataType::kIact).size(), 10u);
  std::vector<NodeId> cluster_pes;
  for (const Node& node : t.nodes()) {
    if (node.kind == NodeKind::kPe && node.cluster == GridCoord{0, 0}) cluster_pes.push_back(node.id);
  }
  const MulticastTree tree = t.Multicast(Id(t, "c0_0.glb_iact0"), cluster_pes, DataType::kIact);
  EXPECT_EQ(tree.links.size(), 13u);  // bank -> router once, then the router's 12 PE links
  EXPECT_TRUE(tree.unreachable.empty());
}

long RssKib() {
  std::ifstream status("/proc/self/status");
  std::string key;
  long value = 0;
  while (status >> key) {
    if (key == "VmRSS:") {
      status >> value;
      return value;
    }
    status.ignore(1 << 10, '\n');
  }
  return 0;
}

TEST(EyerissV2Hm, ScalingArraysOfFourByFourPeClusters) {
  for (const auto& [clusters, pes] : std::vector<std::pair<int, int>>{{4, 256}, {8, 1024}, {32, 16384}}) {
    const long rss_before = RssKib();
    const auto start = std::chrono::steady_clock::now();
    const Topology t = Build("eyeriss_v2_hm", {{"clusters_x", clusters},
                                               {"clusters_y", clusters},
                                               {"pes_per_cluster_x", 4},
                                               {"pes_per_cluster_y", 4}});
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    EXPECT_EQ(Count(t, NodeKind::kPe), pes);
    // 4 x 4 PEs: 4 iact, 4 weight routers (one per PE row), 4 psum routers (one per column) per cluster.
    EXPECT_EQ(Count(t, NodeKind::kRouter), 12 * clusters * clusters);
    for (const Node& node : t.nodes()) {
      if (node.kind != NodeKind::kRouter) continue;
      // N, S, W, E + local for iact; W, E + local for weight; psum unchanged.
      const int ports = node.data_types == DataType::kIact ? 5 : node.data_types == DataType::kWeight ? 3 : 3;
      EXPECT_EQ(node.in_ports, ports) << node.name;
      EXPECT_EQ(node.out_ports, ports) << node.name;
    }
    // Corner to corner: bank -> router, (clusters - 1) hops each way, router -> PE.
    const std::string far = std::string("c")
                                .append(std::to_string(clusters - 1))
                                .append("_")
                                .append(std::to_string(clusters - 1))
                                .append(".pe3_3");
    EXPECT_EQ(t.Route(Id(t, "c0_0.glb_iact0"), Id(t, far), DataType::kIact).size(),
              static_cast<std::size_t>(2 * (clusters - 1) + 2));
    std::cout << "[ info ] " << pes << " PEs: " << t.nodes().size() << " nodes, " << t.links().size()
              << " links, built in " << took.count() * 1e3 << " ms, RSS +" << (RssKib() - rss_before) / 1024
              << " MiB\n";
  }
}

}  // namespace
}  // namespace cyclops::noc::topology
