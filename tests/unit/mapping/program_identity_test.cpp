// ProgramIdentity: what `cyclops map --sim-rerank` uses to simulate each distinct program once.
#include "sim/mapping/program_identity.h"

#include <gtest/gtest.h>

#include <utility>

#include "sim/spec/loader.h"
#include "tests/support/paths.h"

namespace cyclops::mapping {
namespace {

// configs/workloads/synthetic/matmul.yaml on small_array.yaml: RegisterFile K8 (permutation KMN, M and N
// of factor 1), GlobalBuffer M4 N4 K4 (KNM).
class ProgramIdentityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string dir = test::SourceDir() + "/configs/workloads/synthetic/";
    spec_ = spec::LoadSpecFiles({dir + "small_array.yaml", dir + "matmul.yaml"});
  }
  std::string Identity(const spec::Mapping& mapping) const {
    const LayerPlan plan(*spec_.architecture, *spec_.workload, mapping);
    return ProgramIdentity(CompileLayer(plan, HardwareLayout(*spec_.architecture), 32));
  }
  spec::Mapping Swapped(const std::string& level, size_t a, size_t b) const {
    spec::Mapping mapping = *spec_.mapping;
    std::vector<int>& permutation =
        mapping.levels[spec_.architecture->StorageIndex(level)].temporal_permutation;
    std::swap(permutation[a], permutation[b]);
    return mapping;
  }
  spec::Spec spec_;
};

TEST_F(ProgramIdentityTest, PermutingLoopsOfFactorOneGivesTheSameProgram) {
  // RegisterFile KMN -> KNM: only M=1 and N=1 trade places, loops that never move a tile.
  EXPECT_EQ(Identity(*spec_.mapping), Identity(Swapped("RegisterFile", 1, 2)));
}

TEST_F(ProgramIdentityTest, PermutingLoopsThatMoveTilesGivesAnotherProgram) {
  // GlobalBuffer KNM -> NKM: K=4 and N=4 trade places; the same counts of everything, but the tiles below
  // come in another order, so another program.
  EXPECT_NE(Identity(*spec_.mapping), Identity(Swapped("GlobalBuffer", 0, 1)));
}

}  // namespace
}  // namespace cyclops::mapping
