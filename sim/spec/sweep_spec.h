// The typed sweep description: what `cyclops sweep SWEEP.yaml` reads (sim/spec/sweep_loader) and
// sim/sweep runs. A sweep names the base spec files, what to run on them, and parameters — spec key paths
// with their values — whose cartesian product (zips vary together) is the set of design points.
// Plain data, already validated; the key-path grammar is in configs/sweeps/README.md.
#pragma once

#include <string>
#include <vector>

#include "sim/core/error.h"

namespace cyclops::spec {

// What a parameter's key path addresses.
enum class SweepKeyKind {
  kArchitectureAttribute,  // architecture.<component>.<attribute> or .spatial.meshX|meshY
  kNocParam,               // noc.<param> (architecture.noc.params) or noc.topology
  kSpecPath,               // problem.<path> or cyclops.<setting>: a map path inside that top-level key
  kFile,                   // architecture, workload, mapping, energy, network: a file per value
  kMapper,                 // mapper.objective|evaluations|seed: the `cyclops map` step of each point
  kOption,                 // option.<name>: `--<name> VALUE` on every point's command line
};

struct SweepValue {
  std::string text;  // as written; for kFile, the path resolved against the sweep file's folder
  SourceLocation where;
};

struct SweepParameter {
  std::string key;  // the key path as written, e.g. "architecture.glb.depth"
  SweepKeyKind kind = SweepKeyKind::kSpecPath;
  std::vector<std::string> path;  // the key split at '.'
  std::vector<SweepValue> values;
  SourceLocation where;  // the key in the sweep file
};

// One dimension of the cartesian product: a single parameter, or several zipped (equal-length lists).
struct SweepAxis {
  std::vector<SweepParameter> parameters;
  size_t size() const { return parameters.front().values.size(); }
};

struct SweepSpec {
  std::string file;                  // the sweep file as given
  std::string name;                  // `name:`, else the file's stem
  std::string command;               // analyze, run or network
  std::vector<std::string> files;    // base spec files (for network: the --arch files), resolved
  std::string network;               // command network: the network file, unless a `network` parameter
  std::vector<std::string> options;  // passed to every point's command as they are
  std::vector<SweepAxis> axes;       // outermost first: the first axis varies slowest
  SourceLocation where;

  size_t PointCount() const {
    size_t count = 1;
    for (const SweepAxis& axis : axes) count *= axis.size();
    return count;
  }
};

}  // namespace cyclops::spec
