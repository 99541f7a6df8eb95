#include "sim/cli/trace_options.h"

#include <CLI/CLI.hpp>
#include <charconv>
#include <iostream>

#include "sim/core/error.h"

namespace cyclops::cli {

namespace {

bool ParseCycle(const std::string& text, uint64_t& value) {
  const char* end = text.data() + text.size();
  auto [at, error] = std::from_chars(text.data(), end, value);
  return !text.empty() && error == std::errc() && at == end;
}

}  // namespace

void TraceRequest::AddOptions(CLI::App& command) {
  command.add_option("--trace", file,
                     "Write the run's timeline as Chrome trace-event JSON (open it in ui.perfetto.dev)");
  command.add_option("--trace-window", window,
                     "START:END: keep only cycles START (inclusive) to END (exclusive) in the trace");
  max_events_option =
      command
          .add_option(
              "--trace-max-events", max_events,
              "At most this many trace events; later ones are dropped and the trace says so (default " +
                  std::to_string(trace::TraceOptions::kDefaultMaxEvents) + ")")
          ->check(CLI::PositiveNumber);
  command.add_flag("--trace-per-pe", per_pe,
                   "A track per PE (bursts, stalls by cause) and per multicast group's fill, instead of "
                   "per-cluster counters");
}

std::unique_ptr<trace::TraceRecorder> TraceRequest::MakeRecorder() const {
  if (file.empty()) {
    const bool cap = max_events_option && max_events_option->count() > 0;
    if (!window.empty() || per_pe || cap)
      throw SpecError({"", 0, 0,
                       !window.empty() ? "--trace-window"
                       : per_pe        ? "--trace-per-pe"
                                       : "--trace-max-events"},
                      "is a trace option but no trace is written", "--trace FILE beside it");
    return nullptr;
  }
  trace::TraceOptions options;
  options.max_events = max_events;
  options.per_pe = per_pe;
  if (!window.empty()) {
    const size_t colon = window.find(':');
    uint64_t begin = 0, end = 0;
    if (colon == std::string::npos || !ParseCycle(window.substr(0, colon), begin) ||
        !ParseCycle(window.substr(colon + 1), end) || end <= begin)
      throw SpecError({"", 0, 0, "--trace-window"}, "'" + window + "' is not a window of cycles",
                      "START:END with whole cycles, START < END (e.g. 0:10000)");
    options.window_begin = begin;
    options.window_end = end;
  }
  return std::make_unique<trace::TraceRecorder>(options);
}

void TraceRequest::Finish(const trace::TraceRecorder& recorder) const {
  recorder.Write(file);
  std::cout << "  wrote " << file << " (" << recorder.events()
            << " trace events; open it in ui.perfetto.dev)\n";
  if (recorder.truncated())
    std::cerr << "warning: the trace reached --trace-max-events " << max_events << ": " << recorder.dropped()
              << " events from cycle " << recorder.first_dropped_at()
              << " on were dropped (the trace's metadata says so); narrow --trace-window or raise the cap\n";
}

}  // namespace cyclops::cli
