// The mapper on tutorial-06's parsed-processed-input.yaml, whose constraints are only in the top-level
// `architecture_constraints:` key: every sampled and every chosen mapping honours them.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "sim/mapping/mapper.h"
#include "sim/mapping/mapspace.h"
#include "sim/spec/loader.h"
#include "tests/support/paths.h"

namespace cyclops::mapping {
namespace {

spec::Spec Processed() {
  const std::string dir = test::ReferenceDir() + "/timeloop/tutorial-06-mapper-convlayer-eyeriss/ref-output/";
  return spec::LoadSpecFiles({dir + "parsed-processed-input.yaml", dir + "timeloop-mapper.ERT.yaml"});
}

// Checks a few constraints straight from the file, independently of MapSpace.
void ExpectFileConstraints(const spec::Spec& spec, const spec::Mapping& mapping) {
  const spec::Architecture& arch = *spec.architecture;
  const spec::Workload& workload = *spec.workload;
  auto dim = [&](const char* name) { return workload.DimensionIndex(name); };
  auto space = [&](const char* name) { return workload.DataSpaceIndex(name); };
  const spec::LevelMapping& column = mapping.levels[arch.StorageIndex("inter_PE_column_spatial")];
  for (const char* d : {"N", "C", "P", "R", "S"}) EXPECT_EQ(column.spatial_factors[dim(d)], 1) << d;
  const spec::LevelMapping& pe = mapping.levels[arch.StorageIndex("inter_PE_spatial")];
  for (const char* d : {"N", "P", "Q", "R"}) EXPECT_EQ(pe.spatial_factors[dim(d)], 1) << d;
  const spec::LevelMapping& weights = mapping.levels[arch.StorageIndex("weights_spad")];
  EXPECT_TRUE(weights.keep[space("Weights")]);
  EXPECT_FALSE(weights.keep[space("Inputs")]);
  EXPECT_FALSE(weights.keep[space("Outputs")]);
  for (const char* d : {"N", "M", "P", "Q", "S"}) EXPECT_EQ(weights.temporal_factors[dim(d)], 1) << d;
  const spec::LevelMapping& glb = mapping.levels[arch.StorageIndex("shared_glb")];
  EXPECT_FALSE(glb.keep[space("Weights")]);
  EXPECT_TRUE(glb.keep[space("Inputs")]);
}

TEST(ProcessedConstraintsTest, EverySampleSatisfiesTheConstraints) {
  const spec::Spec spec = Processed();
  ASSERT_FALSE(spec.architecture->constraints.empty());
  const MapSpace space(*spec.architecture, *spec.workload);
  std::mt19937_64 rng(7);
  int sampled = 0;
  for (int i = 0; i < 200; ++i) {
    std::optional<spec::Mapping> mapping = space.Sample(rng);
    if (!mapping) continue;
    ++sampled;
    EXPECT_EQ(space.Violation(*mapping), "");
    ExpectFileConstraints(spec, *mapping);
    if (std::optional<spec::Mapping> neighbour = space.Mutate(*mapping, rng)) {
      EXPECT_EQ(space.Violation(*neighbour), "");
      ExpectFileConstraints(spec, *neighbour);
    }
  }
  EXPECT_GT(sampled, 100);
}

TEST(ProcessedConstraintsTest, ChosenMappingsSatisfyTheConstraints) {
  const spec::Spec spec = Processed();
  MapperOptions options;
  options.evaluations = 2000;
  options.top = 3;
  const MapperResult result = SearchMappings(*spec.architecture, *spec.workload, &*spec.energy, options);
  ASSERT_FALSE(result.best.empty());
  const MapSpace space(*spec.architecture, *spec.workload);
  for (const MappingCandidate& candidate : result.best) {
    EXPECT_EQ(space.Violation(candidate.mapping), "");
    ExpectFileConstraints(spec, candidate.mapping);
  }
}

}  // namespace
}  // namespace cyclops::mapping
