// End-to-end test of scripts/reproduce_eyeriss --reduced: the script runs the built cyclops (map, run,
// analyze) over a few layers of every study and writes the validation document. The checks are on what
// could be wrong whatever the figures: every study and row is there, every figure is a finite number, the
// constraints map every layer, v2's RS+ is at least as fast as v1's row stationary on a depth-wise layer
// (v1 cannot spread channel groups over PEs), and the mapper is within 5 % of Timeloop's EDP.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/paths.h"

namespace cyclops::test {
namespace {

using Row = std::vector<std::string>;

std::string Trim(const std::string& text) {
  const size_t begin = text.find_first_not_of(" \t");
  if (begin == std::string::npos) return "";
  return text.substr(begin, text.find_last_not_of(" \t") - begin + 1);
}

// The rows of every markdown table whose header's first cell is `first_column`.
std::vector<Row> TableRows(const std::string& document, const std::string& first_column) {
  std::vector<Row> rows;
  std::istringstream lines(document);
  bool inside = false;
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("|", 0) != 0) {
      inside = false;
      continue;
    }
    Row cells;
    std::stringstream cell_stream(line.substr(1));
    for (std::string cell; std::getline(cell_stream, cell, '|');) cells.push_back(Trim(cell));
    if (!inside) {
      inside = !cells.empty() && cells[0] == first_column;
      continue;
    }
    if (line.rfind("|---", 0) == 0) continue;
    rows.push_back(cells);
  }
  return rows;
}

// "1,234.5" → 1234.5; NaN when the cell is not a number.
double Number(const std::string& cell) {
  std::string digits;
  for (char c : cell)
    if (c != ',') digits += c;
  try {
    size_t used = 0;
    const double value = std::stod(digits, &used);
    return used == digits.size() ? value : NAN;
  } catch (...) {
    return NAN;
  }
}

void CheckEveryStudy(const std::string& document) {
  for (const char* heading :
       {"## 1. Eyeriss v1, AlexNet", "## 2. Eyexam scaling", "## 3. Eyeriss v2 (192 PEs)",
        "## 4. Eyeriss v2 sparse", "## 5. The mapper against Timeloop", "## 6. The dataflow constraints"})
    EXPECT_NE(document.find(heading), std::string::npos) << heading;
}

// The sparse study (the tiny network in a reduced run) on both chips: each run bit-exact, fewer MACs done
// than there are (pruned weights), the v2 figures and v2-over-v1 ratios present and positive, and v2's DRAM
// rows (the throughput a 25.6 GB/s DRAM costs, the conv layers' DRAM traffic), and v1's run as the chip ran
// AlexNet (real zeros, RLC DRAM, a batch), its output bit-exact.
void CheckSparse(const std::string& document) {
  int runs = 0;
  for (const Row& row : TableRows(document, "network")) {
    if (row.size() != 9) continue;
    ++runs;
    SCOPED_TRACE(row[0] + " " + row[1]);
    EXPECT_EQ(row[8], "bit-exact");
    EXPECT_LT(Number(row[6]), Number(row[5]));  // MACs done < MACs
    const double density = Number(row[7]);
    EXPECT_TRUE(density > 0 && density < 1) << row[7];
  }
  EXPECT_EQ(runs, 2);
  std::map<std::string, Row> by_quantity;
  for (const Row& row : TableRows(document, "quantity")) by_quantity[row[0]] = row;
  for (const char* quantity :
       {"Sparse MobileNet (0.5, 128 x 128), v2: inferences/s",
        "Sparse MobileNet (0.5, 128 x 128), v2: inferences/J", "Sparse tiny, v2 over v1: speed",
        "Sparse tiny, v2 over v1: energy efficiency"}) {
    SCOPED_TRACE(quantity);
    ASSERT_TRUE(by_quantity.count(quantity));
    EXPECT_GT(Number(by_quantity[quantity][2]), 0);
  }
  // A 25.6 GB/s DRAM can only slow the chip down, never to a standstill: a lost fraction in [0, 1).
  const std::string lost = "Sparse tiny, v2: fraction of throughput lost to a 25.6 GB/s DRAM";
  ASSERT_TRUE(by_quantity.count(lost));
  EXPECT_GE(Number(by_quantity[lost][2]), 0);
  EXPECT_LT(Number(by_quantity[lost][2]), 1);
  // tiny's conv layers read their weights and inputs from DRAM: some traffic.
  const std::string traffic = "Sparse tiny, v2: conv-layer DRAM traffic (MB)";
  ASSERT_TRUE(by_quantity.count(traffic));
  EXPECT_GT(Number(by_quantity[traffic][2]), 0);
  // v1 as the chip ran AlexNet (here tiny at batch 2): frames/s and DRAM MB per batch from one run.
  for (const char* figure : {"frames/s", "DRAM MB per batch"}) {
    const std::string quantity =
        std::string("Eyeriss v1, tiny conv layers at batch 2, ReLU zeros gated and RLC in DRAM: ") + figure;
    SCOPED_TRACE(quantity);
    ASSERT_TRUE(by_quantity.count(quantity));
    EXPECT_GT(Number(by_quantity[quantity][2]), 0);
    EXPECT_NE(by_quantity[quantity][5].find("output bit-exact"), std::string::npos);
  }
}

