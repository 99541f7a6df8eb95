// Acceptance test of the sparse analytical model: every Sparseloop reference case in
// ../shared/reference/sparseloop/ (each folder with a ref_outputs/*/ report) goes through `cyclops analyze`
// as a user runs it, and analysis.json is compared with Sparseloop's own report: per level and data space
// the algorithmic, actual, gated and skipped reads, fills and updates, the metadata (format) accesses per
// rank, capacities, utilized instances, temporal reductions and address generations exactly; cycles
// exactly; energy per data space, leakage, compute energy and the total within 0.5 %. Expected values come
// only from the case's stats.txt.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "tests/support/paths.h"
#include "tests/system/sparseloop/sparseloop_stats.h"

namespace cyclops::test {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> AllCases() {
  std::vector<std::string> cases;
  const fs::path root = fs::path(ReferenceDir()) / "sparseloop";
  if (!fs::exists(root)) return cases;
  for (const auto& entry : fs::directory_iterator(root)) {
    const fs::path outputs = entry.path() / "ref_outputs";
    if (!entry.is_directory() || !fs::exists(outputs)) continue;
    for (const auto& problem : fs::directory_iterator(outputs))
      if (fs::exists(problem.path() / "timeloop-mapper.stats.txt") ||
          fs::exists(problem.path() / "timeloop-model.stats.txt"))
        cases.push_back(fs::relative(problem.path(), root).string());
  }
  std::sort(cases.begin(), cases.end());
  return cases;
}

std::string CaseName(const testing::TestParamInfo<std::string>& info) {
  std::string name = info.param.substr(0, info.param.find('/'));
  for (char& c : name)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return name;
}

void ExpectWithin(double expected, double actual, const std::string& what) {
  // The report prints two decimals; 0.5 % beyond that.
  EXPECT_LE(std::abs(actual - expected), 0.005 * std::abs(expected) + 0.01)
      << what << ": expected " << expected << ", got " << actual;
}

// [[metadata, payload], ...] per rank, innermost first (analysis.json) as the report's pairs.
SparseloopRanks Ranks(const nlohmann::json& list) {
  SparseloopRanks ranks;
  for (const auto& rank : list) ranks.push_back({rank[0].get<int64_t>(), rank[1].get<int64_t>()});
  return ranks;
}

// One data space of one level: analysis.json's entry against the report's.
void CompareDataSpace(const nlohmann::json& actual, const SparseloopDataSpaceStats& want,
                      const std::string& where) {
  const bool sparse = actual.contains("actual_reads_per_instance");
  EXPECT_EQ(actual["partition_size"].get<int64_t>(), want.partition_size) << where;
  EXPECT_EQ(actual["utilized_capacity"].get<int64_t>(), want.tile_shape) << where;
  EXPECT_EQ((sparse ? actual["max_occupancy"] : actual["utilized_capacity"]).get<int64_t>(),
            want.max_data_capacity)
      << where;
  EXPECT_EQ(sparse ? actual["format"].get<std::string>() : std::string("none"), want.format) << where;
  EXPECT_EQ(actual["utilized_instances"].get<int64_t>(), want.utilized_instances) << where;
  if (sparse)
    EXPECT_NEAR(actual["average_utilized_instances"].get<double>(), want.average_utilized_instances, 0.005)
        << where;
  for (const char* action : {"reads", "fills", "updates"}) {
    const int64_t algorithmic = actual[std::string(action) + "_per_instance"].get<int64_t>();
    EXPECT_EQ(algorithmic, want.counts.at(std::string("Algorithmic ") + action)) << where << " " << action;
    for (const char* kind : {"actual", "gated", "skipped"}) {
      std::string report_kind = kind;
      report_kind[0] = static_cast<char>(std::toupper(report_kind[0]));
      const std::string key = std::string(kind) + "_" + action + "_per_instance";
      const int64_t count =
          sparse ? actual[key].get<int64_t>() : (std::string(kind) == "actual" ? algorithmic : 0);
      EXPECT_EQ(count, want.counts.at(report_kind + " " + action)) << where << " " << kind << " " << action;
      if (want.format == "none") continue;
      // Sparseloop prints 0 for an action that moves no metadata bits, else the units per rank.
      const nlohmann::json& metadata = actual["metadata"][std::string(action) + "_per_instance"];
      const SparseloopRanks& expected = want.format_counts.at(report_kind + " " + action);
      if (expected.empty()) {
        EXPECT_EQ(metadata[std::string(kind) + "_bits"].get<int64_t>(), 0) << where << " metadata " << key;
      } else {
        EXPECT_EQ(Ranks(metadata[kind]), expected) << where << " metadata " << key;
      }
    }
  }
  if (want.format != "none")
    EXPECT_EQ(Ranks(actual["metadata"]["max_occupancy"]), want.max_format_capacity) << where;
  EXPECT_EQ(actual["temporal_reductions_per_instance"].get<int64_t>(), want.temporal_reductions) << where;
  EXPECT_EQ(actual["address_generations_per_cluster"].get<int64_t>(), want.address_generations) << where;
  ExpectWithin(want.energy_total_pj, actual["energy_total_pj"].get<double>(), where + " energy");
}

class SparseloopReferenceTest : public testing::TestWithParam<std::string> {};

TEST_P(SparseloopReferenceTest, AnalyzeMatchesSparseloopReport) {
  const fs::path folder = fs::path(ReferenceDir()) / "sparseloop" / GetParam();
  const bool mapper = fs::exists(folder / "timeloop-mapper.stats.txt");
  const std::string tool = mapper ? "timeloop-mapper" : "timeloop-model";
  std::string files = (folder / "parsed-processed-input.yaml").string();
  if (mapper) files += " " + (folder / "timeloop-mapper.map.yaml").string();
  files += " " + (folder / (tool + ".ERT.yaml")).string();
  const std::string out = TempDir("sparseloop_" + CaseName({GetParam(), 0}));
  std::string output;
  ASSERT_EQ(RunCommand(CyclopsBinary() + " analyze " + files + " --out " + out, &output), 0) << output;
  const nlohmann::json json = nlohmann::json::parse(ReadFile(out + "/analysis.json"));
  const SparseloopStats want = ReadSparseloopStats((folder / (tool + ".stats.txt")).string());

  EXPECT_EQ(json["summary"]["cycles"].get<int64_t>(), want.cycles);
  const nlohmann::json& mac = json["arithmetic"];
  const bool sparse = mac.contains("actual_computes");
  EXPECT_EQ(mac["computes"].get<int64_t>(), want.algorithmic_computes);
  EXPECT_EQ((sparse ? mac["actual_computes"] : mac["computes"]).get<int64_t>(), want.actual_computes);
  EXPECT_EQ(sparse ? mac["gated_computes"].get<int64_t>() : 0, want.gated_computes);
  EXPECT_EQ(sparse ? mac["skipped_computes"].get<int64_t>() : 0, want.skipped_computes);
  EXPECT_EQ(mac["utilized_instances"].get<int64_t>(), want.arithmetic_utilized_instances);
  EXPECT_EQ(mac["cycles"].get<int64_t>(), want.arithmetic_cycles);
  ExpectWithin(want.arithmetic_energy_pj, mac["energy_pj"].get<double>(), "compute energy");
  // The report rounds the total to 0.01 uJ; fJ per actual compute carries more digits.
  const double total_pj = json["summary"]["energy_pj"].get<double>();
  EXPECT_NEAR(total_pj * 1e-6, want.energy_uj, 0.005 * want.energy_uj + 0.005) << "total energy (uJ)";
  ExpectWithin(want.fj_per_actual_compute * 1e-3 * static_cast<double>(want.actual_computes), total_pj,
               "total energy (pJ)");

  for (const auto& level : json["storage_levels"]) {
    const std::string name = level["name"];
    const auto want_level = want.levels.find(name);
    if (want_level == want.levels.end()) {  // Sparseloop does not report fan-out points
      EXPECT_TRUE(level["data_spaces"].empty()) << name << " missing from Sparseloop's report";
      continue;
    }
    if (sparse) EXPECT_EQ(level["cycles"].get<int64_t>(), want_level->second.cycles) << name;
    ExpectWithin(want_level->second.leakage_energy_pj, level["leakage_energy_pj"].get<double>(),
                 name + " leakage");
    size_t kept = 0;
    for (const auto& [space, counts] : level["data_spaces"].items()) {
      ++kept;
      const auto want_space = want_level->second.data_spaces.find(space);
      ASSERT_NE(want_space, want_level->second.data_spaces.end())
          << name << "/" << space << " not kept by Sparseloop";
      CompareDataSpace(counts, want_space->second, name + "/" + space);
    }
    EXPECT_EQ(kept, want_level->second.data_spaces.size()) << name;
  }
}

INSTANTIATE_TEST_SUITE_P(AllCases, SparseloopReferenceTest, testing::ValuesIn(AllCases()), CaseName);

}  // namespace
}  // namespace cyclops::test
