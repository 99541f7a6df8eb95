// The energy estimate without an ERT, against hand calculations from the published numbers
// (configs/energy/README.md), and the README naming a source for every number of the table.
#include "sim/energy/primitive_energy.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "sim/core/error.h"
#include "sim/spec/loader.h"
#include "tests/support/paths.h"

namespace cyclops::energy {
namespace {

spec::StorageLevelSpec Level(const std::string& name, const std::string& component_class,
                             std::optional<int64_t> depth, int64_t width_bits, int64_t word_bits) {
  spec::StorageLevelSpec level;
  level.name = name;
  level.component_class = component_class;
  level.depth = depth;
  level.width_bits = width_bits;
  level.word_bits = word_bits;
  level.block_size = width_bits / word_bits;
  level.is_dram = component_class == "DRAM";
  level.attributes["technology"] = "45nm";
  return level;
}

spec::Architecture Architecture45nm() {
  spec::Architecture architecture;
  // Innermost first: a 16 × 16-bit register file, an 8 KiB SRAM of 64-bit rows, DRAM of 64-bit rows.
  architecture.storage = {Level("rf", "regfile", 16, 16, 16), Level("glb", "SRAM", 1024, 64, 16),
                          Level("DRAM", "DRAM", std::nullopt, 64, 16)};
  architecture.arithmetic.name = "mac";
  architecture.arithmetic.component_class = "intmac";
  architecture.arithmetic.word_bits = 16;
  architecture.arithmetic.attributes["technology"] = "45nm";
  return architecture;
}

// Horowitz's 45 nm figures, by hand: a 16-bit multiplier on the power law through 0.2 pJ (8 b) and
// 3.1 pJ (32 b), plus a 32-bit adder (0.1 pJ).
double HandIntMac16() {
  const double exponent = std::log(3.1 / 0.2) / std::log(4.0);
  return 0.2 * std::pow(2.0, exponent) + 0.1;
}

TEST(PrimitiveEnergyTest, PricesFromThePublishedNumbersAt45nm) {
  const EstimatedTable estimate = EstimateEnergyTable(Architecture45nm(), {});
  const spec::EnergyTable& table = estimate.table;
  EXPECT_NEAR(*table.Lookup("glb", "read"), 10.0, 1e-9);     // Horowitz: 8 KB cache, 64-bit read, 10 pJ
  EXPECT_NEAR(*table.Lookup("glb", "write"), 10.0, 1e-9);    // writes priced as reads
  EXPECT_NEAR(*table.Lookup("DRAM", "read"), 1300.0, 1e-9);  // 1.3 nJ per 64 bits
  EXPECT_NEAR(*table.Lookup("mac", "compute"), HandIntMac16(), 1e-12);
  // Eyeriss: an RF access costs one 16-bit MAC; this RF row is 16 bits.
  EXPECT_NEAR(*table.Lookup("rf", "read"), HandIntMac16(), 1e-12);
  EXPECT_EQ(*table.Lookup("rf", "leak"), 0.0);
  EXPECT_EQ(table.full_names.at("glb"), "system_top_level.glb[1..1]");
  EXPECT_NE(table.estimated_from.find("45 nm"), std::string::npos) << table.estimated_from;
  EXPECT_TRUE(estimate.notes.empty());
}

TEST(PrimitiveEnergyTest, SramEnergyGrowsAsTheSquareRootOfCapacityBelow32KiB) {
  spec::Architecture architecture = Architecture45nm();
  architecture.storage[1].depth = 2048;  // 16 KiB: halfway (in log) between 8 and 32 KiB → 10·√2 pJ
  EXPECT_NEAR(*EstimateEnergyTable(architecture, {}).table.Lookup("glb", "read"), 10.0 * std::sqrt(2.0),
              1e-9);
}

TEST(PrimitiveEnergyTest, TechnologyScalesLogicButNotDram) {
  spec::Architecture architecture = Architecture45nm();
  for (spec::StorageLevelSpec& level : architecture.storage) level.attributes["technology"] = "32nm";
  architecture.arithmetic.attributes["technology"] = "32nm";
  // Stillmaker & Baas' fits at 0.8 V: 32 nm 0.9559·0.64 − 0.7823·0.8 + 0.471; 45 nm 1.103·0.64 − 0.362·0.8 +
  // 0.2767.
  const double ratio = (0.9559 * 0.64 - 0.7823 * 0.8 + 0.471) / (1.103 * 0.64 - 0.362 * 0.8 + 0.2767);
  EXPECT_NEAR(TechnologyScale(45, 32), ratio, 1e-12);
  const spec::EnergyTable table = EstimateEnergyTable(architecture, {}).table;
  EXPECT_NEAR(*table.Lookup("glb", "read"), 10.0 * ratio, 1e-9);
  EXPECT_NEAR(*table.Lookup("mac", "compute"), HandIntMac16() * ratio, 1e-12);
  EXPECT_NEAR(*table.Lookup("DRAM", "read"), 1300.0, 1e-9);
}

TEST(PrimitiveEnergyTest, ReadsTechnologyAsWritten) {
  EXPECT_EQ(ParseTechnologyNm("40nm"), 40.0);
  EXPECT_EQ(ParseTechnologyNm("\"45 nm\""), 45.0);
  EXPECT_NEAR(*ParseTechnologyNm("0.065um"), 65.0, 1e-9);
  EXPECT_NEAR(*ParseTechnologyNm("4.5e-8"), 45.0, 1e-9);
  EXPECT_EQ(ParseTechnologyNm("45"), 45.0);
  EXPECT_FALSE(ParseTechnologyNm("must_specify"));
  EXPECT_FALSE(ParseTechnologyNm("40 parsecs"));
}

TEST(PrimitiveEnergyTest, BadTechnologyIsASpecErrorAtTheComponent) {
  spec::Architecture architecture = Architecture45nm();
  architecture.storage[1].attributes["technology"] = "must_specify";
  architecture.storage[1].where = {"arch.yaml", 12, 5, "architecture.nodes[2]"};
  try {
    EstimateEnergyTable(architecture, {});
    FAIL() << "accepted technology 'must_specify'";
  } catch (const SpecError& error) {
    EXPECT_EQ(error.where().line, 12);
    EXPECT_NE(std::string(error.what()).find("must_specify"), std::string::npos);
  }
  architecture.storage[1].attributes["technology"] = "3nm";
  EXPECT_THROW(EstimateEnergyTable(architecture, {}), SpecError);
}

TEST(PrimitiveEnergyTest, CompoundClassesLeadToTheirPrimitive) {
  // tutorial-06: smartbuffer_RF's storage is a regfile, smartbuffer_SRAM's an SRAM (arch/components).
  const std::string base = test::ReferenceDir() + "/timeloop/tutorial-06-mapper-convlayer-eyeriss/arch/";
  const spec::Spec spec =
      spec::LoadSpecFiles({base + "eyeriss_like.yaml", base + "components/smartbuffer_RF.yaml",
                           base + "components/smartbuffer_SRAM.yaml"});
  const EstimatedTable estimate = EstimateEnergyTable(*spec.architecture, spec.component_classes);
  const double scale = TechnologyScale(45, 32);  // the file's technology: "32nm"
  // psum_spad: 16-bit rows of a register file → one 16-bit MAC's energy.
  EXPECT_NEAR(*estimate.table.Lookup("psum_spad", "read"), HandIntMac16() * scale, 1e-12);
  // shared_glb: 16384 × 64 bits = 128 KiB SRAM, on the power law from 32 KiB (20 pJ) to 1 MiB (100 pJ).
  const double glb = 20.0 * std::pow(4.0, std::log(5.0) / std::log(32.0));
  EXPECT_NEAR(*estimate.table.Lookup("shared_glb", "read"), glb * scale, 1e-9);
  EXPECT_TRUE(estimate.notes.empty()) << estimate.notes.front();
}

TEST(PrimitiveEnergyTest, UnknownClassIsGuessedBySizeAndNoted) {
  spec::Architecture architecture = Architecture45nm();
  architecture.storage[0].component_class = "my_scratchpad";  // 32 bytes: a register file
  architecture.storage[1].component_class = "my_memory";      // 8 KiB: an SRAM
  const EstimatedTable estimate = EstimateEnergyTable(architecture, {});
  EXPECT_NEAR(*estimate.table.Lookup("rf", "read"), HandIntMac16(), 1e-12);
  EXPECT_NEAR(*estimate.table.Lookup("glb", "read"), 10.0, 1e-9);
  ASSERT_EQ(estimate.notes.size(), 2u);
  EXPECT_NE(estimate.notes[1].find("'my_memory' of glb not recognised; priced as SRAM"), std::string::npos)
      << estimate.notes[1];
}

TEST(PrimitiveEnergyTest, ReadmeNamesASourceForEveryNumber) {
  const std::string readme = test::ReadFile(test::SourceDir() + "/configs/energy/README.md");
  for (const PrimitiveEntry& entry : PrimitiveTable()) {
    const size_t row = readme.find("| `" + entry.key + "` |");
    ASSERT_NE(row, std::string::npos) << entry.key << " is not in configs/energy/README.md";
    std::string line = readme.substr(row, readme.find('\n', row) - row);
    std::vector<std::string> cells;  // | key | value | at | source |
    for (size_t at = 1, next; (next = line.find('|', at)) != std::string::npos; at = next + 1)
      cells.push_back(line.substr(at, next - at));
    ASSERT_EQ(cells.size(), 4u) << line;
    std::string value = cells[1];
    value.erase(std::remove(value.begin(), value.end(), ','), value.end());  // "1,300" → "1300"
    char number[32];
    std::snprintf(number, sizeof number, "%g", entry.value);
    EXPECT_NE(value.find(number), std::string::npos) << "README value of " << entry.key << ": " << cells[1];
    EXPECT_GT(cells[3].find_first_not_of(' '), 0u) << entry.key << " has no source";
    EXPECT_NE(cells[3].find_first_not_of(' '), std::string::npos) << entry.key << " has no source";
  }
}

}  // namespace
}  // namespace cyclops::energy