void CheckPaperRows(const std::string& document) {
  std::map<std::string, Row> by_quantity;
  for (const Row& row : TableRows(document, "quantity")) {
    ASSERT_GE(row.size(), 4u);
    by_quantity[row[0]] = row;
  }
  std::vector<std::string> expected = {"frames/s at 200 MHz (simulated, v1 buses)", "DRAM MB per batch",
                                       "DRAM accesses per MAC", "fraction of active PEs (mean over layers)"};
  for (const char* net : {"AlexNet", "GoogLeNet", "MobileNet"}) {
    for (const char* pes : {"256", "1,024", "16,384"})
      expected.push_back(std::string(net) + ", " + pes + " PEs: v2 speed-up over v1");
    for (const char* pes : {"256", "1,024"})  // the points simulated by default
      expected.push_back(std::string(net) + ", " + pes +
                         " PEs: v2 speed-up over v1, simulated with their NoCs");
  }
  for (const std::string& quantity : expected) {
    SCOPED_TRACE(quantity);
    ASSERT_TRUE(by_quantity.count(quantity));
    const Row& row = by_quantity[quantity];
    const double ours = Number(row[2]);
    const double ratio = Number(row[3]);
    EXPECT_TRUE(std::isfinite(ours) && ours > 0) << row[2];
    EXPECT_TRUE(std::isfinite(ratio) && ratio > 0) << row[3];
  }
  // A fraction of the array cannot exceed the array.
  EXPECT_LE(Number(by_quantity["fraction of active PEs (mean over layers)"][2]), 1.0);
  // Both HM-NoC studies (the paper's workload end to end, width 1.0 layer by layer) either have a figure or
  // say plainly why not.
  for (const std::string hm :
       {"MobileNet (0.5, 128 x 128), dense, SIMD-2 throughput, HM-NoC over flat NoC",
        "MobileNet (1.0, 224 x 224), dense, single-MAC PEs throughput, HM-NoC over flat NoC"}) {
    SCOPED_TRACE(hm);
    ASSERT_TRUE(by_quantity.count(hm));
    const double gain = Number(by_quantity[hm][2]);
    EXPECT_TRUE((std::isfinite(gain) && gain > 0) || by_quantity[hm][2] == "not available")
        << by_quantity[hm][2];
  }
}

void CheckDepthWise(const std::string& document) {
  // Columns: network, layer, kind, x, v1 at 256 / 1,024 / 16,384, v2 at the same, then v1 and v2 simulated at
  // 256 and at 1,024.
  int depth_wise = 0;
  for (const Row& row : TableRows(document, "network")) {
    if (row.size() < 14 || row[2] != "dw") continue;
    ++depth_wise;
    SCOPED_TRACE(row[1]);
    for (int size = 0; size < 3; ++size) {
      const double v1 = Number(row[4 + size]), v2 = Number(row[7 + size]);
      ASSERT_TRUE(std::isfinite(v1) && std::isfinite(v2)) << row[4 + size] << " " << row[7 + size];
      EXPECT_LE(v2, v1);
    }
    for (int column : {10, 12}) {  // a depth-wise layer: v2's RS+ spreads its channels, v1's buses serialise
      const double v1_simulated = Number(row[column]), v2_simulated = Number(row[column + 1]);
      ASSERT_TRUE(std::isfinite(v1_simulated) && std::isfinite(v2_simulated))
          << row[column] << " " << row[column + 1];
      EXPECT_LE(v2_simulated, v1_simulated);
    }
  }
  EXPECT_GE(depth_wise, 1);
}

