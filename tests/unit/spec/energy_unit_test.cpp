// An ERT's optional `unit` (Cyclops' key): pJ, Accelergy's and the default, or relative (one MAC = 1), which
// the reports then do not turn into mW; anything else is a located error.
#include <gtest/gtest.h>

#include <string>

#include "sim/core/error.h"
#include "sim/spec/loader.h"

namespace cyclops::spec {
namespace {

std::string Ert(const std::string& unit_line) {
  return "ERT:\n  version: 0.4\n" + unit_line +
         "  tables:\n  - name: system.mac[1..4]\n    actions:\n    - {name: compute, arguments: {}, energy: "
         "1}\n";
}

TEST(EnergyUnit, PicojoulesUnlessTheTableSaysRelative) {
  EXPECT_FALSE(LoadSpecDocuments({{"e.yaml", Ert("")}}).energy->relative);
  EXPECT_FALSE(LoadSpecDocuments({{"e.yaml", Ert("  unit: pJ\n")}}).energy->relative);
  const Spec relative = LoadSpecDocuments({{"e.yaml", Ert("  unit: relative\n")}});
  EXPECT_TRUE(relative.energy->relative);
  EXPECT_EQ(*relative.energy->Lookup("mac", "compute"), 1.0);
}

TEST(EnergyUnit, AnUnknownUnitIsALocatedError) {
  try {
    LoadSpecDocuments({{"e.yaml", Ert("  unit: mJ\n")}});
    ADD_FAILURE() << "no error";
  } catch (const SpecError& error) {
    const std::string what = error.what();
    EXPECT_EQ(what.rfind("e.yaml:3:9: error", 0), 0u) << what;
    EXPECT_NE(what.find("unknown energy unit 'mJ'"), std::string::npos) << what;
    EXPECT_NE(what.find("relative"), std::string::npos) << what;
  }
}

}  // namespace
}  // namespace cyclops::spec
