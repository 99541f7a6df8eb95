// Several MACs under one innermost buffer: which MACs share a value (LayerPlan::MacGroups), which of them
// counts the shared access, and which copy of a tile read by several PE clusters each MAC reads. Expected
// values worked out by hand from the two mappings.
#include <gtest/gtest.h>

#include "sim/core/error.h"
#include "sim/mapping/layer_plan.h"
#include "sim/mapping/layer_program.h"
#include "sim/spec/loader.h"
#include "tests/support/paths.h"

namespace cyclops::mapping {
namespace {

std::vector<std::vector<int64_t>> Children(const std::vector<ChildGroup>& groups) {
  std::vector<std::vector<int64_t>> children;
  for (const ChildGroup& group : groups) children.push_back(group.children);
  return children;
}

// tests/system/simulation/data/vector_mac.yaml: Z[M4, N4] += A[M4, K4] * B[K4, N4], N2 x K2 over four MACs
// under one buffer (permutation NKM: N innermost), so MAC i = n + 2k.
TEST(MacGroups, VectorMacSharesAInPairsAndReducesZInPairs) {
  const spec::Spec spec =
      spec::LoadSpecFiles({test::SourceDir() + "/tests/system/simulation/data/vector_mac.yaml"});
  const LayerPlan plan(*spec.architecture, *spec.workload, *spec.mapping);
  const int a = spec.workload->DataSpaceIndex("A"), b = spec.workload->DataSpaceIndex("B"),
            z = spec.workload->DataSpaceIndex("Z");
  // A[m, k]: MACs with the same k read the same value: {n = 0, 1} for k = 0 and for k = 1.
  EXPECT_EQ(Children(plan.MacGroups(a)), (std::vector<std::vector<int64_t>>{{0, 1}, {2, 3}}));
  // B[k, n]: every MAC its own value.
  EXPECT_EQ(Children(plan.MacGroups(b)), (std::vector<std::vector<int64_t>>{{0}, {1}, {2}, {3}}));
  // Z[m, n]: MACs with the same n add into one value: {k = 0, 1} for n = 0 and for n = 1.
  EXPECT_EQ(Children(plan.MacGroups(z)), (std::vector<std::vector<int64_t>>{{0, 2}, {1, 3}}));

  const HardwareLayout layout(*spec.architecture);
  EXPECT_EQ(layout.clusters(), 1);  // the buffer is the cluster level: all four MACs in one cluster
  const LayerProgram layer = CompileLayer(plan, layout, 32);
  ASSERT_EQ(layer.pes.size(), 4u);
  const std::vector<uint8_t> leads_a{1, 0, 1, 0}, leads_z{1, 1, 0, 0};
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(layer.pes[i].counts_accesses[a], leads_a[i]) << i;
    EXPECT_EQ(layer.pes[i].counts_accesses[b], 1) << i;
    EXPECT_EQ(layer.pes[i].counts_accesses[z], leads_z[i]) << i;
    EXPECT_EQ(layer.pes[i].operand_copy, (std::vector<int64_t>{0, 0, 0})) << i;
  }
  for (const TransferProgram& transfer : layer.transfers)
    EXPECT_EQ(transfer.consumer_clusters, (std::vector<std::vector<int64_t>>{{0}}));
}

class SimbaLike : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string dir = test::ReferenceDir() + "/timeloop/design-simba_like/default_problem/";
    spec_ = spec::LoadSpecFiles({dir + "parsed-processed-input.yaml", dir + "timeloop-mapper.map.yaml"});
    inputs_ = spec_.workload->DataSpaceIndex("Inputs");
    outputs_ = spec_.workload->DataSpaceIndex("Outputs");
  }
  spec::Spec spec_;
  int inputs_ = -1, outputs_ = -1;
};

// Simba-like's mapping: C3 M4 over 12 PEs, then M4 over each PE's four accumulators (one MAC each). The
// MACs read Inputs from the PE's input buffer (M does not move Inputs): 12 groups of 4, one read each. A PE
// cluster is the four MACs under one accumulator (64 clusters, one MAC of each used), so each input
// buffer's tile is read by four clusters, each from its own copy.
TEST_F(SimbaLike, FourClustersReadEachInputBufferFromTheirOwnCopies) {
  const LayerPlan plan(*spec_.architecture, *spec_.workload, *spec_.mapping);
  const std::vector<ChildGroup> groups = plan.MacGroups(inputs_);
  ASSERT_EQ(groups.size(), 12u);
  for (const ChildGroup& group : groups) EXPECT_EQ(group.children.size(), 4u);

  const HardwareLayout layout(*spec_.architecture);
  // The cluster level is the dummy level of the fan-out into the MACs, 64 instances like the accumulators.
  EXPECT_EQ(layout.cluster_level(), spec_.architecture->StorageIndex("inter_reg_mac_spatial"));
  EXPECT_EQ(layout.clusters(), 64);
  EXPECT_TRUE(layout.InCluster(spec_.architecture->StorageIndex("PEAccuBuffer")));
  const LayerProgram layer = CompileLayer(plan, layout, 32);
  const int input_buffer = spec_.architecture->StorageIndex("PEInputBuffer");
  for (const TransferProgram& transfer : layer.transfers) {
    if (transfer.level != input_buffer) continue;
    int used = 0;
    for (const std::vector<int64_t>& clusters : transfer.consumer_clusters) {
      if (clusters.empty()) continue;
      ++used;
      EXPECT_EQ(clusters.size(), 4u);
      EXPECT_TRUE(std::is_sorted(clusters.begin(), clusters.end()));
    }
    EXPECT_EQ(used, 12);
  }
  for (const ChildGroup& group : groups) {
    std::vector<int64_t> copies;
    for (int64_t mac : group.children)
      copies.push_back(layer.pes[static_cast<size_t>(mac)].operand_copy[inputs_]);
    std::sort(copies.begin(), copies.end());
    EXPECT_EQ(copies, (std::vector<int64_t>{0, 1, 2, 3}));
    EXPECT_EQ(layer.pes[static_cast<size_t>(group.children.front())].counts_accesses[inputs_], 1);
    for (size_t k = 1; k < group.children.size(); ++k)
      EXPECT_EQ(layer.pes[static_cast<size_t>(group.children[k])].counts_accesses[inputs_], 0);
  }
}

// Outputs bypassing the accumulators would be updated in the global buffer by the 48 MACs in use, each in
// a PE cluster of its own (one MAC of each cluster's four is used);
// the clusters step independently, so the simulator says it cannot, where and why.
TEST_F(SimbaLike, PsumsUpdatedFromSeveralClustersAreRefused) {
  spec_.mapping->levels[spec_.architecture->StorageIndex("PEAccuBuffer")].keep[outputs_] = false;
  const LayerPlan plan(*spec_.architecture, *spec_.workload, *spec_.mapping);
  const HardwareLayout layout(*spec_.architecture);
  try {
    CheckPeClusters(plan, layout);
    FAIL() << "expected a SpecError";
  } catch (const SpecError& e) {
    EXPECT_NE(e.problem().find("one 'GlobalBuffer' instance with 'Outputs' in one PE cluster"),
              std::string::npos)
        << e.problem();
    EXPECT_NE(e.problem().find("over 48 clusters"), std::string::npos) << e.problem();
    EXPECT_NE(e.valid().find("'PEAccuBuffer'"), std::string::npos) << e.valid();
    EXPECT_FALSE(e.where().file.empty());
  }
  EXPECT_THROW(CompileLayer(plan, layout, 32), SpecError);
}

}  // namespace
}  // namespace cyclops::mapping
