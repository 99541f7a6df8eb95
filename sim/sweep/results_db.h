// The sweep's SQLite database: one row per design point (table `points`), its parameters also one row each
// (table `point_parameters`, for SQL that filters or groups by a parameter), and what wrote it (table
// `sweep_meta`: schema name and version, sweep name, command). The schema is in sim/sweep/README.md.
// A row is written in one transaction, so an interrupted sweep leaves only whole rows behind.
// Thread-safe: one connection, used under a mutex.
#pragma once

#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "sim/sweep/point_row.h"

struct sqlite3;

namespace cyclops::sweep {

class ResultsDb {
 public:
  // Opens or creates `path` (and its folder). std::runtime_error naming the file when it cannot be opened,
  // or when it holds another schema.
  explicit ResultsDb(const std::string& path);
  ~ResultsDb();
  ResultsDb(const ResultsDb&) = delete;
  ResultsDb& operator=(const ResultsDb&) = delete;

  const std::string& path() const { return path_; }
  // Records what the database holds a sweep of (the first writer's values stay).
  void SetMeta(const std::string& key, const std::string& value);
  // Keys of the points stored; `ok_only` leaves out failed points (to run them again).
  std::set<std::string> Keys(bool ok_only) const;
  // Inserts or replaces the point's row and its parameters.
  void Put(const PointRow& row);
  // Copies every row of another sweep database that this one lacks; returns how many.
  int Merge(const std::string& other_path);
  // Every row, ordered by point index.
  std::vector<PointRow> Rows() const;

 private:
  void Execute(const std::string& sql) const;

  std::string path_;
  sqlite3* db_ = nullptr;
  mutable std::mutex mutex_;
};

}  // namespace cyclops::sweep
