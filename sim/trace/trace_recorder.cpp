#include "sim/trace/trace_recorder.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <stdexcept>

#include "sim/core/atomic_file.h"
#include "sim/core/output_schema.h"

namespace cyclops::trace {

namespace {

void AppendEscaped(std::string& out, const std::string& text) {
  out += '"';
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
      out += escaped;
    } else {
      out += c;
    }
  }
  out += '"';
}

// Counter values are sums of integers in practice; print them exactly when they are whole.
std::string Number(double value) {
  char text[32];
  if (std::fabs(value - std::round(value)) < 1e-9 && std::fabs(value) < 9e15)
    std::snprintf(text, sizeof text, "%lld", static_cast<long long>(std::llround(value)));
  else
    std::snprintf(text, sizeof text, "%.6g", value);
  return text;
}

// Track ids start far above group ids: the viewers take a thread whose tid equals its pid for the process's
// main thread, and a group's metadata or counters (pid only) would otherwise claim another group's track.
constexpr int kFirstTid = 1000000;

// The metadata record naming a group (pid) or track (tid) and placing it in creation order.
void AppendNaming(std::string& out, const char* kind, int pid, int tid, const std::string& name) {
  const bool thread = tid >= 0;
  const std::string ids =
      "\"pid\":" + std::to_string(pid) + (thread ? ",\"tid\":" + std::to_string(tid) : "");
  out += "{\"ph\":\"M\",\"name\":\"" + std::string(kind) + "_name\"," + ids + ",\"args\":{\"name\":";
  AppendEscaped(out, name);
  out += "}},\n";
  out += "{\"ph\":\"M\",\"name\":\"" + std::string(kind) + "_sort_index\"," + ids +
         ",\"args\":{\"sort_index\":" + std::to_string(thread ? tid - kFirstTid : pid) + "}},\n";
}

}  // namespace

TraceRecorder::TraceRecorder(TraceOptions options) : options_(options) {
  if (options_.window_end <= options_.window_begin)
    throw std::invalid_argument("trace window: the end must come after the start");
}

int TraceRecorder::Group(const std::string& name) {
  auto [it, added] = group_of_.emplace(name, static_cast<int>(groups_.size()));
  if (added) groups_.push_back(name);
  return it->second;
}

int TraceRecorder::Track(int group, const std::string& name) {
  auto [it, added] = track_of_.emplace(std::make_pair(group, name), static_cast<int>(tracks_.size()));
  if (added) {
    const int id = static_cast<int>(tracks_.size());
    tracks_.push_back({group, name, {id}, {0}, {SIZE_MAX}});
  }
  return it->second;
}

int TraceRecorder::Counter(int group, const std::string& name, const std::string& series) {
  auto [it, added] =
      counter_of_.emplace(std::make_tuple(group, name, series), static_cast<int>(counters_.size()));
  if (added) counters_.push_back({group, name, series, {}, {}});
  return it->second;
}

int TraceRecorder::Name(const std::string& name) {
  auto [it, added] = name_of_.emplace(name, static_cast<int>(names_.size()));
  if (added) names_.push_back(name);
  return it->second;
}

bool TraceRecorder::Admit(uint64_t cost, uint64_t at) {
  if (dropped_ == 0 && kept_ + cost <= options_.max_events) {
    kept_ += cost;
    return true;
  }
  dropped_ += cost;
  first_dropped_at_ = std::min(first_dropped_at_, at);
  return false;
}

// The first lane of `track` free from `begin` on (a new one when none is).
int TraceRecorder::Lane(int track, uint64_t begin, uint64_t end) {
  TrackInfo& info = tracks_[static_cast<size_t>(track)];
  size_t lane = 0;
  while (lane < info.lanes.size() && info.lane_end[lane] > begin) ++lane;
  if (lane == info.lanes.size()) {
    const int id = static_cast<int>(tracks_.size());
    const std::string name = info.name + " (lane " + std::to_string(lane + 1) + ")";
    const int group = info.group;
    tracks_.push_back({group, name, {id}, {0}, {SIZE_MAX}});
    track_of_.emplace(std::make_pair(group, name), id);
    TrackInfo& again = tracks_[static_cast<size_t>(track)];  // push_back may have moved it
    again.lanes.push_back(id);
    again.lane_end.push_back(0);
    again.lane_last.push_back(SIZE_MAX);
  }
  TrackInfo& info_now = tracks_[static_cast<size_t>(track)];
  info_now.lane_end[lane] = end;
  info_now.lane_last[lane] = events_.size();  // the event about to be recorded
  return info_now.lanes[lane];
}

