// `cmake --install` output used as another project would: install this build into a temporary prefix,
// configure and build tests/system/package/consumer against it with find_package(Cyclops), and run it.
// The consumer loads the example, analyses, simulates it and runs the tiny network through the library.
#include <gtest/gtest.h>

#include <filesystem>

#include "tests/support/paths.h"

namespace cyclops::test {
namespace {

TEST(Package, ConsumerBuildsAndRunsAgainstTheInstalledTree) {
  const std::string build = std::filesystem::path(CyclopsBinary()).parent_path().string();
  const std::string dir = TempDir("package");
  const std::string prefix = dir + "/prefix";
  std::string output;
  ASSERT_EQ(RunCommand("cmake --install " + build + " --prefix " + prefix, &output), 0) << output;
  // What the package holds besides the library.
  for (const char* file : {"bin/cyclops", "lib/libcyclops.a", "lib/cmake/Cyclops/CyclopsConfig.cmake",
                           "include/cyclops/sim/spec/loader.h", "include/cyclops/sim/top/layer_simulation.h",
                           "share/cyclops/scripts/plot_noc.py", "share/cyclops/scripts/plot_sweep.py",
                           "share/cyclops/configs/arch/eyeriss_v2.yaml"})
    EXPECT_TRUE(std::filesystem::exists(prefix + "/" + file)) << file;
  EXPECT_FALSE(
      std::filesystem::exists(prefix + "/include/cyclops/sim/spec/yaml_reader.h"));  // sim/spec's own

  output.clear();
  ASSERT_EQ(RunCommand("cmake -S " + SourceDir() + "/tests/system/package/consumer -B " + dir +
                           "/consumer -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH=" + prefix +
                           " && cmake --build " + dir + "/consumer",
                       &output),
            0)
      << output;
  output.clear();
  ASSERT_EQ(RunCommand(dir + "/consumer/consumer " + dir + "/work", &output), 0) << output;
  // The example layer (configs/examples/eyeriss_like): C16 M32 R3 S3 P14 Q14 = 903,168 MACs on 168 MACs,
  // compute-bound: 903,168 / 168 = 5,376 cycles (as tests/system/cli/analyze_command_test.cpp works out).
  EXPECT_NE(output.find("analytical cycles 5376, MACs 903168"), std::string::npos) << output;
  EXPECT_NE(output.find("outputs bit-exact"), std::string::npos) << output;
  // Registrations made it through the link: both stats writers are there.
  EXPECT_NE(output.find("stats writers: json text"), std::string::npos) << output;
  // tiny.yaml: 13 layers, 21,880 MACs (configs/workloads/networks/README.md).
  EXPECT_NE(output.find("network tiny: 13 layers, 21880 MACs, output equals the reference forward pass"),
            std::string::npos)
      << output;
}

}  // namespace
}  // namespace cyclops::test
