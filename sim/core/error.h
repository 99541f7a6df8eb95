// Errors that reach the user. Every user-facing failure is one of these, so the CLI can map it to an
// exit status and print one clear message instead of crashing.
#pragma once

#include <stdexcept>
#include <string>

namespace cyclops {

// Where a value came from in a spec file. line/column are 1-based; 0 means "not known".
struct SourceLocation {
  std::string file;
  int line = 0;
  int column = 0;
  std::string key_path;  // e.g. "mapping[3].factors"

  std::string ToString() const;  // "file:line:col" (parts omitted when unknown)
};

// Bad input: a spec that does not parse, names something unknown, or cannot fit the hardware.
// Exit status 2.
class SpecError : public std::runtime_error {
 public:
  SpecError(SourceLocation where, std::string what_is_wrong, std::string what_is_valid = {});
  const SourceLocation& where() const { return where_; }
  const std::string& problem() const { return problem_; }
  const std::string& valid() const { return valid_; }

 private:
  SourceLocation where_;
  std::string problem_;
  std::string valid_;
};

// The simulation produced outputs that differ from the reference kernel. Exit status 3.
class OutputMismatchError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The simulation stopped making progress (watchdog) or hit an internal limit. Exit status 4.
class SimulationError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace cyclops
