// `cyclops run` reports the average power: the simulated energy over the simulated time at the accelerator
// clock, worked out here from the report's own energy and cycles; a relative energy table (one MAC = 1)
// gives no mW and says so.
#include <gtest/gtest.h>

#include <algorithm>
#include <regex>

#include "tests/support/paths.h"

namespace cyclops::test {
namespace {

double Number(const std::string& text, const std::string& pattern) {
  std::smatch found;
  EXPECT_TRUE(std::regex_search(text, found, std::regex(pattern))) << pattern << "\n" << text;
  if (found.empty()) return 0;
  std::string digits = found[1];
  digits.erase(std::remove(digits.begin(), digits.end(), ','), digits.end());
  return std::stod(digits);
}

// The example accelerator runs at global_cycle_seconds 1e-9 (1 GHz) with an absolute (pJ) ERT and no NoC.
TEST(RunPower, EnergyOverTimeAtTheClock) {
  const std::string e = SourceDir() + "/configs/examples/eyeriss_like/";
  std::string output;
  ASSERT_EQ(RunCommand(CyclopsBinary() + " run " + e + "arch.yaml " + e + "conv_layer.yaml " + e +
                           "mapping.yaml " + e + "ERT.yaml",
                       &output),
            0)
      << output;
  const double cycles = Number(output, R"(cycles\s+simulated ([0-9,]+))");
  const double energy_uj = Number(output, R"(energy\s+simulated ([0-9.]+) uJ)");
  const double power_mw = Number(output, R"(power\s+([0-9.]+) mW average)");
  // mW = uJ · 1e-6 J / (cycles · 1e-9 s) · 1e3; the report rounds the energy to 1 nJ and the power to 1 uW.
  const double expected = energy_uj * 1e-6 / (cycles * 1e-9) * 1e3;
  EXPECT_NEAR(power_mw, expected, 1e-3 * expected + 1e-3) << output;
  EXPECT_NE(output.find("at 1000 MHz"), std::string::npos) << output;
}

TEST(RunPower, ARelativeTableGivesNoMilliwatts) {
  const std::string c = SourceDir() + "/configs/";
  std::string output;
  ASSERT_EQ(RunCommand(CyclopsBinary() + " run " + c + "arch/eyeriss_v1.yaml " + c +
                           "energy/eyeriss_v1_65nm_relative.yaml " + c +
                           "workloads/layers/mobilenet_v1_dw13.yaml " + c +
                           "mappings/eyeriss_v1_mobilenet_dw13.yaml",
                       &output),
            0)
      << output;
  EXPECT_NE(output.find("power        not in mW: the energy table is relative"), std::string::npos) << output;
  EXPECT_EQ(output.find(" mW average"), std::string::npos) << output;
}

}  // namespace
}  // namespace cyclops::test
