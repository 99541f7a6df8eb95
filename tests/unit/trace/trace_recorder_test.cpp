// TraceRecorder (sim/trace): the JSON a viewer reads, checked by parsing it back — lanes keep a track's
// slices from overlapping, the window clips, counters sum their intervals, the cap drops and says so, layers
// shift time, and the same calls give the same bytes. Expected values are worked out by hand in each test.
#include "sim/trace/trace_recorder.h"

#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>

namespace cyclops::trace {
namespace {

using nlohmann::json;

json Parse(const TraceRecorder& recorder) {
  return json::parse(recorder.ToJson());
}

std::map<int, std::string> ThreadNames(const json& trace) {
  std::map<int, std::string> names;
  for (const json& event : trace["traceEvents"])
    if (event["ph"] == "M" && event["name"] == "thread_name") names[event["tid"]] = event["args"]["name"];
  return names;
}

std::vector<json> Events(const json& trace, const std::string& phase) {
  std::vector<json> events;
  for (const json& event : trace["traceEvents"])
    if (event["ph"] == phase) events.push_back(event);
  return events;
}

TEST(TraceRecorder, NamesGroupsAndTracksAndCarriesTheSchema) {
  TraceRecorder recorder({});
  const int group = recorder.Group("accelerator.cluster[0]");
  EXPECT_EQ(recorder.Group("accelerator.cluster[0]"), group);
  const int track = recorder.Track(group, "accelerator.cluster[0].pe[3]");
  EXPECT_EQ(recorder.Track(group, "accelerator.cluster[0].pe[3]"), track);
  recorder.Slice(track, recorder.Name("compute"), 10, 18, {{"macs", 8}});
  const json trace = Parse(recorder);
  EXPECT_EQ(trace["schema"]["name"], "cyclops.trace");
  EXPECT_EQ(trace["otherData"]["truncated"], false);
  const std::vector<json> slices = Events(trace, "X");
  ASSERT_EQ(slices.size(), 1u);
  EXPECT_EQ(slices[0]["ts"], 10);
  EXPECT_EQ(slices[0]["dur"], 8);
  EXPECT_EQ(slices[0]["args"]["macs"], 8);
  EXPECT_EQ(ThreadNames(trace).at(slices[0]["tid"]), "accelerator.cluster[0].pe[3]");
  // A tid equal to a pid would be taken for that group's main thread: none is.
  for (const json& event : Events(trace, "M"))
    if (event["name"] == "process_name") EXPECT_NE(event["pid"], slices[0]["tid"]);
  bool named_process = false;
  for (const json& event : Events(trace, "M"))
    if (event["name"] == "process_name" && event["pid"] == slices[0]["pid"])
      named_process = event["args"]["name"] == "accelerator.cluster[0]";
  EXPECT_TRUE(named_process);
}

TEST(TraceRecorder, OverlappingSlicesGoOnLanesThatNeverOverlap) {
  TraceRecorder recorder({});
  const int track = recorder.Track(recorder.Group("g"), "fills");
  const int name = recorder.Name("fill");
  // [0,10) and [5,15) overlap: the second needs lane 2; [10,20) fits after the first on lane 1;
  // [12,14) overlaps both lanes' last slices ([10,20) and [5,15)): lane 3.
  recorder.Slice(track, name, 0, 10);
  recorder.Slice(track, name, 5, 15);
  recorder.Slice(track, name, 10, 20);
  recorder.Slice(track, name, 12, 14);
  const json trace = Parse(recorder);
  const std::map<int, std::string> names = ThreadNames(trace);
  std::map<std::string, std::vector<std::pair<int, int>>> by_track;
  for (const json& slice : Events(trace, "X"))
    by_track[names.at(slice["tid"])].push_back(
        {slice["ts"], slice["ts"].get<int>() + slice["dur"].get<int>()});
  using Spans = std::vector<std::pair<int, int>>;
  EXPECT_EQ(by_track["fills"], (Spans{{0, 10}, {10, 20}}));
  EXPECT_EQ(by_track["fills (lane 2)"], (Spans{{5, 15}}));
  EXPECT_EQ(by_track["fills (lane 3)"], (Spans{{12, 14}}));
}

TEST(TraceRecorder, TheWindowClipsSlicesAndCounters) {
  TraceOptions options;
  options.window_begin = 10, options.window_end = 20;
  TraceRecorder recorder(options);
  const int group = recorder.Group("g");
  const int track = recorder.Track(group, "t");
  const int name = recorder.Name("s");
  recorder.Slice(track, name, 5, 15);   // → [10, 15)
  recorder.Slice(track, name, 18, 30);  // → [18, 20)
  recorder.Slice(track, name, 0, 10);   // outside: dropped, not counted
  const int counter = recorder.Counter(group, "busy", "PEs");
  recorder.AddToCounter(counter, 0, 12, 1);  // 1 over [10, 12)
  const json trace = Parse(recorder);
  const std::vector<json> slices = Events(trace, "X");
  ASSERT_EQ(slices.size(), 2u);
  EXPECT_EQ(slices[0]["ts"], 10);
  EXPECT_EQ(slices[0]["dur"], 5);
  EXPECT_EQ(slices[1]["ts"], 18);
  EXPECT_EQ(slices[1]["dur"], 2);
  const std::vector<json> samples = Events(trace, "C");
  ASSERT_EQ(samples.size(), 2u);
  EXPECT_EQ(samples[0]["ts"], 10);
  EXPECT_EQ(samples[0]["args"]["PEs"], 1);
  EXPECT_EQ(samples[1]["ts"], 12);
  EXPECT_EQ(samples[1]["args"]["PEs"], 0);
  EXPECT_EQ(trace["otherData"]["window_begin_cycle"], 10);
  EXPECT_EQ(trace["otherData"]["window_end_cycle"], 20);
  EXPECT_THROW(TraceRecorder({.window_begin = 5, .window_end = 5}), std::invalid_argument);
}

TEST(TraceRecorder, CountersSumTheirIntervalsAndShareSamples) {
  TraceRecorder recorder({});
  const int counter = recorder.Counter(recorder.Group("cluster"), "PEs computing", "PEs");
  // Three PEs in lock step over [0, 4), one more over [2, 6): 3, 4 at 2, 1 at 4, 0 at 6.
  for (int pe = 0; pe < 3; ++pe) recorder.AddToCounter(counter, 0, 4, 1);
  recorder.AddToCounter(counter, 2, 6, 1);
  EXPECT_EQ(recorder.events(), 4u);  // one per distinct sample time, whatever the number of PEs
  const std::vector<json> samples = Events(Parse(recorder), "C");
  ASSERT_EQ(samples.size(), 4u);
  const std::vector<std::pair<int, int>> expected{{0, 3}, {2, 4}, {4, 1}, {6, 0}};
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(samples[i]["ts"], expected[i].first);
    EXPECT_EQ(samples[i]["args"]["PEs"], expected[i].second);
    EXPECT_EQ(samples[i]["name"], "PEs computing");
  }
}

TEST(TraceRecorder, TheCapDropsWhatComesAfterItAndSaysSo) {
  TraceRecorder recorder({.max_events = 3});
  const int track = recorder.Track(recorder.Group("g"), "t");
  const int name = recorder.Name("s");
  for (int i = 0; i < 5; ++i) recorder.Slice(track, name, 10 * i, 10 * i + 5);
  EXPECT_EQ(recorder.events(), 3u);
  EXPECT_EQ(recorder.dropped(), 2u);
  EXPECT_TRUE(recorder.truncated());
  const json trace = Parse(recorder);
  EXPECT_EQ(Events(trace, "X").size(), 3u);
  EXPECT_EQ(trace["otherData"]["truncated"], true);
  EXPECT_EQ(trace["otherData"]["events_dropped"], 2);
  EXPECT_EQ(trace["otherData"]["first_dropped_at_cycle"], 30);
  const std::vector<json> instants = Events(trace, "i");
  ASSERT_EQ(instants.size(), 1u);
  EXPECT_EQ(instants[0]["ts"], 30);
}

TEST(TraceRecorder, BackToBackSlicesMergeAndAddTheirArgument) {
  TraceRecorder recorder({});
  const int track = recorder.Track(recorder.Group("noc"), "link");
  const int busy = recorder.Name("busy");
  recorder.ContiguousSlice(track, busy, 0, 4, {"values", 4});
  recorder.ContiguousSlice(track, busy, 4, 6, {"values", 2});  // continues [0, 4)
  recorder.ContiguousSlice(track, busy, 8, 9, {"values", 1});  // a gap: a new slice
  const std::vector<json> slices = Events(Parse(recorder), "X");
  ASSERT_EQ(slices.size(), 2u);
  EXPECT_EQ(slices[0]["ts"], 0);
  EXPECT_EQ(slices[0]["dur"], 6);
  EXPECT_EQ(slices[0]["args"]["values"], 6);
  EXPECT_EQ(slices[1]["ts"], 8);
  EXPECT_EQ(recorder.events(), 2u);
}

TEST(TraceRecorder, LayersFollowOneAnotherOnOneTimeline) {
  TraceRecorder recorder({});
  const int track = recorder.Track(recorder.Group("g"), "t");
  const int name = recorder.Name("s");
  recorder.BeginLayer("conv1");
  recorder.Slice(track, name, 0, 10);
  recorder.EndLayer(10);
  recorder.BeginLayer("conv2");
  recorder.Slice(track, name, 0, 5);  // layer cycle 0 is network cycle 10
  recorder.EndLayer(5, false);
  const json trace = Parse(recorder);
  std::map<std::string, std::pair<int, int>> layers;
  int last_begin = -1;
  for (const json& slice : Events(trace, "X")) {
    if (slice["name"] == "s") last_begin = slice["ts"];
    if (slice["name"] != "s") layers[slice["name"]] = {slice["ts"], slice["dur"]};
  }
  EXPECT_EQ(last_begin, 10);
  EXPECT_EQ(layers["conv1"], std::make_pair(0, 10));
  EXPECT_EQ(layers["conv2"], std::make_pair(10, 5));
}

TEST(TraceRecorder, NamesAreEscapedAndTheTextIsDeterministic) {
  auto record = [] {
    TraceRecorder recorder({});
    const int track = recorder.Track(recorder.Group("a \"quoted\" group"), "back\\slash");
    recorder.Slice(track, recorder.Name("tab\there"), 1, 2);
    return recorder.ToJson();
  };
  const std::string text = record();
  EXPECT_EQ(text, record());
  const json trace = json::parse(text);
  EXPECT_EQ(Events(trace, "X")[0]["name"], "tab\there");
}

}  // namespace
}  // namespace cyclops::trace
