// The report text helpers (sim/stats/text_format.h): expected strings written out by hand.
#include "sim/stats/text_format.h"

#include <gtest/gtest.h>

#include <string>

namespace cyclops::stats {
namespace {

TEST(TextFormat, GroupedPutsACommaEveryThreeDigitsAndKeepsTheSign) {
  EXPECT_EQ(Grouped(0), "0");
  EXPECT_EQ(Grouped(999), "999");
  EXPECT_EQ(Grouped(1000), "1,000");
  EXPECT_EQ(Grouped(12345678), "12,345,678");
  EXPECT_EQ(Grouped(-1234567), "-1,234,567");
}

TEST(TextFormat, FormatKeepsALineLongerThanItsBufferWhole) {
  // 600 characters of a layer name, then a count: nothing is cut at the 512-byte stack buffer.
  const std::string name(600, 'x');
  const std::string line = Format("%s %d\n", name.c_str(), 42);
  EXPECT_EQ(line.size(), 600u + 4u);
  EXPECT_EQ(line, name + " 42\n");
  EXPECT_EQ(Format("%d-%s", 7, "ab"), "7-ab");
}

TEST(TextFormat, NocEnergyLineSaysWhetherTheHopIsPriced) {
  // 1,500,000 value-hops x 2 pJ = 3,000,000 pJ = 3.000 uJ.
  EXPECT_EQ(NocEnergyLine("  NoC energy ", 1500000, 3e6, 2.0, "the accelerator energy"),
            "  NoC energy 3.000 uJ more (1,500,000 value-hops x 2 pJ, ERT noc.hop; not in the accelerator "
            "energy)\n");
  // Priced at 0 pJ is priced: the line says 0, not "not priced".
  EXPECT_EQ(NocEnergyLine("NoC ", 10, 0, 0.0, "X"),
            "NoC 0.000 uJ more (10 value-hops x 0 pJ, ERT noc.hop; not in X)\n");
  EXPECT_EQ(NocEnergyLine("NoC ", 10, 0, std::nullopt, "X"),
            "NoC not priced: 10 value-hops, and no ERT entry noc.hop (pJ per value per link)\n");
}

}  // namespace
}  // namespace cyclops::stats
