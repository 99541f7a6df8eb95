// Runs one design point as child `cyclops` processes (SystemC elaborates once per process, and a changed
// architecture needs its own anyway): writes the point's changed spec files into
// OUT/points/<key>/spec/, maps first when the files hold no mapping (`cyclops map`), runs the sweep's
// command with `--out OUT/points/<key>/out`, and reads the figures back from what that wrote
// (summary.json, analysis.json or network.json). Each step's output is in OUT/points/<key>/<step>.log.
#pragma once

#include <string>

#include "sim/sweep/point_row.h"
#include "sim/sweep/sweep_points.h"

namespace cyclops::sweep {

struct PointRunOptions {
  std::string self;     // the cyclops executable
  std::string out_dir;  // the sweep's folder
};

// The point's row. Status "ok" when every step exited 0, "failed" (with the step's exit status and the end
// of its log) otherwise, "interrupted" when a step was killed by SIGINT, SIGTERM, SIGHUP or SIGKILL — a row
// that must not be stored, so that the point runs again next time.
PointRow RunPoint(const Sweep& sweep, size_t index, const PointRunOptions& options);

// The host name, for rows.
std::string HostName();

}  // namespace cyclops::sweep
