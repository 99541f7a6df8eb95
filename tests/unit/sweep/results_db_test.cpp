// The sweep database (sim/sweep/results_db): rows go in and come back whole, replace by key, and a file of
// another schema is refused.
#include "sim/sweep/results_db.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>

#include "tests/support/paths.h"

namespace cyclops::sweep {
namespace {

PointRow Row(const std::string& key, int64_t index, const std::string& status) {
  PointRow row;
  row.key = key;
  row.index = index;
  row.parameters = {{"architecture.glb.depth", "6400"}, {"workload", "dw13.yaml"}};
  row.command = "run";
  row.status = status;
  row.exit_code = status == "ok" ? 0 : 3;
  row.cycles_simulated = 203248;
  row.cycles_analytical = 118614;
  row.energy_pj_simulated = 32.5e6;
  row.top_stall = "Inputs: network";
  row.top_stall_cycles = 189357;
  row.wall_seconds = 1.25;
  row.host = "node7";
  return row;
}

TEST(ResultsDb, RowsRoundTripAndReplaceByKey) {
  const std::string dir = test::TempDir("results_db");
  {
    ResultsDb db(dir + "/sweep.sqlite");
    db.Put(Row("b", 1, "failed"));
    db.Put(Row("a", 0, "ok"));
    EXPECT_EQ(db.Keys(false), (std::set<std::string>{"a", "b"}));
    EXPECT_EQ(db.Keys(true), (std::set<std::string>{"a"}));
  }
  ResultsDb reopened(dir + "/sweep.sqlite");
  reopened.Put(Row("b", 1, "ok"));  // a failed point run again
  const std::vector<PointRow> rows = reopened.Rows();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].key, "a");  // by index
  EXPECT_EQ(rows[1].status, "ok");
  EXPECT_EQ(rows[0].parameters, Row("a", 0, "ok").parameters);
  EXPECT_EQ(rows[0].cycles_simulated, 203248);
  EXPECT_FALSE(rows[0].macs.has_value());  // NULL stays absent
  EXPECT_EQ(rows[0].top_stall, "Inputs: network");
  EXPECT_EQ(rows[0].ParametersJson(), R"({"architecture.glb.depth":"6400","workload":"dw13.yaml"})");
  // The parameters table holds numbers as numbers, for SQL.
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open((dir + "/sweep.sqlite").c_str(), &raw), SQLITE_OK);
  sqlite3_stmt* statement = nullptr;
  sqlite3_prepare_v2(raw, "SELECT SUM(number) FROM point_parameters WHERE name = 'architecture.glb.depth'",
                     -1, &statement, nullptr);
  ASSERT_EQ(sqlite3_step(statement), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_double(statement, 0), 2 * 6400.0);
  sqlite3_finalize(statement);
  sqlite3_close(raw);
}

TEST(ResultsDb, RowLinesRoundTrip) {
  const PointRow row = Row("k", 4, "ok");
  const PointRow back = RowFromJson(RowJson(row));
  EXPECT_EQ(back.key, "k");
  EXPECT_EQ(back.parameters, row.parameters);
  EXPECT_EQ(back.energy_pj_simulated, 32.5e6);
  EXPECT_EQ(back.host, "node7");
  EXPECT_THROW(RowFromJson(R"({"schema": {"name": "cyclops.stats", "version": 1}})"), std::runtime_error);
  EXPECT_THROW(RowFromJson("not json"), std::runtime_error);
}

TEST(ResultsDb, AnotherSchemaIsRefused) {
  const std::string dir = test::TempDir("results_db_schema");
  std::filesystem::create_directories(dir);
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open((dir + "/other.sqlite").c_str(), &raw), SQLITE_OK);
  sqlite3_exec(raw,
               "CREATE TABLE sweep_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
               "INSERT INTO sweep_meta VALUES ('schema', 'cyclops.sweep-db/99');",
               nullptr, nullptr, nullptr);
  sqlite3_close(raw);
  EXPECT_THROW(ResultsDb(dir + "/other.sqlite"), std::runtime_error);
}

}  // namespace
}  // namespace cyclops::sweep
