// Reads a sweep file (`cyclops sweep SWEEP.yaml`; the format is in configs/sweeps/README.md) into a
// SweepSpec, strictly: unknown keys, key paths that address nothing Cyclops can sweep, empty or malformed
// value lists and ranges, zips of unequal length and missing files are SpecErrors naming file, line,
// column and key path. Whether a key path exists in the base spec files is checked when the points are
// built (spec_patch.h), at the parameter's location.
#pragma once

#include <string>

#include "sim/spec/sweep_spec.h"

namespace cyclops::spec {

SweepSpec LoadSweepFile(const std::string& path);
// Same, from text; relative file paths resolve against `base_dir`.
SweepSpec LoadSweepDocument(const std::string& name, const std::string& text, const std::string& base_dir);

}  // namespace cyclops::spec
