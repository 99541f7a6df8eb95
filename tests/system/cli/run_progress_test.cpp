// `cyclops run`'s progress line: on a terminal (a pseudo-terminal from util-linux's `script`), the cycle the
// PEs reached against the analytical estimate the report prints, never going back and never past the
// simulated cycles; nothing when standard error is not a terminal, nor with --no-progress.
#include <gtest/gtest.h>

#include <regex>

#include "tests/support/paths.h"

namespace cyclops::test {
namespace {

std::string RunDepthwise() {
  const std::string c = SourceDir() + "/configs/";
  return CyclopsBinary() + " run " + c + "arch/eyeriss_v1.yaml " + c +
         "energy/eyeriss_v1_65nm_relative.yaml " + c + "workloads/layers/mobilenet_v1_dw13.yaml " + c +
         "mappings/eyeriss_v1_mobilenet_dw13.yaml";
}

uint64_t Number(const std::string& text, const std::string& pattern) {
  std::smatch found;
  EXPECT_TRUE(std::regex_search(text, found, std::regex(pattern))) << pattern;
  if (found.empty()) return 0;
  std::string digits = found[1];
  digits.erase(std::remove(digits.begin(), digits.end(), ','), digits.end());
  return std::stoull(digits);
}

TEST(RunProgress, OnATerminalOnly) {
  std::string plain;
  ASSERT_EQ(RunCommand(RunDepthwise(), &plain), 0) << plain;
  EXPECT_EQ(plain.find("simulating: cycle"), std::string::npos) << plain;

  std::string terminal;
  ASSERT_EQ(RunCommand("script -qec '" + RunDepthwise() + "' /dev/null", &terminal), 0) << terminal;
  const uint64_t simulated = Number(terminal, R"(cycles\s+simulated ([0-9,]+))");
  const uint64_t analytical = Number(terminal, R"(analytical ([0-9,]+))");
  const std::regex line(R"(\r  simulating: cycle (\d+) of ~(\d+) estimated)");
  uint64_t last = 0;
  int lines = 0;
  for (auto it = std::sregex_iterator(terminal.begin(), terminal.end(), line); it != std::sregex_iterator();
       ++it) {
    const uint64_t cycle = std::stoull((*it)[1]);
    EXPECT_GE(cycle, last);
    EXPECT_LE(cycle, simulated);
    EXPECT_EQ(std::stoull((*it)[2]), analytical);
    last = cycle;
    ++lines;
  }
  EXPECT_GT(lines, 0) << terminal;
  // Cleared before the report: the report's first line starts clean.
  EXPECT_NE(terminal.find("\r\033[K"), std::string::npos);

  std::string quiet;
  ASSERT_EQ(RunCommand("script -qec '" + RunDepthwise() + " --no-progress' /dev/null", &quiet), 0) << quiet;
  EXPECT_EQ(quiet.find("simulating: cycle"), std::string::npos);
}

}  // namespace
}  // namespace cyclops::test
