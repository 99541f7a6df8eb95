// The malformed-ONNX corpus (tests/system/robustness/onnx/, written by its make_corpus.py): every file is
// refused by `cyclops network` with exit status 2 and one message, naming the file and containing the phrase
// expected.tsv gives for it, and no output directory is left behind. No signal, no uncaught exception.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/support/paths.h"

namespace cyclops::test {
namespace {

struct Case {
  std::string file, phrase;
};

std::vector<Case> Cases() {
  std::ifstream list(SourceDir() + "/tests/system/robustness/onnx/expected.tsv");
  std::vector<Case> cases;
  std::string line;
  while (std::getline(list, line)) {
    const size_t tab = line.find('\t');
    if (tab != std::string::npos) cases.push_back({line.substr(0, tab), line.substr(tab + 1)});
  }
  return cases;
}

TEST(OnnxCorpus, HoldsAtLeastThirtyFiles) {
  EXPECT_GE(Cases().size(), 30u);
  for (const Case& c : Cases())
    EXPECT_TRUE(std::filesystem::exists(SourceDir() + "/tests/system/robustness/onnx/" + c.file)) << c.file;
}

TEST(OnnxCorpus, EveryFileIsOneClearRefusal) {
  for (const Case& c : Cases()) {
    SCOPED_TRACE(c.file);
    const std::string path = SourceDir() + "/tests/system/robustness/onnx/" + c.file;
    const std::string out = TempDir("onnx_corpus_" + c.file);
    std::string output;
    const int status = RunCommand(CyclopsBinary() + " network " + path + " --arch " + SourceDir() +
                                      "/configs/workloads/synthetic/small_array.yaml --analytical-only "
                                      "--no-progress --out " +
                                      out,
                                  &output);
    EXPECT_EQ(status, 2) << output;
    std::istringstream lines(output);
    std::string line;
    int count = 0;
    while (std::getline(lines, line)) count += line.empty() ? 0 : 1;
    EXPECT_EQ(count, 1) << output;
    EXPECT_NE(output.find(path + ": error"), std::string::npos) << output;
    EXPECT_NE(output.find(c.phrase), std::string::npos) << output;
    EXPECT_FALSE(std::filesystem::exists(out)) << "an output directory was left behind";
  }
}

}  // namespace
}  // namespace cyclops::test
