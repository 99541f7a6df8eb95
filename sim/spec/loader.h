// The spec loader: the only place that reads YAML (DESIGN.md decision 2).
// Files are Timeloop v0.4 (architecture `nodes` with !Container/!Component/!Parallel tags, or the
// `subtree`/`local` form Timeloop's front end dumps), `problem`, `mapping`, Accelergy `ERT`, and the
// Cyclops-only `cyclops` key. Several files may be given; their top-level keys merge.
// Every problem throws cyclops::SpecError naming file, line, column, key path and what would be valid.
#pragma once

#include <string>
#include <vector>

#include "sim/spec/specs.h"

namespace cyclops::spec {

// Reads and merges the files, then builds and validates the typed specs.
Spec LoadSpecFiles(const std::vector<std::string>& paths);

// Same, from in-memory documents (name, text); for tests and tools.
struct SpecDocument {
  std::string name;
  std::string text;
};
Spec LoadSpecDocuments(const std::vector<SpecDocument>& documents);

}  // namespace cyclops::spec