void TraceRecorder::ContiguousSlice(int track, int name, uint64_t begin, uint64_t end, TraceArg arg) {
  const uint64_t clipped_begin = std::max(begin + offset_, options_.window_begin);
  const uint64_t clipped_end = std::min(end + offset_, options_.window_end);
  if (clipped_end <= clipped_begin || dropped_ > 0) return Slice(track, name, begin, end, {arg});
  TrackInfo& info = tracks_[static_cast<size_t>(track)];
  for (size_t lane = 0; lane < info.lanes.size(); ++lane) {
    if (info.lane_end[lane] != clipped_begin || info.lane_last[lane] >= events_.size()) continue;
    Event& last = events_[info.lane_last[lane]];
    if (last.name != name || last.end != clipped_begin || last.args != 1) continue;
    last.end = clipped_end;
    info.lane_end[lane] = clipped_end;
    args_[last.arg_begin].value += arg.value;
    return;
  }
  Slice(track, name, begin, end, {arg});
}

void TraceRecorder::Slice(int track, int name, uint64_t begin, uint64_t end,
                          std::initializer_list<TraceArg> args) {
  begin = std::max(begin + offset_, options_.window_begin);
  end = std::min(end + offset_, options_.window_end);
  if (end <= begin) return;
  if (!Admit(1, begin)) return;
  Event event;
  event.begin = begin, event.end = end;
  event.track = Lane(track, begin, end);
  event.name = name;
  event.arg_begin = args_.size();
  event.args = static_cast<int>(args.size());
  args_.insert(args_.end(), args.begin(), args.end());
  events_.push_back(event);
}

void TraceRecorder::AddToCounter(int counter, uint64_t begin, uint64_t end, double amount) {
  begin = std::max(begin + offset_, options_.window_begin);
  end = std::min(end + offset_, options_.window_end);
  if (end <= begin || amount == 0) return;
  // An event per sample written: intervals that share their ends (PEs in lock step) cost nothing more.
  std::map<uint64_t, double>& deltas = counters_[static_cast<size_t>(counter)].deltas;
  if (!Admit((deltas.count(begin) ? 0 : 1) + (deltas.count(end) ? 0 : 1), begin)) return;
  deltas[begin] += amount;
  deltas[end] -= amount;
}

void TraceRecorder::SetCounter(int counter, uint64_t at, double value) {
  at += offset_;
  if (at >= options_.window_end) return;
  at = std::max(at, options_.window_begin);  // the value the counter has when the window opens
  std::map<uint64_t, double>& absolute = counters_[static_cast<size_t>(counter)].absolute;
  if (absolute.count(at) == 0 && !Admit(1, at)) return;
  absolute[at] = value;
}

void TraceRecorder::Describe(int track, const std::string& text) {
  descriptions_[tracks_[static_cast<size_t>(track)].name] = text;
}

void TraceRecorder::BeginLayer(const std::string& name) {
  offset_ = layers_end_;
  if (layer_track_ < 0) layer_track_ = Track(Group("network"), "layers");
  layer_name_ = Name(name);
}

void TraceRecorder::EndLayer(uint64_t cycles, bool simulated) {
  if (layer_name_ < 0) return;
  const uint64_t length = std::max<uint64_t>(cycles, 1);
  Slice(layer_track_, layer_name_, 0, length,
        {{"cycles", static_cast<int64_t>(cycles)}, {"simulated", simulated ? 1 : 0}});
  layers_end_ = offset_ + length;
  layer_name_ = -1;
}

