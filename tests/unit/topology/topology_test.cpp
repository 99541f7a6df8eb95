// The Topology value itself: validation, and routes over a small hand-drawn graph (built with "custom").
#include "noc/topology/topology.h"

#include <gtest/gtest.h>

#include "noc/topology/topology_builder.h"
#include "tests/unit/topology/topology_test_util.h"

namespace cyclops::noc::topology {
namespace {

using test::Id;

// a -> b -> c -> d with latency 1 each (iact+weight), and a shortcut a -> d of latency 5 (iact only);
// d -> a carries psum only.
Topology Diamond() {
  TopologyParams params;
  CustomTopologySpec spec;
  for (const char* name : {"a", "b", "c", "d"}) spec.nodes.push_back({.name = name});
  const DataTypeSet iw = DataTypeSet(DataType::kIact) | DataType::kWeight;
  spec.links.push_back({"a", "b", iw, 8, 1});
  spec.links.push_back({"b", "c", iw, 8, 1});
  spec.links.push_back({"c", "d", iw, 8, 1});
  spec.links.push_back({"a", "d", DataType::kIact, 8, 5});
  spec.links.push_back({"d", "a", DataType::kPsum, 8, 1});
  params.custom = spec;
  return BuildTopology("custom", params);
}

TEST(Topology, RouteTakesTheLowestLatencyNotTheFewestHops) {
  const Topology t = Diamond();
  // Three links of latency 1 (total 3) beat one link of latency 5.
  EXPECT_EQ(t.Route(Id(t, "a"), Id(t, "d"), DataType::kIact), (std::vector<LinkId>{0, 1, 2}));
}

TEST(Topology, RouteRespectsDirectionAndDataType) {
  const Topology t = Diamond();
  EXPECT_TRUE(t.Route(Id(t, "d"), Id(t, "c"), DataType::kIact).empty());  // links point the other way
  EXPECT_TRUE(t.Route(Id(t, "a"), Id(t, "d"), DataType::kPsum).empty());  // no psum link forwards
  EXPECT_EQ(t.Route(Id(t, "d"), Id(t, "b"), DataType::kPsum), std::vector<LinkId>{});  // psum stops at a
  EXPECT_EQ(t.Route(Id(t, "d"), Id(t, "a"), DataType::kPsum), (std::vector<LinkId>{4}));
  EXPECT_THROW(t.Route(Id(t, "a"), Id(t, "a"), DataType::kIact), std::invalid_argument);
  EXPECT_THROW(t.Route(0, 99, DataType::kIact), std::out_of_range);
}

TEST(Topology, MulticastIsTheUnionOfRoutesWithSharedLinksOnce) {
  const Topology t = Diamond();
  const MulticastTree tree = t.Multicast(Id(t, "a"), {Id(t, "b"), Id(t, "c"), Id(t, "d")}, DataType::kWeight);
  EXPECT_EQ(tree.links, (std::vector<LinkId>{0, 1, 2}));  // a->b serves all three, listed once
  EXPECT_TRUE(tree.unreachable.empty());
  const MulticastTree psum = t.Multicast(Id(t, "a"), {Id(t, "b")}, DataType::kPsum);
  EXPECT_TRUE(psum.links.empty());
  EXPECT_EQ(psum.unreachable, std::vector<NodeId>{Id(t, "b")});
}

TEST(Topology, RejectsLinksThatCannotExist) {
  std::vector<Node> nodes = {{0, NodeKind::kRouter, DataType::kIact, {}, {}, 1, 1, "a"},
                             {1, NodeKind::kRouter, DataType::kIact, {}, {}, 1, 1, "b"}};
  const Link good{0, 0, 1, 0, 0, DataType::kIact, 8, 1, 1};
  EXPECT_NO_THROW(Topology("t", nodes, {good}));
  Link zero_latency = good;
  zero_latency.latency_cycles = 0;  // DESIGN.md decision 4: every link takes >= 1 cycle
  EXPECT_THROW(Topology("t", nodes, {zero_latency}), std::invalid_argument);
  Link bad_port = good;
  bad_port.to_port = 1;  // b has one in port, numbered 0
  EXPECT_THROW(Topology("t", nodes, {bad_port}), std::invalid_argument);
  Link missing = good;
  missing.to = 2;
  EXPECT_THROW(Topology("t", nodes, {missing}), std::invalid_argument);
  nodes[1].name = "a";
  EXPECT_THROW(Topology("t", nodes, {}), std::invalid_argument);
}

TEST(Topology, NamesParseBackToTheirValues) {
  for (DataType type : kAllDataTypes) EXPECT_EQ(ParseDataType(ToString(type)), type);
  EXPECT_EQ(ParseNodeKind("offchip_port"), NodeKind::kOffchipPort);
  EXPECT_EQ(ParseNodeKind("switch"), std::nullopt);
  EXPECT_EQ(ParseDataTypeSet("iact,psum"), DataTypeSet(DataType::kIact) | DataType::kPsum);
  EXPECT_EQ(ParseDataTypeSet("iact,filter"), std::nullopt);  // v1's word; the data type is "weight"
  EXPECT_EQ(ToString(DataTypeSet::All()), "iact,weight,psum");
}

}  // namespace
}  // namespace cyclops::noc::topology
