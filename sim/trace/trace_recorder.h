// A timeline of one run for Perfetto's UI (ui.perfetto.dev) and chrome://tracing: Chrome's trace-event JSON
// (object form). Plain C++, no SystemC: the blocks that own a timing fact record it here when they compute
// it (a PE's burst, a fill's transfer, a link's busy cycles), through a pointer that is null when no trace
// was asked for — so without --trace the cost is one null check per hook.
//
// What the viewer sees:
//   - a group ("process") per block — a PE cluster, a storage level, the NoC — named by its instance name,
//     holding tracks ("threads") of slices and counter tracks;
//   - a track's slices never overlap (the viewers drop or mangle slices of one thread that overlap without
//     nesting): a slice that would overlap the track's earlier ones goes on the track's next lane, a track
//     of its own named "<track> (lane k)";
//   - counters are step functions; AddToCounter() adds an amount over [begin, end) (e.g. one more busy PE),
//     so a counter is the sum of every interval recorded on it, emitted sorted by time at the end.
// Time: one accelerator cycle is one microsecond of trace time (the format's unit), so every timestamp is
// an integer and reads exactly in both viewers.
//
// Bounds: only what lies in the window [window_begin, window_end) is kept (slices are clipped to it). At most
// max_events events are kept; what comes after is dropped and counted, and the trace says so in its
// metadata (`otherData.truncated`, `events_dropped`, `first_dropped_at_cycle`) and with an instant event.
// Deterministic: the same recording calls give byte-identical text.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <limits>
#include <map>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

namespace cyclops::trace {

struct TraceOptions {
  static constexpr uint64_t kDefaultMaxEvents = 500000;  // about 50 MB of JSON
  uint64_t window_begin = 0;                             // cycles
  uint64_t window_end = std::numeric_limits<uint64_t>::max();
  uint64_t max_events = kDefaultMaxEvents;
  bool per_pe = false;  // a track per PE (and per multicast group's fill), not one aggregate per cluster
};

// One integer argument of a slice ("macs", "words", ...), shown when the slice is selected.
struct TraceArg {
  const char* key = nullptr;  // a string literal
  int64_t value = 0;
};

class TraceRecorder {
 public:
  explicit TraceRecorder(TraceOptions options);
  const TraceOptions& options() const { return options_; }

  // A group of tracks; the same name gives the same group.
  int Group(const std::string& name);
  // A slice track in `group`; the same (group, name) gives the same track.
  int Track(int group, const std::string& name);
  // A counter track in `group`: Perfetto shows it as "<name> <series>", chrome://tracing as series
  // `series` of counter `name` (series of one name stack).
  int Counter(int group, const std::string& name, const std::string& series);
  // What a track stands for, beyond its name (e.g. the links a NoC port drives): otherData.tracks.
  void Describe(int track, const std::string& text);
  // An interned slice name.
  int Name(const std::string& name);

  // Slice [begin, end) on `track`, clipped to the window; an empty one is not recorded.
  void Slice(int track, int name, uint64_t begin, uint64_t end, std::initializer_list<TraceArg> args = {});
  // The same, but a slice that starts where the lane's last one (of the same name) ended extends it, adding
  // its first argument's value to that slice's (a link busy for many sends in a row is one slice).
  void ContiguousSlice(int track, int name, uint64_t begin, uint64_t end, TraceArg arg);
  // Adds `amount` to `counter` over [begin, end).
  void AddToCounter(int counter, uint64_t begin, uint64_t end, double amount);
  // Sets `counter` to `value` from cycle `at` on.
  void SetCounter(int counter, uint64_t at, double value);

  // A network run's layers one after another on one timeline, as the accelerator ran them: the layer begun
  // starts where the last one ended (its events are shifted so), and EndLayer(cycles) puts a slice named
  // `name` over it on the "network" group's "layers" track (`simulated` false: a layer taken from a cache,
  // which has no events of its own).
  void BeginLayer(const std::string& name);
  void EndLayer(uint64_t cycles, bool simulated = true);

  uint64_t events() const { return kept_; }
  uint64_t dropped() const { return dropped_; }
  bool truncated() const { return dropped_ > 0; }
  uint64_t first_dropped_at() const { return first_dropped_at_; }

  // The whole trace as JSON text (schema cyclops.trace, sim/core/output_schema.h).
  std::string ToJson() const;
  // Written whole or not at all (sim/core/atomic_file.h).
  void Write(const std::string& path) const;

 private:
  struct Event {
    uint64_t begin = 0, end = 0;
    int track = 0, name = 0;
    int args = 0;  // TraceArg entries in args_ from arg_begin
    size_t arg_begin = 0;
  };
  struct TrackInfo {
    int group = 0;
    std::string name;
    std::vector<int> lanes;          // track ids of this track's lanes, itself first
    std::vector<uint64_t> lane_end;  // per lane: where its last slice ends
    std::vector<size_t> lane_last;   // per lane: its last slice, an index into events_
  };
  struct CounterInfo {
    int group = 0;
    std::string name, series;
    std::map<uint64_t, double> deltas;    // AddToCounter
    std::map<uint64_t, double> absolute;  // SetCounter
  };

  bool Admit(uint64_t cost, uint64_t at);
  int Lane(int track, uint64_t begin, uint64_t end);
  void AppendMetadata(std::string& out) const;
  void AppendCounters(std::string& out) const;

  TraceOptions options_;
  uint64_t offset_ = 0;
  std::vector<std::string> groups_;
  std::map<std::string, int> group_of_;
  std::vector<TrackInfo> tracks_;
  std::map<std::pair<int, std::string>, int> track_of_;
  std::vector<CounterInfo> counters_;
  std::map<std::tuple<int, std::string, std::string>, int> counter_of_;
  std::vector<std::string> names_;
  std::unordered_map<std::string, int> name_of_;
  std::map<std::string, std::string> descriptions_;  // by track name
  std::vector<Event> events_;
  std::vector<TraceArg> args_;
  int layer_track_ = -1, layer_name_ = -1;
  uint64_t layers_end_ = 0;
  uint64_t kept_ = 0, dropped_ = 0;
  uint64_t first_dropped_at_ = std::numeric_limits<uint64_t>::max();
};

}  // namespace cyclops::trace