void TraceRecorder::AppendMetadata(std::string& out) const {
  const bool windowed = options_.window_begin > 0 || options_.window_end != TraceOptions{}.window_end;
  out +=
      "\"otherData\":{\"generator\":\"cyclops\",\"time_unit\":\"1 us of trace time = 1 accelerator cycle\"";
  out += ",\"pe_tracks\":\"" + std::string(options_.per_pe ? "per PE" : "per cluster (counters)") + "\"";
  out += ",\"window_begin_cycle\":" + std::to_string(options_.window_begin);
  out += ",\"window_end_cycle\":" + (windowed ? std::to_string(options_.window_end) : std::string("null"));
  out += ",\"max_events\":" + std::to_string(options_.max_events);
  out += ",\"events\":" + std::to_string(kept_);
  out += ",\"truncated\":" + std::string(truncated() ? "true" : "false");
  out += ",\"events_dropped\":" + std::to_string(dropped_);
  out += ",\"first_dropped_at_cycle\":" +
         (truncated() ? std::to_string(first_dropped_at_) : std::string("null"));
  if (!descriptions_.empty()) {
    out += ",\"tracks\":{";
    bool first = true;
    for (const auto& [name, text] : descriptions_) {
      if (!first) out += ",";
      first = false;
      AppendEscaped(out, name);
      out += ":";
      AppendEscaped(out, text);
    }
    out += "}";
  }
  out += "},\n";
}

void TraceRecorder::AppendCounters(std::string& out) const {
  for (const CounterInfo& counter : counters_) {
    // Deltas summed in time order; absolute values taken as they are. A counter has one kind or the other.
    std::map<uint64_t, double> samples;
    double value = 0;
    for (const auto& [at, delta] : counter.deltas) samples[at] = value += delta;
    for (const auto& [at, absolute] : counter.absolute) samples[at] = absolute;
    std::string prefix = "{\"ph\":\"C\",\"pid\":" + std::to_string(counter.group + 1) + ",\"name\":";
    AppendEscaped(prefix, counter.name);
    std::string series;
    AppendEscaped(series, counter.series);
    for (const auto& [at, sample] : samples)
      out +=
          prefix + ",\"ts\":" + std::to_string(at) + ",\"args\":{" + series + ":" + Number(sample) + "}},\n";
  }
}

std::string TraceRecorder::ToJson() const {
  std::string out;
  out.reserve(events_.size() * 96 + 4096);
  out += "{\"schema\":{\"name\":\"";
  out += kTraceJsonSchema.name;
  out += "\",\"version\":" + std::to_string(kTraceJsonSchema.version) + "},\n";
  out += "\"displayTimeUnit\":\"ms\",\n";
  AppendMetadata(out);
  out += "\"traceEvents\":[\n";
  for (size_t g = 0; g < groups_.size(); ++g)
    AppendNaming(out, "process", static_cast<int>(g) + 1, -1, groups_[g]);
  for (size_t t = 0; t < tracks_.size(); ++t)
    AppendNaming(out, "thread", tracks_[t].group + 1, kFirstTid + static_cast<int>(t), tracks_[t].name);
  for (const Event& event : events_) {
    const TrackInfo& track = tracks_[static_cast<size_t>(event.track)];
    out += "{\"ph\":\"X\",\"pid\":" + std::to_string(track.group + 1) +
           ",\"tid\":" + std::to_string(kFirstTid + event.track) + ",\"ts\":" + std::to_string(event.begin) +
           ",\"dur\":" + std::to_string(event.end - event.begin) + ",\"name\":";
    AppendEscaped(out, names_[static_cast<size_t>(event.name)]);
    if (event.args > 0) {
      out += ",\"args\":{";
      for (int a = 0; a < event.args; ++a) {
        const TraceArg& arg = args_[event.arg_begin + static_cast<size_t>(a)];
        out += (a ? ",\"" : "\"") + std::string(arg.key) + "\":" + std::to_string(arg.value);
      }
      out += "}";
    }
    out += "},\n";
  }
  AppendCounters(out);
  if (truncated()) {  // visible on the timeline, not only in the metadata
    out += "{\"ph\":\"i\",\"s\":\"g\",\"pid\":1,\"ts\":" + std::to_string(first_dropped_at_) +
           ",\"name\":\"trace cap reached: " + std::to_string(dropped_) +
           " events dropped from here on\"},\n";
  }
  if (out.ends_with(",\n")) out.erase(out.size() - 2, 1);  // every record above ends with a comma
  out += "]}\n";
  return out;
}

void TraceRecorder::Write(const std::string& path) const {
  WriteFileAtomically(path, ToJson());
}

}  // namespace cyclops::trace
