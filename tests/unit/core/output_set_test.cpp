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
  fs::create_directories(dir);
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

// Checking a folder creates nothing; a commit that fails removes the folders it made, so an error leaves
// no trace of the outputs at all.
TEST(OutputSet, NothingAppearsBeforeTheCommitNorAfterAFailedOne) {
  const std::string dir = test::TempDir("output_set_lazy") + "/a/b";
  {
    OutputSet outputs(dir);
    outputs.Add("x.json", "{}\n");
  }  // never committed: the work failed
  EXPECT_FALSE(fs::exists(test::TempDir("output_set_lazy")));
  OutputSet outputs(dir);
  outputs.Add("x.json", "{}\n");
  outputs.Add("missing/y.json", "{}\n");
  EXPECT_THROW(outputs.Commit(), SpecError);
  EXPECT_FALSE(fs::exists(dir));
}

// Two folders (--out and --timeloop-out) are one set: the error names the second folder's option.
TEST(OutputSet, ASecondFolderIsPartOfTheSet) {
  const std::string base = test::TempDir("output_set_two");
  fs::create_directories(base);
  std::ofstream(base + "/plain") << "x";
  OutputSet outputs(base + "/out");
  try {
    outputs.AddFolder(base + "/plain/timeloop", "--timeloop-out");
    ADD_FAILURE() << "no error";
  } catch (const SpecError& error) {
    EXPECT_EQ(error.where().key_path, "--timeloop-out");
  }
  outputs.AddFolder(base + "/timeloop", "--timeloop-out");
  outputs.Add("a.json", "{}\n");
  outputs.AddIn(base + "/timeloop", "t.txt", "t\n");
  EXPECT_EQ(outputs.Names(), "a.json");
  outputs.Commit();
  EXPECT_EQ(test::ReadFile(base + "/out/a.json"), "{}\n");
  EXPECT_EQ(test::ReadFile(base + "/timeloop/t.txt"), "t\n");
}

}  // namespace
}  // namespace cyclops
