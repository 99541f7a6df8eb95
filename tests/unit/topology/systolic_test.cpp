// "systolic": neighbour links only, each data type one way (iacts east, weights and psums south), the GLB
// banks on the west, north and south edges, the off-chip bus behind them.
#include <gtest/gtest.h>

#include "sim/core/error.h"
#include "tests/unit/topology/topology_test_util.h"

namespace cyclops::noc::topology {
namespace {

using test::Build;
using test::Id;

std::string Pe(int x, int y) {
  return std::string("pe").append(std::to_string(x)).append("_").append(std::to_string(y));
}

std::string Path(const Topology& t, const std::vector<LinkId>& links) {
  if (links.empty()) return "";
  std::string text = t.node(t.link(links.front()).from).name;
  for (LinkId id : links) text += ">" + t.node(t.link(id).to).name;
  return text;
}

TEST(Systolic, CountsWidthsAndPorts) {
  const Topology t = Build("systolic", {{"rows", 3}, {"columns", 4}});
  // 12 PEs, 3 iact banks (west), 4 weight and 4 psum banks (north, south), the off-chip port.
  EXPECT_EQ(t.nodes().size(), 12u + 3u + 4u + 4u + 1u);
  // iacts: 3 rows x (1 from the bank + 3 between PEs); weights: 4 columns x (1 + 2); psums: 4 x (2 + 1 into
  // the bank); off-chip: 7 iact and weight banks in, 4 psum banks back.
  EXPECT_EQ(t.links().size(), 12u + 12u + 12u + 7u + 4u);
  const auto width = [&](const std::string& from, const std::string& to, DataType type) {
    const std::optional<LinkId> link = t.FindLink(Id(t, from), Id(t, to), type);
    EXPECT_TRUE(link.has_value()) << from << " -> " << to;
    return link ? t.link(*link).width_bits : 0;
  };
  EXPECT_EQ(width("glb.iact1", Pe(0, 1), DataType::kIact), 8);
  EXPECT_EQ(width(Pe(1, 1), Pe(2, 1), DataType::kIact), 8);
  EXPECT_EQ(width("glb.weight2", Pe(2, 0), DataType::kWeight), 8);
  EXPECT_EQ(width(Pe(2, 0), Pe(2, 1), DataType::kWeight), 8);
  EXPECT_EQ(width(Pe(2, 1), Pe(2, 2), DataType::kPsum), 32);
  EXPECT_EQ(width(Pe(2, 2), "glb.psum2", DataType::kPsum), 32);
  EXPECT_EQ(width("offchip", "glb.weight3", DataType::kWeight), 128);
  EXPECT_EQ(width("glb.psum0", "offchip", DataType::kPsum), 128);
  // Weights and psums run down a column on separate wires, through separate ports.
  const std::optional<LinkId> weight = t.FindLink(Id(t, Pe(0, 0)), Id(t, Pe(0, 1)), DataType::kWeight);
  const std::optional<LinkId> psum = t.FindLink(Id(t, Pe(0, 0)), Id(t, Pe(0, 1)), DataType::kPsum);
  ASSERT_TRUE(weight && psum);
  EXPECT_NE(*weight, *psum);
  EXPECT_NE(t.link(*weight).from_port, t.link(*psum).from_port);
  EXPECT_FALSE(t.link(*weight).data_types.Has(DataType::kPsum));
  EXPECT_EQ(t.node(Id(t, Pe(3, 2))).in_ports, 3);  // iact, weight, psum, even where unconnected
  EXPECT_EQ(t.node(Id(t, Pe(3, 2))).local, (GridCoord{3, 2}));
  EXPECT_EQ(t.node(Id(t, "offchip")).out_ports, 1);  // one bus to every bank
}

TEST(Systolic, OperandsFlowEastAndSouthAndNeverBack) {
  const Topology t = Build("systolic", {{"rows", 3}, {"columns", 4}});
  EXPECT_EQ(Path(t, t.Route(Id(t, "glb.iact2"), Id(t, Pe(3, 2)), DataType::kIact)),
            "glb.iact2>pe0_2>pe1_2>pe2_2>pe3_2");
  EXPECT_EQ(Path(t, t.Route(Id(t, "glb.weight1"), Id(t, Pe(1, 2)), DataType::kWeight)),
            "glb.weight1>pe1_0>pe1_1>pe1_2");
  // A row's bank feeds only its row; nothing moves west or north.
  EXPECT_TRUE(t.Route(Id(t, "glb.iact0"), Id(t, Pe(0, 1)), DataType::kIact).empty());
  EXPECT_TRUE(t.Route(Id(t, Pe(2, 1)), Id(t, Pe(1, 1)), DataType::kIact).empty());
  EXPECT_TRUE(t.Route(Id(t, Pe(1, 2)), Id(t, Pe(1, 1)), DataType::kWeight).empty());
  EXPECT_TRUE(t.Route(Id(t, "glb.weight0"), Id(t, Pe(1, 0)), DataType::kWeight).empty());
  // DRAM reaches a PE through the bank of its row (iacts) or column (weights).
  EXPECT_EQ(Path(t, t.Route(Id(t, "offchip"), Id(t, Pe(1, 1)), DataType::kIact)),
            "offchip>glb.iact1>pe0_1>pe1_1");
}

TEST(Systolic, PsumsReduceDownAColumnAndNeverComeBackIn) {
  const Topology t = Build("systolic", {{"rows", 3}, {"columns", 4}});
  // Column 1 into its psum bank: each link down the column once, then into the bank: 3 links.
  const MulticastTree tree =
      t.Reduction({Id(t, Pe(1, 0)), Id(t, Pe(1, 1)), Id(t, Pe(1, 2))}, Id(t, "glb.psum1"), DataType::kPsum);
  EXPECT_TRUE(tree.unreachable.empty());
  EXPECT_EQ(tree.links.size(), 3u);
  EXPECT_EQ(Path(t, t.Route(Id(t, Pe(1, 0)), Id(t, "offchip"), DataType::kPsum)),
            "pe1_0>pe1_1>pe1_2>glb.psum1>offchip");
  // A row's PEs cannot reduce into one bank (psums never move across, nor come back from DRAM into
  // another bank), and psums never enter the array.
  const MulticastTree across =
      t.Reduction({Id(t, Pe(0, 2)), Id(t, Pe(1, 2))}, Id(t, "glb.psum1"), DataType::kPsum);
  ASSERT_EQ(across.unreachable.size(), 1u);
  EXPECT_EQ(across.unreachable.front(), Id(t, Pe(0, 2)));
  for (const char* from : {"glb.psum1", "offchip"})
    EXPECT_TRUE(t.Route(Id(t, from), Id(t, Pe(1, 0)), DataType::kPsum).empty()) << from;
}

TEST(Systolic, DefaultsAreGemminisSixteenBySixteenAndParametersAreChecked) {
  const Topology t = Build("systolic");
  int pes = 0;
  for (const Node& node : t.nodes()) pes += node.kind == NodeKind::kPe ? 1 : 0;
  EXPECT_EQ(pes, 256);
  std::string message;
  try {
    Build("systolic", {{"rows", 4}, {"colums", 4}});
  } catch (const SpecError& error) {
    message = error.what();
  }
  EXPECT_NE(message.find("'systolic': unknown parameter(s) colums"), std::string::npos) << message;
  EXPECT_NE(message.find("columns"), std::string::npos) << message;
}

}  // namespace
}  // namespace cyclops::noc::topology
