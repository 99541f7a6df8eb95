#include "sim/sweep/results_db.h"

#include <sqlite3.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include "sim/core/output_schema.h"

namespace cyclops::sweep {

namespace {

const char* const kSchemaSql = R"sql(
CREATE TABLE IF NOT EXISTS sweep_meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS points (
  point_key               TEXT PRIMARY KEY,
  point_index             INTEGER NOT NULL,
  parameters              TEXT NOT NULL,
  command                 TEXT NOT NULL,
  status                  TEXT NOT NULL,
  exit_code               INTEGER NOT NULL,
  cycles_simulated        INTEGER,
  cycles_analytical       INTEGER,
  macs                    INTEGER,
  energy_pj_simulated     REAL,
  energy_pj_analytical    REAL,
  top_stall               TEXT,
  top_stall_cycles        INTEGER,
  noc_busiest_utilisation REAL,
  wall_seconds            REAL NOT NULL,
  host                    TEXT NOT NULL,
  message                 TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS point_parameters (
  point_key TEXT NOT NULL,
  position  INTEGER NOT NULL,
  name      TEXT NOT NULL,
  value     TEXT NOT NULL,
  number    REAL,
  PRIMARY KEY (point_key, name)
);
)sql";

const char* const kColumns =
    "point_key, point_index, parameters, command, status, exit_code, cycles_simulated, cycles_analytical, "
    "macs, "
    "energy_pj_simulated, energy_pj_analytical, top_stall, top_stall_cycles, noc_busiest_utilisation, "
    "wall_seconds, host, message";

// A prepared statement that finalises itself.
class Statement {
 public:
  Statement(sqlite3* db, const std::string& sql) {
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &statement_, nullptr) != SQLITE_OK)
      throw std::runtime_error(std::string("sweep database: ") + sqlite3_errmsg(db) + " in: " + sql);
  }
  ~Statement() { sqlite3_finalize(statement_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  void Bind(int at, const std::string& text) {
    sqlite3_bind_text(statement_, at, text.c_str(), -1, SQLITE_TRANSIENT);
  }
  void Bind(int at, int64_t value) { sqlite3_bind_int64(statement_, at, value); }
  void Bind(int at, double value) { sqlite3_bind_double(statement_, at, value); }
  template <typename T>
  void Bind(int at, const std::optional<T>& value) {
    if (value)
      Bind(at, *value);
    else
      sqlite3_bind_null(statement_, at);
  }
  bool Step(sqlite3* db) {
    const int result = sqlite3_step(statement_);
    if (result == SQLITE_ROW) return true;
    if (result != SQLITE_DONE) throw std::runtime_error(std::string("sweep database: ") + sqlite3_errmsg(db));
    return false;
  }
  std::string Text(int column) const {
    const unsigned char* text = sqlite3_column_text(statement_, column);
    return text ? reinterpret_cast<const char*>(text) : "";
  }
  bool IsNull(int column) const { return sqlite3_column_type(statement_, column) == SQLITE_NULL; }
  std::optional<int64_t> Int(int column) const {
    return IsNull(column) ? std::nullopt : std::optional<int64_t>(sqlite3_column_int64(statement_, column));
  }
  std::optional<double> Real(int column) const {
    return IsNull(column) ? std::nullopt : std::optional<double>(sqlite3_column_double(statement_, column));
  }

 private:
  sqlite3_stmt* statement_ = nullptr;
};

std::optional<double> AsNumber(const std::string& text) {
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  return *end == '\0' ? std::optional<double>(value) : std::nullopt;
}

}  // namespace

ResultsDb::ResultsDb(const std::string& path) : path_(path) {
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent);
  if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) {
    const std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    throw std::runtime_error("cannot open the sweep database " + path + ": " + message);
  }
  sqlite3_busy_timeout(db_, 30000);
  Execute(kSchemaSql);
  Statement schema(db_, "SELECT value FROM sweep_meta WHERE key = 'schema'");
  if (schema.Step(db_)) {
    const std::string expected =
        std::string(kSweepDatabaseSchema.name) + "/" + std::to_string(kSweepDatabaseSchema.version);
    if (schema.Text(0) != expected)
      throw std::runtime_error(path + " holds schema " + schema.Text(0) + ", not " + expected);
  } else {
    SetMeta("schema",
            std::string(kSweepDatabaseSchema.name) + "/" + std::to_string(kSweepDatabaseSchema.version));
  }
}

ResultsDb::~ResultsDb() {
  sqlite3_close(db_);
}

void ResultsDb::Execute(const std::string& sql) const {
  char* error = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    const std::string message = error ? error : "unknown error";
    sqlite3_free(error);
    throw std::runtime_error("sweep database " + path_ + ": " + message);
  }
}

