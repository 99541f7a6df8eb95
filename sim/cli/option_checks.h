// Checks for numeric command-line options that CLI11's own validators let through: CLI::PositiveNumber
// accepts "nan" (no comparison with NaN is true), which made `--bus-width nan` run and end in a false
// watchdog stop. A failed check is a usage error (exit status 1) naming the option and what is valid.
#pragma once

#include <CLI/CLI.hpp>

namespace cyclops::cli {

// A finite number >= minimum.
CLI::Validator FiniteAtLeast(double minimum);

}  // namespace cyclops::cli
