// Bad input that is not a spec file's text: spec paths that are FIFOs, directories, empty or missing;
// output folders that cannot be written or fill up (the set of outputs is whole or absent); option values
// CLI11 lets through (NaN); a corrupted layer cache on --resume; names that every writer must escape;
// the work estimate a terminal sees.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/support/paths.h"

namespace cyclops::test {
namespace {

namespace fs = std::filesystem;

const std::string kExample = "configs/examples/eyeriss_like/";

std::string ExampleFiles() {
  std::string files;
  for (const char* name : {"arch.yaml", "conv_layer.yaml", "mapping.yaml", "ERT.yaml"})
    files += " " + SourceDir() + "/" + kExample + name;
  return files;
}

int Cyclops(const std::string& arguments, std::string* output) {
  return RunCommand("timeout 120 " + CyclopsBinary() + " " + arguments, output);
}

std::vector<std::string> FilesUnder(const std::string& dir) {
  std::vector<std::string> files;
  if (!fs::exists(dir)) return files;
  for (const auto& entry : fs::recursive_directory_iterator(dir))
    if (!entry.is_directory()) files.push_back(entry.path().filename().string());
  return files;
}

// ---------------------------------------------------------------- spec files that are not files

TEST(SpecFiles, AFifoIsRefusedAtOnceInsteadOfBlocking) {
  const std::string dir = TempDir("fifo");
  fs::create_directories(dir);
  const std::string fifo = dir + "/spec.yaml";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  std::string output;
  // Nobody ever writes to the FIFO: opening it for reading the usual way would wait forever (`timeout`
  // would end it with 124).
  EXPECT_EQ(Cyclops("analyze" + ExampleFiles() + " " + fifo, &output), 2) << output;
  EXPECT_EQ(output.rfind(fifo + ": error: is a FIFO", 0), 0u) << output;
}

TEST(SpecFiles, ADirectoryIsRefusedNamingIt) {
  const std::string dir = TempDir("spec_dir");
  fs::create_directories(dir);
  std::string output;
  EXPECT_EQ(Cyclops("analyze" + ExampleFiles() + " " + dir, &output), 2) << output;
  EXPECT_EQ(output.rfind(dir + ": error: is a directory", 0), 0u) << output;
}

TEST(SpecFiles, EmptyBlankAndCommentOnlyFilesAreRefused) {
  const std::string dir = TempDir("spec_empty");
  fs::create_directories(dir);
  const std::vector<std::pair<std::string, std::string>> files = {
      {"empty.yaml", ""},
      {"blank.yaml", "\n  \n\t\n"},
      {"comments.yaml", "# nothing here\n---\n# still nothing\n"}};
  for (const auto& [name, text] : files) {
    std::ofstream(dir + "/" + name) << text;
    std::string output;
    EXPECT_EQ(Cyclops("analyze" + ExampleFiles() + " " + dir + "/" + name, &output), 2) << name << output;
    EXPECT_EQ(output.rfind(dir + "/" + name + ": error: the file", 0), 0u) << output;
  }
}

TEST(SpecFiles, AMissingFileIsBadInputNamingIt) {
  std::string output;
  EXPECT_EQ(Cyclops("analyze" + ExampleFiles() + " /nonexistent/spec.yaml", &output), 2) << output;
  EXPECT_EQ(output.rfind("/nonexistent/spec.yaml: error: cannot open the file: No such file", 0), 0u)
      << output;
}

// ---------------------------------------------------------------- output sets

TEST(Outputs, AnUnwritableOutIsBadInputBeforeTheRun) {
  const std::string dir = TempDir("out_file");
  fs::create_directories(dir);
  std::ofstream(dir + "/file") << "a file, not a folder\n";
  for (const char* command : {"run", "analyze", "map"}) {
    std::string output;
    const std::string extra = std::string(command) == "map" ? " --evaluations 50" : "";
    EXPECT_EQ(Cyclops(std::string(command) + ExampleFiles() + extra + " --out " + dir + "/file/out", &output),
              2)
        << command << ": " << output;
    EXPECT_NE(output.find(dir + "/file/out: error: at '--out': cannot write the output"), std::string::npos)
        << output;
    // Refused before the work: no report was printed.
    EXPECT_EQ(output.find("cycles"), std::string::npos) << command << ": " << output;
  }
}

// Every command that writes files checks its folders before the work, and leaves nothing when it cannot:
// not even the folder.
TEST(Outputs, EveryCommandRefusesAnUnwritableFolderBeforeItsWork) {
  const std::string dir = TempDir("out_file_all");
  fs::create_directories(dir);
  std::ofstream(dir + "/file") << "a file, not a folder\n";
  const std::string bad = dir + "/file/out";
  const std::string network = "network " + SourceDir() + "/configs/workloads/networks/tiny.yaml --arch " +
                              SourceDir() + "/configs/workloads/synthetic/small_array.yaml --no-progress ";
  const std::pair<std::string, std::string> commands[] = {
      {network + "--out " + bad, "--out"},
      {network + "--analytical-only --out " + bad, "--out"},
      {"analyze" + ExampleFiles() + " --timeloop-out " + bad, "--timeloop-out"},
      {"run" + ExampleFiles() + " --out " + dir + "/ok --timeloop-out " + bad, "--timeloop-out"},
      {"sweep " + SourceDir() + "/tests/system/sweep/data/glb_noc_layers.yaml --out " + bad, "--out"},
      {"sweep " + SourceDir() + "/tests/system/sweep/data/glb_noc_layers.yaml --out " + dir + "/sweep --db " +
           bad + "/sweep.sqlite",
       "--db"}};
  for (const auto& [command, option] : commands) {
    std::string output;
    EXPECT_EQ(Cyclops(command, &output), 2) << command << ": " << output;
    EXPECT_NE(output.find(": error: at '" + option + "': cannot write the output"), std::string::npos)
        << command << ": " << output;
    EXPECT_EQ(output.find("cycles"), std::string::npos) << "refused before the work: " << output;
  }
  EXPECT_EQ(FilesUnder(dir), std::vector<std::string>{"file"}) << "no folder made for the refused runs";
}

// A full disk, made with the file-size limit: writes beyond 1 KiB fail (EFBIG) once SIGXFSZ is ignored.
// `run`'s action_counts.yaml (about 800 bytes) fits, its stats.json and summary.json do not: a command
// that wrote its outputs one by one would leave some behind (the bug: stats.json and summary.json but no
// action_counts.yaml).
TEST(Outputs, AFullDiskLeavesNoneOfTheSet) {
  for (const char* command : {"run", "analyze"}) {
    const std::string out = TempDir(std::string("full_") + command);
    std::string output;
    const int status = RunCommand(
        "trap '' XFSZ; ulimit -f 1; " + CyclopsBinary() + " " + command + ExampleFiles() + " --out " + out,
        &output);
    EXPECT_EQ(status, 2) << output;
    EXPECT_NE(output.find("cannot write the output: File too large"), std::string::npos) << output;
    EXPECT_EQ(FilesUnder(out), std::vector<std::string>{}) << "neither outputs nor temporaries";
  }
}

// The same for the network report (report.txt is small, network.json and layers.csv together are not)
// and for --timeloop-out, which is one set with --out.
TEST(Outputs, AFullDiskLeavesNoneOfTheNetworkReportNorTheTimeloopFiles) {
  const std::string out = TempDir("full_network");
  std::string output;
  int status = RunCommand("trap '' XFSZ; ulimit -f 1; " + CyclopsBinary() + " network " + SourceDir() +
                              "/configs/workloads/networks/tiny.yaml --arch " + SourceDir() +
                              "/configs/workloads/synthetic/small_array.yaml --analytical-only --no-progress "
                              "--out " +
                              out,
                          &output);
  EXPECT_EQ(status, 2) << output;
  EXPECT_NE(output.find("cannot write the output: File too large"), std::string::npos) << output;
  for (const char* name : {"report.txt", "network.json", "layers.csv"})
    EXPECT_FALSE(fs::exists(out + "/" + name)) << name;
  const std::string both = TempDir("full_timeloop");
  output.clear();
  status = RunCommand("trap '' XFSZ; ulimit -f 1; " + CyclopsBinary() + " analyze" + ExampleFiles() +
                          " --out " + both + "/out --timeloop-out " + both + "/timeloop",
                      &output);
  EXPECT_EQ(status, 2) << output;
  EXPECT_FALSE(fs::exists(both)) << "neither folder, nor any of the three files";
}

// ---------------------------------------------------------------- option values

// Slow is not stuck: a bus moving one value every 20 cycles, watched every 100 cycles, still finishes
// bit-exact. By hand: the layer's 4,608 weights alone cross the weights bus at 0.05 values per cycle,
// so the run lasts at least 92,160 cycles, hundreds of watchdog periods.
TEST(Options, ASlowBusIsNotStoppedAsStuck) {
  const std::string out = TempDir("slow_bus");
  std::string output;
  ASSERT_EQ(Cyclops("run" + ExampleFiles() + " --bus-width 0.05 --watchdog 100 --out " + out, &output), 0)
      << output;
  const nlohmann::json summary = nlohmann::json::parse(ReadFile(out + "/summary.json"));
  EXPECT_TRUE(summary["outputs_match"].get<bool>());
  EXPECT_GE(summary["cycles"]["simulated"].get<int64_t>(), 92160);
}

// A tensor file on the command line is input: an unreadable one is located at its option.
TEST(Options, AnUnreadableTensorFileIsBadInput) {
  const std::string dir = TempDir("bad_tensor");
  fs::create_directories(dir);
  std::ofstream(dir + "/t.bin") << "not a tensor";
  std::string output;
  EXPECT_EQ(Cyclops("run" + ExampleFiles() + " --input-file " + dir + "/t.bin", &output), 2) << output;
  EXPECT_NE(output.find(dir + "/t.bin: error: at '--input-file'"), std::string::npos) << output;
}

TEST(Options, NonFiniteOrTooSmallBusWidthsAreRefused) {
  for (const char* width : {"nan", "inf", "-inf", "0", "-1", "1e-9", "wide"}) {
    std::string output;
    EXPECT_EQ(Cyclops("run" + ExampleFiles() + " --bus-width " + width, &output), 1) << width << output;
    EXPECT_NE(output.find("--bus-width: '" + std::string(width) + "' is not a finite number >= 1e-06"),
              std::string::npos)
        << output;
  }
}

TEST(Options, LimitsMustBeSizesAndCounts) {
  std::string output;
  EXPECT_EQ(Cyclops("run" + ExampleFiles() + " --max-memory lots", &output), 1) << output;
  EXPECT_NE(output.find("'lots' is not a size like 8G or 512M"), std::string::npos) << output;
  output.clear();
  EXPECT_EQ(Cyclops("run" + ExampleFiles() + " --max-macs nan", &output), 1) << output;
}

// On a terminal (here a pseudo-terminal from script(1)) `run` says what it is about to do: 903,168 MACs
// on 168 PEs and the analytical cycles, before the report.
TEST(Options, ATerminalSeesTheWorkEstimate) {
  std::string output;
  const int status =
      RunCommand("script -qec '" + CyclopsBinary() + " run" + ExampleFiles() + "' /dev/null", &output);
  ASSERT_EQ(status, 0) << output;
  // 903,168 = C16 x M32 x R3 x S3 x P14 x Q14; 168 = the 14 x 12 PE array.
  const size_t estimate = output.find("work estimate: 903,168 MACs in ");
  ASSERT_NE(estimate, std::string::npos) << output;
  EXPECT_NE(output.find(" on 168 PEs", estimate), std::string::npos) << output;
  EXPECT_LT(estimate, output.find("Cyclops cycle-level simulation")) << output;
  // Not on a pipe: scripts and the network runner's child runs see only the report.
  output.clear();
  ASSERT_EQ(Cyclops("run" + ExampleFiles(), &output), 0) << output;
  EXPECT_EQ(output.find("work estimate"), std::string::npos) << output;
}

// ---------------------------------------------------------------- the layer cache

TEST(LayerCache, ACorruptedRecordOnResumeNamesTheFile) {
  const std::string out = TempDir("corrupt_cache");
  const std::string command = "network " + SourceDir() + "/configs/workloads/networks/tiny.yaml --arch " +
                              SourceDir() +
                              "/configs/workloads/synthetic/small_array.yaml --no-progress --out " + out;
  std::string output;
  ASSERT_EQ(Cyclops(command, &output), 0) << output;
  std::string record;
  for (const auto& entry : fs::directory_iterator(out + "/layers"))
    if (fs::exists(entry.path() / "record.json")) record = (entry.path() / "record.json").string();
  ASSERT_FALSE(record.empty());
  const std::string text = ReadFile(record);
  std::ofstream(record, std::ios::trunc) << text.substr(0, text.size() / 2);  // cut mid-write
  output.clear();
  EXPECT_EQ(Cyclops(command + " --resume", &output), 2) << output;
  EXPECT_NE(output.find(record + ": error: the layer cache file is corrupted"), std::string::npos) << output;
}

// ---------------------------------------------------------------- names every writer must escape

// A global buffer named with a quote, a colon, a hash, a comma and a non-ASCII letter: each output must
// still parse and name it exactly, and the mapping `map` writes must read back.
TEST(Writers, NamesWithQuotesColonsAndUnicodeSurviveEveryOutput) {
  const std::string dir = TempDir("odd_names");
  fs::create_directories(dir);
  const std::string odd = "glb \\\"x\\\": #1, \xC3\xBC";  // YAML escapes: glb "x": #1, ü
  const std::string odd_plain = "glb \"x\": #1, \xC3\xBC";
  auto rename = [&](std::string text) {
    const std::pair<std::string, std::string> replacements[] = {
        {"name: system_top_level.shared_glb[1..1]", "name: \"system_top_level." + odd + "[1..1]\""},
        {"name: shared_glb", "name: \"" + odd + "\""},
        {"target: shared_glb", "target: \"" + odd + "\""}};
    for (const auto& [from, to] : replacements)
      for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
    return text;
  };
  for (const char* name : {"arch.yaml", "mapping.yaml", "ERT.yaml"})
    std::ofstream(dir + "/" + name) << rename(ReadFile(SourceDir() + "/" + kExample + name));
  const std::string files = " " + dir + "/arch.yaml " + SourceDir() + "/" + kExample + "conv_layer.yaml " +
                            dir + "/mapping.yaml " + dir + "/ERT.yaml";
  std::string output;
  ASSERT_EQ(Cyclops("run" + files + " --out " + dir + "/run", &output), 0) << output;
  const nlohmann::json summary = nlohmann::json::parse(ReadFile(dir + "/run/summary.json"));
  EXPECT_NE(summary.dump().find(nlohmann::json(odd_plain).dump()), std::string::npos);
  EXPECT_TRUE(nlohmann::json::accept(ReadFile(dir + "/run/stats.json")));
  output.clear();
  const std::string check_yaml =
      "python3 -c 'import sys, yaml; d = yaml.safe_load(open(sys.argv[1])); "
      "names = [c[\"name\"] for c in d[\"action_counts\"][\"local\"]]; "
      "sys.exit(0 if sys.argv[2] in names else 1)' ";
  // Accelergy's action counts name components as the ERT does: the full name, hierarchy and range.
  EXPECT_EQ(
      RunCommand(check_yaml + dir + "/run/action_counts.yaml 'system_top_level." + odd_plain + "[1..1]'",
                 &output),
      0)
      << output;
  // The mapper's mapping.yaml names the level in YAML that reads back to the same mapping.
  output.clear();
  ASSERT_EQ(Cyclops("map " + dir + "/arch.yaml " + SourceDir() + "/" + kExample + "conv_layer.yaml " + dir +
                        "/ERT.yaml --evaluations 200 --out " + dir + "/map",
                    &output),
            0)
      << output;
  output.clear();
  EXPECT_EQ(Cyclops("analyze " + dir + "/arch.yaml " + SourceDir() + "/" + kExample + "conv_layer.yaml " +
                        dir + "/map/mapping.yaml " + dir + "/ERT.yaml",
                    &output),
            0)
      << output;
  EXPECT_NE(output.find(odd_plain), std::string::npos) << output;
}

}  // namespace
}  // namespace cyclops::test
