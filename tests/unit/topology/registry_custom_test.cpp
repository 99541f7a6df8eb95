// Builders by name, parameter errors that name the builder and the parameter, and "custom" round trips.
#include <gtest/gtest.h>

#include <algorithm>

#include "noc/topology/custom_topology.h"
#include "sim/core/error.h"
#include "tests/unit/topology/topology_test_util.h"

namespace cyclops::noc::topology {
namespace {

using test::Build;
using test::Id;

CustomNodeSpec Named(const std::string& name) {
  CustomNodeSpec node;
  node.name = name;
  return node;
}

CustomLinkSpec Between(const std::string& from, const std::string& to) {
  CustomLinkSpec link;
  link.from = from;
  link.to = to;
  link.width_bits = 8;
  return link;
}

std::string ErrorOf(const std::function<void()>& call) {
  try {
    call();
  } catch (const SpecError& error) {
    return error.what();
  }
  return "no SpecError";
}

TEST(TopologyRegistry, ListsAllSixBuilders) {
  const std::vector<std::string> names = TopologyRegistry::Names();
  for (const char* name : {"eyeriss_v2_hm", "eyeriss_v1_bus", "mesh2d", "crossbar", "systolic", "custom"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), name), names.end()) << name;
  }
}

TEST(TopologyRegistry, UnknownBuilderListsTheKnownOnes) {
  const std::string message = ErrorOf([] { Build("torus"); });
  EXPECT_NE(message.find("unknown topology builder 'torus'"), std::string::npos) << message;
  EXPECT_NE(message.find("mesh2d"), std::string::npos) << message;
}

TEST(TopologyParams, ErrorsNameTheBuilderAndTheParameter) {
  std::string message = ErrorOf([] { Build("mesh2d", {{"x", 4}, {"link_width_bits", 8}}); });
  EXPECT_NE(message.find("'mesh2d'"), std::string::npos) << message;
  EXPECT_NE(message.find("parameter 'y': missing"), std::string::npos) << message;
  message = ErrorOf([] { Build("crossbar", {{"sources", 0}, {"destinations", 2}, {"link_width_bits", 8}}); });
  EXPECT_NE(message.find("parameter 'sources': value 0 is out of range (valid: an integer >= 1)"),
            std::string::npos)
      << message;
  message = ErrorOf([] { Build("eyeriss_v2_hm", {{"clusters_z", 2}}); });
  EXPECT_NE(message.find("unknown parameter(s) clusters_z"), std::string::npos) << message;
  EXPECT_NE(message.find("clusters_x"), std::string::npos) << message;  // the valid ones are listed
  message = ErrorOf([] {
    TopologyParams params;
    params.values["rows"] = std::string("twelve");
    BuildTopology("eyeriss_v1_bus", params);
  });
  EXPECT_NE(message.find("'eyeriss_v1_bus': parameter 'rows': expected an integer"), std::string::npos)
      << message;
  message = ErrorOf([] {
    TopologyParams params;
    params.custom = CustomTopologySpec{};
    BuildTopology("crossbar", params);
  });
  EXPECT_NE(message.find("'crossbar': takes no node/link lists"), std::string::npos) << message;
}

TEST(CustomTopology, RoundTripRebuildsTheSameNodesLinksAndRoutes) {
  const Topology original = Build("eyeriss_v2_hm", {{"clusters_x", 3}, {"clusters_y", 3}});
  TopologyParams params;
  params.custom = ToCustomSpec(original);
  const Topology copy = BuildTopology("custom", params);
  EXPECT_EQ(copy.nodes(), original.nodes());
  EXPECT_EQ(copy.links(), original.links());
  const NodeId from = Id(original, "c0_0.glb_iact1");
  const NodeId to = Id(original, "c2_2.pe2_3");
  EXPECT_EQ(copy.Route(from, to, DataType::kIact), original.Route(from, to, DataType::kIact));
}

TEST(CustomTopology, ErrorsPointAtTheEntry) {
  TopologyParams params;
  params.custom = CustomTopologySpec{{Named("a"), Named("b")}, {Between("a", "b"), Between("a", "c")}};
  std::string message = ErrorOf([&] { BuildTopology("custom", params); });
  EXPECT_NE(message.find("at 'links[1].to'"), std::string::npos) << message;
  EXPECT_NE(message.find("unknown node 'c'"), std::string::npos) << message;
  params.custom->nodes.push_back(Named("a"));
  message = ErrorOf([&] { BuildTopology("custom", params); });
  EXPECT_NE(message.find("at 'nodes[2].name'"), std::string::npos) << message;
  message = ErrorOf([] { BuildTopology("custom", {}); });
  EXPECT_NE(message.find("no node/link lists"), std::string::npos) << message;
  params.values["x"] = std::int64_t{1};  // "custom" takes no scalar parameters
  message = ErrorOf([&] { BuildTopology("custom", params); });
  EXPECT_NE(message.find("unknown parameter(s) x"), std::string::npos) << message;
}

}  // namespace
}  // namespace cyclops::noc::topology
