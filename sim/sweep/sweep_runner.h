// `cyclops sweep`: works out which points the database lacks, hands them to a backend, stores every row as
// it comes back, and prints a line per point and a table at the end. A point already in the database (same
// key: same command, options and input files) is not run again, so an interrupted sweep resumes; failed
// points are kept too unless `retry_failed`. Also the two worker entry points the backends start.
#pragma once

#include <ostream>
#include <string>

#include "sim/sweep/sweep_backend.h"
#include "sim/sweep/sweep_points.h"

namespace cyclops::sweep {

struct SweepRunOptions {
  std::string backend = "local";
  BackendOptions backend_options;
  std::string sweep_file;  // as given
  std::string out_dir;     // points' folders, backends' files
  std::string db_path;     // empty: OUT/sweep.sqlite
  std::string self;        // the cyclops executable
  bool retry_failed = false;
};

// Exit status: 0 when every point has an "ok" row, else the first failed point's exit status (1 when
// points are missing, e.g. interrupted). SpecError on a bad point, std::runtime_error when a backend fails.
int RunSweep(const Sweep& sweep, const SweepRunOptions& options, std::ostream& out);

// Worker for `parallel`: runs point `index` and prints its row line (kRowMarker + JSON) on `out`.
void RunWorkerPoint(const Sweep& sweep, const SweepRunOptions& options, size_t index, std::ostream& out);

// Worker for a Slurm task: runs the points listed in `chunk_file` (one index a line), `jobs` at a time,
// storing each row in the database `chunk_db`.
void RunWorkerChunk(const Sweep& sweep, const SweepRunOptions& options, const std::string& chunk_file,
                    const std::string& chunk_db);

}  // namespace cyclops::sweep
