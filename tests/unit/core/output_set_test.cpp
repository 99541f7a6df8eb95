#include "sim/core/output_set.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "sim/core/error.h"
#include "tests/support/paths.h"

namespace cyclops {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> Names(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) names.push_back(entry.path().filename());
  std::sort(names.begin(), names.end());
  return names;
}

TEST(OutputSet, WritesEveryFileWhole) {
  const std::string dir = test::TempDir("output_set_ok") + "/deep/out";
  OutputSet outputs(dir);
  outputs.Add("a.json", "{}\n");
  outputs.Add("b.yaml", "x: 1\n");
  outputs.Add("a.json", "{\"v\": 2}\n");  // the last contents win
  EXPECT_EQ(outputs.Names(), "a.json, b.yaml");
  outputs.Commit();
  EXPECT_EQ(Names(dir), (std::vector<std::string>{"a.json", "b.yaml"}));
  EXPECT_EQ(test::ReadFile(dir + "/a.json"), "{\"v\": 2}\n");
}

// The second file cannot be created (its folder does not exist): the first, already written to its
// temporary, must not appear either.
TEST(OutputSet, OneFileThatCannotBeWrittenLeavesNone) {
  const std::string dir = test::TempDir("output_set_partial");
  OutputSet outputs(dir);
  outputs.Add("first.json", "{}\n");
  outputs.Add("missing/second.json", "{}\n");
  try {
    outputs.Commit();
    ADD_FAILURE() << "no error";
  } catch (const SpecError& error) {
    EXPECT_EQ(error.where().key_path, "--out");
    EXPECT_NE(std::string(error.what()).find(dir + "/missing/second.json: error"), std::string::npos);
  }
  EXPECT_EQ(Names(dir), std::vector<std::string>{});
}

TEST(OutputSet, AFolderThatCannotBeCreatedIsRefusedAtOnce) {
  const std::string dir = test::TempDir("output_set_file");
  fs::create_directories(dir);
  std::ofstream(dir + "/plain") << "x";
  EXPECT_THROW(OutputSet(dir + "/plain/out"), SpecError);
  EXPECT_THROW(OutputSet(dir + "/plain"), SpecError);  // exists, but is not a folder
}

}  // namespace
}  // namespace cyclops
