// The `--trace FILE` options `cyclops run` and `cyclops network` share (sim/trace): which file, the cycle
// window, the event cap and per-PE detail; and writing the trace at the end with a warning when the cap cut
// it short (the trace's metadata says so too).
#pragma once

#include <memory>
#include <string>

#include "sim/trace/trace_recorder.h"

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace cyclops::cli {

struct TraceRequest {
  std::string file;    // empty: no trace
  std::string window;  // "START:END" in cycles, END exclusive; empty: everything
  uint64_t max_events = trace::TraceOptions::kDefaultMaxEvents;
  bool per_pe = false;
  const CLI::Option* max_events_option = nullptr;  // to tell a given cap from the default

  void AddOptions(CLI::App& command);
  // A recorder for the request (null when no trace is asked for). SpecError naming the option for a window
  // that is not START:END with START < END.
  std::unique_ptr<trace::TraceRecorder> MakeRecorder() const;
  // Writes the trace whole (sim/core/atomic_file.h), says where, and warns when events were dropped.
  void Finish(const trace::TraceRecorder& recorder) const;
};

}  // namespace cyclops::cli
