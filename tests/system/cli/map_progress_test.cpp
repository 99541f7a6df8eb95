// `cyclops map`'s progress line: on a terminal (a pseudo-terminal from util-linux's `script`), evaluations
// and the best objective so far, which never gets worse and ends at the best the table reports; nothing
// when standard error is not a terminal.
#include <gtest/gtest.h>

#include <regex>

#include "tests/support/paths.h"

namespace cyclops::test {
namespace {

std::string MapCommand() {
  const std::string t = ReferenceDir() + "/timeloop/tutorial-06-mapper-convlayer-eyeriss/";
  return CyclopsBinary() + " map " + t + "arch/eyeriss_like.yaml " + t + "prob/VGG02_layer5.yaml " + t +
         "ref-output/timeloop-mapper.ERT.yaml --evaluations 20000 --top 1 --threads 2";
}

TEST(MapProgress, OnATerminalOnly) {
  std::string plain;
  ASSERT_EQ(RunCommand(MapCommand(), &plain), 0) << plain;
  EXPECT_EQ(plain.find("of 20000 evaluations"), std::string::npos) << plain;

  std::string terminal;
  ASSERT_EQ(RunCommand("script -qec '" + MapCommand() + "' /dev/null", &terminal), 0) << terminal;
  const std::regex line(R"(\r  mapping: (\d+) of 20000 evaluations \(\d+%\), best edp ([0-9.e+]+) J\*cycle)");
  std::vector<double> best;
  int64_t last_count = 0;
  for (auto it = std::sregex_iterator(terminal.begin(), terminal.end(), line); it != std::sregex_iterator();
       ++it) {
    const int64_t count = std::stoll((*it)[1]);
    EXPECT_GE(count, last_count);  // evaluations only grow
    last_count = count;
    best.push_back(std::stod((*it)[2]));
  }
  ASSERT_FALSE(best.empty()) << terminal;
  for (size_t i = 1; i < best.size(); ++i) EXPECT_LE(best[i], best[i - 1]);  // the best never gets worse
  // The table's EDP of rank 1 (J*cycle, %.4g) is where the line ends up, or better than any it showed.
  // Columns: rank, cycles, NoC bound ("-" without a NoC), energy, EDP.
  std::smatch table;
  ASSERT_TRUE(
      std::regex_search(terminal, table, std::regex(R"(\n\s+1\s+\d+\s+(?:\d+|-)\s+[0-9.]+\s+([0-9.e+]+))")))
      << terminal;
  EXPECT_GE(best.back(), std::stod(table[1]) * (1 - 1e-3));
  // The line is cleared before the results: the first table line starts a clean line.
  EXPECT_NE(terminal.find("\r\033[Kevaluated 20000 mappings"), std::string::npos) << terminal;
}

}  // namespace
}  // namespace cyclops::test
