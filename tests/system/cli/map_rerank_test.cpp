// End-to-end test of `cyclops map --sim-rerank K`: the best K analytical candidates are simulated as
// subprocesses and the mapping is chosen by the simulated objective.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "sim/core/atomic_file.h"
#include "tests/support/paths.h"

namespace cyclops::test {
namespace {

const std::string kSynthetic = "/configs/workloads/synthetic/";

// matmul.yaml without its mapping, so that map has to find one.
std::string ProblemWithoutMapping(const std::string& dir) {
  const std::string text = ReadFile(SourceDir() + kSynthetic + "matmul.yaml");
  const size_t mapping = text.find("\nmapping:");
  EXPECT_NE(mapping, std::string::npos);
  WriteFileAtomically(dir + "/matmul_problem.yaml", text.substr(0, mapping + 1));
  return dir + "/matmul_problem.yaml";
}

struct Row {
  bool chosen;
  int rank;
  long long analytical;
  long long simulated;
};

std::vector<Row> TableRows(const std::string& output) {
  std::vector<Row> rows;
  const std::regex row(R"(^([ *])\s*(\d+)\s+(\d+)\s+(\d+)\s+[-+][0-9.]+%)");
  std::istringstream lines(output);
  for (std::string line; std::getline(lines, line);) {
    std::smatch match;
    if (std::regex_search(line, match, row))
      rows.push_back({match[1] == "*", std::stoi(match[2]), std::stoll(match[3]), std::stoll(match[4])});
  }
  return rows;
}

TEST(MapRerankCommand, SimulatesTheBestThreeAndChoosesBySimulatedCycles) {
  const std::string dir = TempDir("map_rerank");
  const std::string problem = ProblemWithoutMapping(dir);
  std::string output;
  ASSERT_EQ(RunCommand(CyclopsBinary() + " map " + SourceDir() + kSynthetic + "small_array.yaml " + problem +
                           " --objective latency --evaluations 500 --threads 2 --sim-rerank 3 --out " + dir +
                           "/out",
                       &output),
            0)
      << output;
  const std::vector<Row> rows = TableRows(output);
  ASSERT_EQ(rows.size(), 3u) << output;
  const Row* chosen = nullptr;
  const Row* best = &rows[0];
  for (const Row& row : rows) {
    EXPECT_GE(row.simulated, row.analytical) << output;
    if (row.chosen) chosen = &row;
    if (row.simulated < best->simulated) best = &row;
    // Each candidate was really simulated: its summary agrees with the table.
    const std::string candidate = dir + "/out/rerank/candidate_" + std::to_string(row.rank);
    const nlohmann::json summary = nlohmann::json::parse(ReadFile(candidate + "/summary.json"));
    EXPECT_EQ(summary["cycles"]["simulated"].get<long long>(), row.simulated);
    EXPECT_EQ(summary["cycles"]["analytical"].get<long long>(), row.analytical);
    EXPECT_TRUE(summary["outputs_match"].get<bool>());
  }
  ASSERT_NE(chosen, nullptr) << output;
  EXPECT_EQ(chosen->rank, best->rank) << output;  // the lowest simulated cycles, first on a tie
  EXPECT_EQ(ReadFile(dir + "/out/mapping.yaml"),
            ReadFile(dir + "/out/rerank/candidate_" + std::to_string(best->rank) + "/mapping.yaml"));
}

TEST(MapRerankCommand, NonEmptyMappingInTheFilesIsRefused) {
  std::string output;
  const int status =
      RunCommand(CyclopsBinary() + " map " + SourceDir() + kSynthetic + "small_array.yaml " + SourceDir() +
                     kSynthetic + "matmul.yaml --objective latency --sim-rerank 2",
                 &output);
  EXPECT_EQ(status, 2) << output;  // bad input
  EXPECT_NE(output.find("already hold a non-empty 'mapping'"), std::string::npos) << output;
  EXPECT_NE(output.find("matmul.yaml:"), std::string::npos) << output;  // where that mapping is
}

}  // namespace
}  // namespace cyclops::test