void CheckCoverageAndMapper(const std::string& document) {
  EXPECT_NE(document.find("Layers without a legal mapping: 0."), std::string::npos);
  const std::vector<Row> coverage = TableRows(document, "architecture + constraints");
  EXPECT_EQ(coverage.size(), 6u);  // two presets × three networks
  for (const Row& row : coverage) EXPECT_EQ(row[3], "none") << row[0] << " " << row[1];
  const std::vector<Row> mapper = TableRows(document, "case");
  ASSERT_FALSE(mapper.empty());
  for (const Row& row : mapper) {
    SCOPED_TRACE(row[0]);
    const double ratio = Number(row[3]);
    ASSERT_TRUE(std::isfinite(ratio)) << row[3];
    EXPECT_LE(ratio, 1.05);
  }
}

// eyeriss.json holds the same comparisons as the Markdown, for programs: every object names its figure,
// the paper's value (a number, or a [low, high] range with high null for "at least"), Cyclops' value, the
// ratio and whether the figure is simulated or analytical; each Markdown paper row is there with its value.
void CheckJson(const std::string& text, const std::string& document) {
  const nlohmann::json root = nlohmann::json::parse(text);
  ASSERT_TRUE(root.contains("figures"));
  const nlohmann::json& figures = root["figures"];
  ASSERT_GT(figures.size(), 10u);
  std::map<std::string, nlohmann::json> by_figure;
  for (const nlohmann::json& figure : figures) {
    SCOPED_TRACE(figure.dump());
    ASSERT_TRUE(figure["figure"].is_string());
    const nlohmann::json& paper = figure["paper"];
    EXPECT_TRUE(paper.is_number() || (paper.is_array() && paper.size() == 2 && paper[0].is_number()));
    EXPECT_TRUE(figure["cyclops"].is_number() || figure["cyclops"].is_null());
    EXPECT_TRUE(figure["ratio"].is_number() || figure["ratio"].is_null());
    const std::string source = figure["source"].get<std::string>();
    EXPECT_TRUE(source == "simulated" || source == "analytical" || source == "mapping") << source;
    by_figure[figure["figure"].get<std::string>()] = figure;
  }
  for (const Row& row : TableRows(document, "quantity")) {
    if (row.size() < 5 || row[1] == "-") continue;
    SCOPED_TRACE(row[0]);
    ASSERT_TRUE(by_figure.count(row[0]));
    const double shown = Number(row[2]);
    if (!std::isfinite(shown)) continue;
    // The Markdown rounds to three significant digits.
    EXPECT_NEAR(by_figure[row[0]]["cyclops"].get<double>(), shown, 0.006 * std::abs(shown) + 1e-9);
    EXPECT_EQ(by_figure[row[0]]["source"].get<std::string>(), row[4]);
  }
}

// One test, so that the script runs once (ctest runs every test in its own process).
TEST(ReproduceEyeriss, ReducedRunWritesEveryStudyWithSaneFigures) {
  const std::string dir = TempDir("reproduce_eyeriss");
  std::string output;
  ASSERT_EQ(RunCommand("python3 " + SourceDir() + "/scripts/reproduce_eyeriss --reduced --cyclops " +
                           CyclopsBinary() + " --out " + dir + "/eyeriss.md --work " + dir + "/work",
                       &output),
            0)
      << output;
  const std::string document = ReadFile(dir + "/eyeriss.md");
  {
    SCOPED_TRACE("every study");
    CheckEveryStudy(document);
  }
  {
    SCOPED_TRACE("paper rows");
    CheckPaperRows(document);
  }
  {
    SCOPED_TRACE("depth-wise layers");
    CheckDepthWise(document);
  }
  {
    SCOPED_TRACE("sparse networks");
    CheckSparse(document);
  }
  {
    SCOPED_TRACE("coverage and mapper");
    CheckCoverageAndMapper(document);
  }
  {
    SCOPED_TRACE("eyeriss.json");
    CheckJson(ReadFile(dir + "/eyeriss.json"), document);
  }
}

}  // namespace
}  // namespace cyclops::test
