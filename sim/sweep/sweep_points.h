// The design points of a sweep: the cartesian product of its axes (a zip's parameters vary together),
// the first axis varying slowest, and what each point runs on — its spec documents (the base files with the
// point's values set, plus file-slot values), the `cyclops map` step when the files hold no mapping, and the
// command line. A point's key hashes everything that decides its result (command, options, every input
// file's text), so a point already in the results database is recognised whatever its index, and a changed
// base file makes every point new.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "sim/spec/spec_patch.h"
#include "sim/spec/sweep_spec.h"

namespace cyclops::sweep {

struct PointAssignment {
  const spec::SweepParameter* parameter = nullptr;
  std::string value;  // as written (files: the resolved path)
};

struct SweepPoint {
  size_t index = 0;
  std::vector<PointAssignment> assignments;  // in the sweep's parameter order

  // (key, value) pairs in parameter order; file values by file name.
  std::vector<std::pair<std::string, std::string>> Parameters() const;
  std::string Label() const;  // "architecture.glb.depth=6400 noc.iact_width_bits=16 workload=dw13.yaml"
};

// Everything one point runs on, before any file is written.
struct PointInputs {
  std::vector<spec::PatchedDocument> documents;  // spec files in order; unchanged ones keep their path
  std::string network_file;                      // command network
  bool map_first = false;                        // no mapping among the documents: `cyclops map` first
  std::vector<std::string> map_options;          // --objective, --seed, [--evaluations], --threads 1
  std::vector<std::string> options;              // the sweep's options and option.* values
  std::string key;                               // 16 hex digits
};

class Sweep {
 public:
  explicit Sweep(spec::SweepSpec spec);  // reads the base files (SpecError when one cannot be read)

  const spec::SweepSpec& spec() const { return spec_; }
  size_t size() const { return spec_.PointCount(); }
  SweepPoint Point(size_t index) const;
  // Applies the point's values and loads the result in this process, so that a bad value is a SpecError
  // now (naming the point) rather than a failed child run later.
  PointInputs Inputs(const SweepPoint& point) const;

 private:
  spec::SweepSpec spec_;
  std::vector<spec::SpecDocument> base_;  // the base files' text, read once
};

// FNV-1a, 64 bits, as 16 hex digits: stable across runs and machines.
std::string HashHex(const std::string& text);

}  // namespace cyclops::sweep