void ResultsDb::SetMeta(const std::string& key, const std::string& value) {
  std::lock_guard<std::mutex> lock(mutex_);
  Statement insert(db_, "INSERT OR IGNORE INTO sweep_meta (key, value) VALUES (?, ?)");
  insert.Bind(1, key);
  insert.Bind(2, value);
  insert.Step(db_);
}

std::set<std::string> ResultsDb::Keys(bool ok_only) const {
  std::lock_guard<std::mutex> lock(mutex_);
  Statement select(db_,
                   std::string("SELECT point_key FROM points") + (ok_only ? " WHERE status = 'ok'" : ""));
  std::set<std::string> keys;
  while (select.Step(db_)) keys.insert(select.Text(0));
  return keys;
}

void ResultsDb::Put(const PointRow& row) {
  std::lock_guard<std::mutex> lock(mutex_);
  Execute("BEGIN IMMEDIATE");
  try {
    Statement insert(db_, std::string("INSERT OR REPLACE INTO points (") + kColumns +
                              ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    insert.Bind(1, row.key);
    insert.Bind(2, row.index);
    insert.Bind(3, row.ParametersJson());
    insert.Bind(4, row.command);
    insert.Bind(5, row.status);
    insert.Bind(6, static_cast<int64_t>(row.exit_code));
    insert.Bind(7, row.cycles_simulated);
    insert.Bind(8, row.cycles_analytical);
    insert.Bind(9, row.macs);
    insert.Bind(10, row.energy_pj_simulated);
    insert.Bind(11, row.energy_pj_analytical);
    insert.Bind(12, row.top_stall);
    insert.Bind(13, row.top_stall_cycles);
    insert.Bind(14, row.noc_busiest_utilisation);
    insert.Bind(15, row.wall_seconds);
    insert.Bind(16, row.host);
    insert.Bind(17, row.message);
    insert.Step(db_);
    Statement clear(db_, "DELETE FROM point_parameters WHERE point_key = ?");
    clear.Bind(1, row.key);
    clear.Step(db_);
    for (size_t i = 0; i < row.parameters.size(); ++i) {
      Statement parameter(db_,
                          "INSERT INTO point_parameters (point_key, position, name, value, number) "
                          "VALUES (?, ?, ?, ?, ?)");
      parameter.Bind(1, row.key);
      parameter.Bind(2, static_cast<int64_t>(i));
      parameter.Bind(3, row.parameters[i].first);
      parameter.Bind(4, row.parameters[i].second);
      parameter.Bind(5, AsNumber(row.parameters[i].second));
      parameter.Step(db_);
    }
    Execute("COMMIT");
  } catch (...) {
    Execute("ROLLBACK");
    throw;
  }
}

int ResultsDb::Merge(const std::string& other_path) {
  {
    ResultsDb other(other_path);  // checks its schema
  }
  std::lock_guard<std::mutex> lock(mutex_);
  Statement attach(db_, "ATTACH DATABASE ? AS other");
  attach.Bind(1, other_path);
  attach.Step(db_);
  int added = 0;
  try {
    Execute("BEGIN IMMEDIATE");
    Execute(std::string("INSERT OR IGNORE INTO points (") + kColumns + ") SELECT " + kColumns +
            " FROM other.points");
    added = sqlite3_changes(db_);
    Execute("INSERT OR IGNORE INTO point_parameters SELECT * FROM other.point_parameters");
    Execute("COMMIT");
  } catch (...) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    Execute("DETACH DATABASE other");
    throw;
  }
  Execute("DETACH DATABASE other");
  return added;
}

std::vector<PointRow> ResultsDb::Rows() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<PointRow> rows;
  Statement select(db_, std::string("SELECT ") + kColumns + " FROM points ORDER BY point_index, point_key");
  while (select.Step(db_)) {
    PointRow row;
    row.key = select.Text(0);
    row.index = *select.Int(1);
    row.command = select.Text(3);
    row.status = select.Text(4);
    row.exit_code = static_cast<int>(*select.Int(5));
    row.cycles_simulated = select.Int(6);
    row.cycles_analytical = select.Int(7);
    row.macs = select.Int(8);
    row.energy_pj_simulated = select.Real(9);
    row.energy_pj_analytical = select.Real(10);
    if (!select.IsNull(11)) row.top_stall = select.Text(11);
    row.top_stall_cycles = select.Int(12);
    row.noc_busiest_utilisation = select.Real(13);
    row.wall_seconds = *select.Real(14);
    row.host = select.Text(15);
    row.message = select.Text(16);
    rows.push_back(std::move(row));
  }
  for (PointRow& row : rows) {
    Statement parameters(db_,
                         "SELECT name, value FROM point_parameters WHERE point_key = ? ORDER BY position");
    parameters.Bind(1, row.key);
    while (parameters.Step(db_)) row.parameters.emplace_back(parameters.Text(0), parameters.Text(1));
  }
  return rows;
}

}  // namespace cyclops::sweep
