// Top-level `architecture_constraints:` (Timeloop's dumped form) against the same constraints written on
// the components (tutorial-06's hand-written arch/eyeriss_like.yaml), and its strict errors.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "sim/core/error.h"
#include "sim/spec/loader.h"
#include "tests/support/paths.h"

namespace cyclops::spec {
namespace {

const std::string kCase = "/timeloop/tutorial-06-mapper-convlayer-eyeriss/";

Spec HandWritten() {
  const std::string base = test::ReferenceDir() + kCase;
  return LoadSpecFiles({base + "arch/eyeriss_like.yaml", base + "prob/VGG02_layer5.yaml"});
}

std::string ProcessedPath() {
  return test::ReferenceDir() + kCase + "ref-output/parsed-processed-input.yaml";
}

// The constraints of a level by name (an empty one when the level has none).
LevelConstraints Of(const Spec& spec, const std::string& level) {
  const int index = spec.architecture->StorageIndex(level);
  EXPECT_GE(index, 0) << level;
  for (const LevelConstraints& constraints : spec.architecture->constraints)
    if (constraints.level == index) return constraints;
  LevelConstraints none;
  none.level = index;
  return none;
}

std::map<int, int64_t> Factors(const std::vector<std::pair<int, int64_t>>& list) {
  return {list.begin(), list.end()};
}

// Per data space: 1 kept, 0 bypassed, -1 free — a keep list alone means "exactly these", as the mapper
// (and Timeloop's front end) reads it.
std::vector<int> KeepRule(const LevelConstraints& c, int spaces) {
  std::vector<int> rule(spaces, c.keep.empty() || !c.bypass.empty() ? -1 : 0);
  for (int s : c.keep) rule[s] = 1;
  for (int s : c.bypass) rule[s] = 0;
  return rule;
}

TEST(ArchitectureConstraintsTest, ProcessedInputMatchesComponentConstraints) {
  const Spec hand = HandWritten();
  const Spec processed = LoadSpecFiles({ProcessedPath()});
  ASSERT_TRUE(processed.architecture && processed.workload);
  for (const std::string& note : processed.notes)
    EXPECT_EQ(note.find("architecture_constraints"), std::string::npos) << note;
  const int spaces = static_cast<int>(hand.workload->data_spaces.size());
  const int n = hand.workload->DimensionIndex("N");
  for (const StorageLevelSpec& level : hand.architecture->storage) {
    SCOPED_TRACE(level.name);
    const LevelConstraints h = Of(hand, level.name);
    const LevelConstraints p = Of(processed, level.name);
    EXPECT_EQ(Factors(p.spatial_factors), Factors(h.spatial_factors));
    EXPECT_EQ(p.spatial_permutation, h.spatial_permutation);
    EXPECT_EQ(p.spatial_split, h.spatial_split);
    if (level.is_dummy) {
      // The front end pins a fan-out level's temporal factors to 1 and bypasses everything there,
      // which the mapspace does for dummy levels anyway.
      for (auto [d, factor] : p.temporal_factors) EXPECT_EQ(factor, 1);
      EXPECT_EQ(p.temporal_factors.size(), hand.workload->dimensions.size());
      EXPECT_EQ(KeepRule(p, spaces), std::vector<int>(spaces, 0));
      EXPECT_TRUE(h.temporal_factors.empty() && h.keep.empty() && h.bypass.empty());
      continue;
    }
    EXPECT_EQ(Factors(p.temporal_factors), Factors(h.temporal_factors));
    EXPECT_EQ(KeepRule(p, spaces), KeepRule(h, spaces));
    if (h.temporal_permutation.empty()) {
      // DRAM and shared_glb: the front end adds "N" (bound 1) as the innermost loop.
      EXPECT_EQ(p.temporal_permutation, std::vector<int>{n});
    } else {
      EXPECT_EQ(p.temporal_permutation, h.temporal_permutation);
    }
  }
  EXPECT_EQ(Of(processed, "weights_spad").temporal_factors.size(), 5u);
  EXPECT_EQ(Of(processed, "inter_PE_column_spatial").spatial_split, 7);
}

std::string ErrorOf(const std::string& from, const std::string& to) {
  std::string text = test::ReadFile(ProcessedPath());
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  text.replace(at, from.size(), to);
  try {
    LoadSpecDocuments({{"processed.yaml", text}});
  } catch (const SpecError& error) {
    return error.where().ToString() + " " + error.what();
  }
  return "no error";
}

TEST(ArchitectureConstraintsTest, MalformedConstraintsAreSpecErrors) {
  // Lines as in the reference file: the weights_spad temporal permutation is on line 257.
  const std::string dimension = ErrorOf("permutation: NMPQSCR", "permutation: NMPQSCX");
  EXPECT_NE(dimension.find("processed.yaml:257:"), std::string::npos) << dimension;
  EXPECT_NE(dimension.find("unknown dimension 'X'"), std::string::npos) << dimension;
  const std::string target = ErrorOf("target: psum_spad", "target: psum_pad");
  EXPECT_NE(target.find("unknown target 'psum_pad'"), std::string::npos) << target;
  const std::string space =
      ErrorOf("          - Weights\n        type: bypass", "          - Weight\n        type: bypass");
  EXPECT_NE(space.find("unknown data space 'Weight'"), std::string::npos) << space;
  const std::string key = ErrorOf("        target: DRAM", "        target: DRAM\n        min_parallelism: 2");
  EXPECT_NE(key.find("min_parallelism"), std::string::npos) << key;
}

TEST(ArchitectureConstraintsTest, ConstrainingTheSameThingTwiceIsAnError) {
  // Timeloop's "re-specification": a second permutation for one level, wherever it is written.
  const std::string twice =
      ErrorOf("      - type: temporal\n        permutation: N\n        target: shared_glb",
              "      - type: temporal\n        permutation: N\n        target: shared_glb\n"
              "      - type: temporal\n        permutation: N\n        target: shared_glb");
  EXPECT_NE(twice.find("the temporal permutation of shared_glb is constrained twice"), std::string::npos)
      << twice;
}

}  // namespace
}  // namespace cyclops::spec
