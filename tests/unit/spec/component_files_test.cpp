// Accelergy component files merged as Timeloop and Accelergy merge them (tutorial-06/-07 keep one
// compound class per file in arch/components/), and attribute names one typo away from a known one.
// Expected classes and subcomponent classes are read off the component files themselves.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "sim/core/error.h"
#include "sim/spec/attribute_suggestions.h"
#include "sim/spec/loader.h"
#include "tests/support/paths.h"

namespace cyclops::spec {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> ComponentFiles(const std::string& tutorial) {
  std::vector<std::string> files;
  for (const auto& entry :
       fs::directory_iterator(test::ReferenceDir() + "/timeloop/" + tutorial + "/arch/components"))
    files.push_back(entry.path().string());
  std::sort(files.begin(), files.end());
  return files;
}

const ComponentClassSpec* FindClass(const Spec& spec, const std::string& name) {
  for (const ComponentClassSpec& c : spec.component_classes)
    if (c.name == name) return &c;
  return nullptr;
}

TEST(ComponentFilesTest, Tutorial06FolderLoadsWithTheArchitecture) {
  const std::string base = test::ReferenceDir() + "/timeloop/tutorial-06-mapper-convlayer-eyeriss/";
  std::vector<std::string> files = {base + "arch/eyeriss_like.yaml"};
  for (const std::string& file : ComponentFiles("tutorial-06-mapper-convlayer-eyeriss"))
    files.push_back(file);
  files.push_back(base + "prob/VGG02_layer5.yaml");
  files.push_back(base + "mapper/mapper.yaml");
  const Spec spec = LoadSpecFiles(files);
  // intmac.yaml, regfile.yaml, smartbuffer_RF.yaml, smartbuffer_SRAM.yaml: one class each.
  ASSERT_EQ(spec.component_classes.size(), 4u);
  const ComponentClassSpec* sram = FindClass(spec, "smartbuffer_SRAM");
  ASSERT_NE(sram, nullptr);
  ASSERT_EQ(sram->subcomponents.size(), 2u);
  EXPECT_EQ(sram->subcomponents[0], (std::pair<std::string, std::string>{"storage", "SRAM"}));
  EXPECT_EQ(sram->subcomponents[1].second, "intadder");
  EXPECT_EQ(FindClass(spec, "smartbuffer_RF")->subcomponents[0].second, "regfile");
  EXPECT_TRUE(std::count(sram->attributes.begin(), sram->attributes.end(), "n_rdwr_ports"));
  EXPECT_TRUE(spec.warnings.empty()) << spec.warnings.front().ToString();
  ASSERT_TRUE(spec.mapper);
  EXPECT_EQ(spec.mapper->metrics, (std::vector<std::string>{"delay", "energy"}));
  EXPECT_EQ(spec.mapper->victory_condition, 500);
}

TEST(ComponentFilesTest, Tutorial07FolderHoldsIntAndFloatMacs) {
  const std::string base = test::ReferenceDir() + "/timeloop/tutorial-07-timeloop+accelergy-eyeriss/";
  std::vector<std::string> files = {base + "arch/eyeriss_like-float32.yaml"};
  for (const std::string& file : ComponentFiles("tutorial-07-timeloop+accelergy-eyeriss"))
    files.push_back(file);
  files.push_back(base + "prob/prob.yaml");
  const Spec spec = LoadSpecFiles(files);
  EXPECT_EQ(spec.component_classes.size(), 5u);  // intmac.yaml holds intmac and fpmac
  ASSERT_NE(FindClass(spec, "fpmac"), nullptr);
  EXPECT_EQ(FindClass(spec, "fpmac")->subcomponents[1].second, "fpmultiplier");
  EXPECT_EQ(spec.architecture->arithmetic.component_class, "fpmac");
}

TEST(ComponentFilesTest, RedefinedClassIsAWarningAndTheLaterWins) {
  const std::string one =
      "compound_components:\n  version: 0.4\n  classes:\n  - name: buf\n"
      "    attributes: {depth: 1}\n    subcomponents: [{name: s, class: SRAM}]\n    actions: []\n";
  const std::string two =
      "compound_components:\n  version: 0.4\n  classes:\n  - name: buf\n"
      "    attributes: {depth: 1}\n    subcomponents: [{name: s, class: regfile}]\n    actions: []\n";
  const Spec spec = LoadSpecDocuments({{"a.yaml", one}, {"b.yaml", two}});
  ASSERT_EQ(spec.component_classes.size(), 1u);
  EXPECT_EQ(spec.component_classes[0].subcomponents[0].second, "regfile");
  ASSERT_EQ(spec.warnings.size(), 1u);
  EXPECT_NE(spec.warnings[0].ToString().find("b.yaml:4:5: warning"), std::string::npos)
      << spec.warnings[0].ToString();
  EXPECT_NE(spec.warnings[0].problem.find("first at a.yaml:4:5"), std::string::npos);
}

TEST(ComponentFilesTest, ClassWithoutActionsIsAnError) {
  const std::string text =
      "compound_components:\n  version: 0.4\n  classes:\n  - name: buf\n"
      "    attributes: {}\n    subcomponents: []\n";
  try {
    LoadSpecDocuments({{"c.yaml", text}});
    FAIL() << "accepted a class without actions";
  } catch (const SpecError& error) {
    EXPECT_NE(std::string(error.what()).find("has no 'actions'"), std::string::npos) << error.what();
  }
}

TEST(AttributeSuggestionsTest, EditDistanceCountsTranspositionsAsOne) {
  EXPECT_EQ(EditDistance("read_bandwdith", "read_bandwidth"), 1);  // "di" swapped
  EXPECT_EQ(EditDistance("depth", "width"), 3);
  EXPECT_EQ(EditDistance("", "abc"), 3);
  EXPECT_EQ(ClosestKnownName("read_bandwdith", KnownAttributeNames()), "read_bandwidth");
  EXPECT_EQ(ClosestKnownName("read_bandwidth", KnownAttributeNames()), "");     // known: nothing to suggest
  EXPECT_EQ(ClosestKnownName("update_fifo_depth", KnownAttributeNames()), "");  // far from every name
}

TEST(AttributeSuggestionsTest, MisspeltAttributeIsALocatedWarning) {
  // The main example's ifmap_spad with its read_bandwidth misspelt.
  std::string arch =
      test::ReadFile(std::string(CYCLOPS_SOURCE_DIR) + "/configs/examples/eyeriss_like/arch.yaml");
  const size_t at = arch.find("read_bandwidth");
  ASSERT_NE(at, std::string::npos);
  arch.replace(at, 14, "read_bandwdith");
  // Line and column of the misspelt key, counted in the text itself.
  const int line = 1 + static_cast<int>(std::count(arch.begin(), arch.begin() + static_cast<long>(at), '\n'));
  const int column = static_cast<int>(at - arch.rfind('\n', at));
  const Spec spec = LoadSpecDocuments({{"arch.yaml", arch}});
  ASSERT_EQ(spec.warnings.size(), 1u);
  const std::string text = spec.warnings[0].ToString();
  EXPECT_NE(text.find("arch.yaml:" + std::to_string(line) + ":" + std::to_string(column) + ": warning"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("did you mean 'read_bandwidth'?"), std::string::npos) << text;
}

TEST(AttributeSuggestionsTest, CompoundClassAttributesAreKnown) {
  // `n_rdwr_ports` is declared by the class; `n_rdwr_prots` is a typo of it.
  const std::string classes =
      "compound_components:\n  version: 0.4\n  classes:\n  - name: buf\n"
      "    attributes: {n_rdwr_ports: 1, my_knob: 2}\n    subcomponents: []\n    actions: []\n";
  const std::string arch =
      "architecture:\n  version: 0.4\n  nodes:\n  - !Component\n    name: B\n    class: buf\n"
      "    attributes: {depth: 4, width: 8, datawidth: 8, my_knob: 3, n_rdwr_prots: 2}\n"
      "  - !Component\n    name: mac\n    class: intmac\n";
  const Spec spec = LoadSpecDocuments({{"c.yaml", classes}, {"a.yaml", arch}});
  ASSERT_EQ(spec.warnings.size(), 1u);
  EXPECT_NE(spec.warnings[0].suggestion.find("'n_rdwr_ports'"), std::string::npos);
}

}  // namespace
}  // namespace cyclops::spec
