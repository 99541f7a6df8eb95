// Timeloop's mapspace constraints (tutorial-05's three files, and the older forms Timeloop's mapper still
// reads) become the same constraints as `architecture_constraints`. The independent reference is
// Timeloop's own front end: it folds the `1mapping` file into `architecture_constraints` in
// ref-output/baked/parsed-processed-input.yaml, so loading the hand-written files must give exactly the
// constraints loading that dump gives.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "sim/core/error.h"
#include "sim/spec/loader.h"
#include "tests/support/paths.h"

namespace cyclops::spec {
namespace {

const std::string kCase = "/timeloop/tutorial-05-mapper-conv1d+oc-3level/";

std::string Path(const std::string& relative) {
  return test::ReferenceDir() + kCase + relative;
}

Spec TutorialWith(const std::string& constraints_file) {
  return LoadSpecFiles({Path("arch/3level.arch.yaml"), Path("prob/conv1d+oc.prob.yaml"),
                        Path("constraints/" + constraints_file)});
}

// A level's constraints in a comparable form: factors by dimension name, permutation and keep/bypass
// as names.
struct Summary {
  std::map<std::string, int64_t> temporal;
  std::string permutation;
  std::set<std::string> keep, bypass;
  bool operator==(const Summary&) const = default;
};

std::map<std::string, Summary> Summarise(const Spec& spec) {
  std::map<std::string, Summary> out;
  const Workload& w = *spec.workload;
  for (const LevelConstraints& c : spec.architecture->constraints) {
    Summary& s = out[spec.architecture->storage[c.level].name];
    for (const auto& [d, f] : c.temporal_factors) s.temporal[w.dimensions[d]] = f;
    for (int d : c.temporal_permutation) s.permutation += w.dimensions[d];
    for (int d : c.keep) s.keep.insert(w.data_spaces[d].name);
    for (int d : c.bypass) s.bypass.insert(w.data_spaces[d].name);
  }
  return out;
}

TEST(MapspaceLoaderTest, OneMappingFileEqualsTimeloopsDumpedConstraints) {
  const Spec written = TutorialWith("conv1d+oc-3level-1mapping.constraints.yaml");
  const Spec dumped = LoadSpecFiles({Path("ref-output/baked/parsed-processed-input.yaml")});
  const auto mine = Summarise(written);
  EXPECT_EQ(mine, Summarise(dumped));
  // And by hand, from the constraints file: GlobalBuffer R=1 P=16 K=16, permutation PRK, keeps all three.
  ASSERT_TRUE(mine.count("GlobalBuffer"));
  const Summary& glb = mine.at("GlobalBuffer");
  EXPECT_EQ(glb.temporal, (std::map<std::string, int64_t>{{"R", 1}, {"P", 16}, {"K", 16}}));
  EXPECT_EQ(glb.permutation, "PRK");
  EXPECT_EQ(glb.keep, (std::set<std::string>{"Weights", "Inputs", "Outputs"}));
  EXPECT_EQ(mine.at("RegisterFile").temporal, (std::map<std::string, int64_t>{{"R", 3}, {"P", 1}, {"K", 2}}));
}

TEST(MapspaceLoaderTest, ThreeConstraintSetsAreThreeDifferentMapspaces) {
  const auto null = Summarise(TutorialWith("null.constraints.yaml"));
  const auto free_bypass = Summarise(TutorialWith("conv1d+oc-3level-freebypass.constraints.yaml"));
  const auto one = Summarise(TutorialWith("conv1d+oc-3level-1mapping.constraints.yaml"));
  EXPECT_TRUE(null.empty());
  ASSERT_EQ(free_bypass.size(), 3u);  // factors and permutations at all three levels, bypass left free
  for (const auto& [level, summary] : free_bypass) {
    EXPECT_TRUE(summary.keep.empty() && summary.bypass.empty()) << level;
    EXPECT_EQ(summary.temporal, one.at(level).temporal) << level;
  }
  EXPECT_NE(free_bypass, one);
}

// The 1mapping targets, written in the other forms Timeloop's mapper accepts.
const char* const kTargets = R"(
  - {target: MainMemory, type: temporal, factors: R=1 P=1 K=1, permutation: PRK}
  - {target: GlobalBuffer, type: temporal, factors: R=1 P=16 K=16, permutation: PRK}
  - {target: RegisterFile, type: temporal, factors: R=3 P=1 K=2, permutation: RPK}
  - {target: GlobalBuffer, type: dataspace, keep: [Weights, Inputs, Outputs]}
  - {target: RegisterFile, type: dataspace, keep: [Weights, Inputs, Outputs]}
)";

Spec TutorialWithText(const std::string& text) {
  return LoadSpecDocuments({{"arch.yaml", test::ReadFile(Path("arch/3level.arch.yaml"))},
                            {"prob.yaml", test::ReadFile(Path("prob/conv1d+oc.prob.yaml"))},
                            {"constraints.yaml", text}});
}

TEST(MapspaceLoaderTest, OlderFormsGiveTheSameConstraints) {
  const auto expected = Summarise(TutorialWith("conv1d+oc-3level-1mapping.constraints.yaml"));
  const std::string list = std::string("mapspace_constraints:") + kTargets;
  EXPECT_EQ(Summarise(TutorialWithText(list)), expected) << "a bare list";
  const std::string v03 = std::string("mapspace_constraints:\n  version: 0.3\n  constraints:") + kTargets;
  EXPECT_EQ(Summarise(TutorialWithText(v03)), expected) << "{version, constraints}";
  const std::string mapspace =
      std::string("mapspace:\n  version: 0.4\n  template: uber\n  targets:") + kTargets;
  EXPECT_EQ(Summarise(TutorialWithText(mapspace)), expected) << "mapspace: {template, targets}";
}

std::string ErrorOf(const std::vector<SpecDocument>& documents) {
  try {
    LoadSpecDocuments(documents);
  } catch (const SpecError& error) {
    return error.what();
  }
  return "no error";
}

TEST(MapspaceLoaderTest, BadMapspacesAreLocatedErrors) {
  const std::string arch = test::ReadFile(Path("arch/3level.arch.yaml"));
  const std::string prob = test::ReadFile(Path("prob/conv1d+oc.prob.yaml"));
  const std::string both = ErrorOf({{"arch.yaml", arch},
                                    {"prob.yaml", prob},
                                    {"a.yaml", "mapspace:\n  template: uber\n  targets: []\n"},
                                    {"b.yaml", std::string("mapspace_constraints:") + kTargets}});
  EXPECT_NE(both.find("both 'mapspace' (a.yaml:2:3) and 'mapspace_constraints'"), std::string::npos) << both;
  const std::string templ =
      ErrorOf({{"arch.yaml", arch}, {"prob.yaml", prob}, {"m.yaml", "mapspace:\n  template: fancy\n"}});
  EXPECT_NE(templ.find("m.yaml:2:13"), std::string::npos) << templ;
  EXPECT_NE(templ.find("unknown mapspace template 'fancy'"), std::string::npos) << templ;
  // A dimension constrained in the architecture and again in the mapspace constraints.
  std::string constrained = arch;
  constrained.replace(constrained.find("    name: GlobalBuffer\n"), 23,
                      "    name: GlobalBuffer\n    constraints: {temporal: {factors: P=16}}\n");
  const std::string twice = ErrorOf({{"arch.yaml", constrained},
                                     {"prob.yaml", prob},
                                     {"c.yaml", std::string("mapspace_constraints:") + kTargets}});
  EXPECT_NE(twice.find("the temporal factor P of GlobalBuffer is constrained twice"), std::string::npos)
      << twice;
}

TEST(MapspaceLoaderTest, ArchitectureAndMapspaceConstraintsComplementEachOther) {
  // The architecture fixes GlobalBuffer's permutation; the mapspace file fixes its factors: both hold.
  std::string arch = test::ReadFile(Path("arch/3level.arch.yaml"));
  arch.replace(arch.find("    name: GlobalBuffer\n"), 23,
               "    name: GlobalBuffer\n    constraints: {temporal: {permutation: KPR}}\n");
  const Spec spec = LoadSpecDocuments({{"arch.yaml", arch},
                                       {"prob.yaml", test::ReadFile(Path("prob/conv1d+oc.prob.yaml"))},
                                       {"c.yaml",
                                        "mapspace_constraints:\n  - {target: GlobalBuffer, type: "
                                        "temporal, factors: R=1 P=16 K=16}\n"}});
  const Summary glb = Summarise(spec).at("GlobalBuffer");
  EXPECT_EQ(glb.permutation, "KPR");
  EXPECT_EQ(glb.temporal, (std::map<std::string, int64_t>{{"R", 1}, {"P", 16}, {"K", 16}}));
}

TEST(MapspaceLoaderTest, RubyTemplateTurnsOnImperfectFactors) {
  // Timeloop's `template: ruby` is its imperfect-factor mapspace; `uber` (the default) is not.
  EXPECT_TRUE(TutorialWithText("mapspace:\n  template: ruby\n").architecture->imperfect_mapspace);
  EXPECT_FALSE(TutorialWithText("mapspace:\n  template: uber\n").architecture->imperfect_mapspace);
}

}  // namespace
}  // namespace cyclops::spec
