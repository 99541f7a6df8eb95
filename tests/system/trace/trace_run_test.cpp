// `cyclops run --trace FILE`: the trace parses as Chrome trace-event JSON and agrees with the counters the
// same run wrote (stats.json, summary.json) — every PE's compute slices add up to its MAC busy cycles, the
// last PE's stall slices per cause to the stall breakdown, every link's busy slices to its busy cycles,
// every fill engine's words × multicast members to its level's fills; the per-cluster counters integrate to
// the PEs' busy cycles; the window bounds the trace, the cap is said, never silent; the same seed writes the
// same bytes. The expectations are the simulator's own counters, an independent path through the code
// (counters are counted where the work is booked, slices recorded by separate hooks).
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "tests/support/paths.h"

namespace cyclops::test {
namespace {

using nlohmann::json;

// MobileNet v1's last depth-wise layer on Eyeriss v1 (the README's NoC study: bound by the ifmap buses).
std::string DepthwiseFiles() {
  const std::string c = SourceDir() + "/configs/";
  return c + "arch/eyeriss_v1.yaml " + c + "energy/eyeriss_v1_65nm_relative.yaml " + c +
         "workloads/layers/mobilenet_v1_dw13.yaml " + c + "mappings/eyeriss_v1_mobilenet_dw13.yaml";
}
// A 2-cluster Eyeriss v2 HM-NoC layer of a few hundred cycles.
std::string TinyFiles() {
  const std::string d = SourceDir() + "/tests/system/noc/data/";
  return d + "tiny_hm.yaml " + d + "tiny_conv.yaml " + d + "map_p2m2.yaml";
}

struct Traced {
  int status = 0;
  std::string output, text;
  json trace, stats, summary;
  std::map<int, std::string> tracks;  // tid → track name, lanes folded into their track
  std::map<int, std::string> groups;  // pid → group name
};

Traced RunTraced(const std::string& files, const std::string& options, const std::string& name) {
  Traced run;
  const std::string out = TempDir(name);
  run.status = RunCommand(
      CyclopsBinary() + " run " + files + " --out " + out + " --trace " + out + "/trace.json " + options,
      &run.output);
  if (run.status != 0) return run;
  run.text = ReadFile(out + "/trace.json");
  run.trace = json::parse(run.text);
  run.stats = json::parse(ReadFile(out + "/stats.json"));
  run.summary = json::parse(ReadFile(out + "/summary.json"));
  for (const json& event : run.trace["traceEvents"]) {
    if (event["ph"] != "M") continue;
    const std::string named = event["args"].value("name", "");
    if (event["name"] == "thread_name") run.tracks[event["tid"]] = named.substr(0, named.find(" (lane "));
    if (event["name"] == "process_name") run.groups[event["pid"]] = named;
  }
  return run;
}

const json& Stat(const json& stats, const std::string& path) {
  const json* node = &stats;
  size_t from = 0;
  while (from <= path.size()) {
    size_t dot = path.find('.', from);
    // Instance names hold dots only between segments; "[...]" and "->" stay inside one.
    if (dot == std::string::npos) dot = path.size();
    node = &node->at(path.substr(from, dot - from));
    from = dot + 1;
  }
  return *node;
}

// Sums of slice durations by (track, slice name), with per-track checks: named, no overlap on a tid.
std::map<std::pair<std::string, std::string>, uint64_t> SliceSums(const Traced& run) {
  std::map<std::pair<std::string, std::string>, uint64_t> sums;
  std::map<int, std::vector<std::pair<uint64_t, uint64_t>>> spans;
  for (const json& event : run.trace["traceEvents"]) {
    if (event["ph"] != "X") continue;
    const int tid = event["tid"];
    EXPECT_TRUE(run.tracks.count(tid)) << "an unnamed track " << tid;
    EXPECT_TRUE(run.groups.count(event["pid"])) << "an unnamed group";
    const uint64_t ts = event["ts"], dur = event["dur"];
    EXPECT_GT(dur, 0u);
    spans[tid].push_back({ts, ts + dur});
    sums[{run.tracks.at(tid), event["name"]}] += dur;
  }
  for (auto& [tid, list] : spans) {
    std::sort(list.begin(), list.end());
    for (size_t i = 1; i < list.size(); ++i)
      EXPECT_LE(list[i - 1].second, list[i].first) << "overlapping slices on " << run.tracks.at(tid);
  }
  return sums;
}

// Adds every "<key>" counter of every group named `level` anywhere under `node`.
uint64_t SumUnder(const json& node, const std::string& level, const std::string& key) {
  uint64_t sum = 0;
  for (const auto& [name, child] : node.items()) {
    if (!child.is_object()) continue;
    if (name == level && child.contains(key)) sum += child[key]["value"].get<uint64_t>();
    sum += SumUnder(child, level, key);
  }
  return sum;
}

TEST(TraceRun, DepthwisePerPeSlicesAgreeWithTheCounters) {
  const Traced run = RunTraced(DepthwiseFiles(), "--trace-per-pe --trace-max-events 5000000", "trace_dw_pe");
  ASSERT_EQ(run.status, 0) << run.output;
  EXPECT_EQ(run.trace["schema"]["name"], "cyclops.trace");
  EXPECT_EQ(run.trace["otherData"]["truncated"], false);
  const auto sums = SliceSums(run);

  // Every PE: its compute slices are its MAC busy cycles.
  int pes = 0;
  std::map<std::string, uint64_t> last_end;  // per PE track: where its last compute slice ends
  for (const auto& [key, cycles] : sums) {
    if (key.second != "compute") continue;
    ++pes;
    EXPECT_EQ(cycles, Stat(run.stats, key.first + ".mac.busy_cycles")["value"].get<uint64_t>()) << key.first;
  }
  // One compute track per PE the mapping uses (the analytical model's utilized MACs).
  EXPECT_EQ(pes, run.summary["mac_instances"].get<int>());
  for (const json& event : run.trace["traceEvents"])
    if (event["ph"] == "X" && event["name"] == "compute") {
      uint64_t& end = last_end[run.tracks.at(event["tid"])];
      end = std::max(end, event["ts"].get<uint64_t>() + event["dur"].get<uint64_t>());
    }

  // The PE that finished last explains the cycles: its stall slices per cause are summary.json's stalls.
  std::map<std::string, uint64_t> expected;
  for (const json& stall : run.summary["stalls"]) expected[stall["cause"]] = stall["cycles"];
  ASSERT_FALSE(expected.empty());
  uint64_t latest = 0;
  for (const auto& [pe, end] : last_end) latest = std::max(latest, end);
  bool matched = false;
  for (const auto& [pe, end] : last_end) {
    if (end != latest) continue;
    std::map<std::string, uint64_t> stalls;
    for (const auto& [key, cycles] : sums)
      if (key.first == pe && key.second.rfind("stall: ", 0) == 0) stalls[key.second.substr(7)] = cycles;
    matched = matched || stalls == expected;
  }
  EXPECT_TRUE(matched) << "no PE that finished last stalled as summary.json says";

  // Every link: its busy slices are its busy cycles (links that never carried anything have no track).
  int links = 0;
  for (const auto& [name, link] : Stat(run.stats, "accelerator.noc.links").items()) {
    const auto found = sums.find({"accelerator.noc.links." + name, "busy"});
    const uint64_t busy = link["busy_cycles"]["value"];
    EXPECT_EQ(found == sums.end() ? 0 : found->second, busy) << name;
    links += busy > 0;
  }
  EXPECT_GT(links, 100);

  // Every fill engine: words × multicast members are the fills its level counted.
  std::map<std::string, uint64_t> filled;
  for (const json& event : run.trace["traceEvents"])
    if (event["ph"] == "X" && event["name"].get<std::string>().rfind("fill ", 0) == 0)
      filled[run.tracks.at(event["tid"])] +=
          event["args"]["words"].get<uint64_t>() * event["args"]["members"].get<uint64_t>();
  EXPECT_EQ(filled.size(), 4u);  // Inputs into glb and ifmap_spad, Weights into filter_glb and filter_spad
  for (const auto& [engine, words] : filled) {
    // accelerator.fill_<level>.<data space>
    const size_t dot = engine.rfind('.');
    const std::string level =
        engine.substr(std::string("accelerator.fill_").size(), dot - std::string("accelerator.fill_").size());
    EXPECT_EQ(words, SumUnder(run.stats, level, "fills_" + engine.substr(dot + 1))) << engine;
  }
}

TEST(TraceRun, ClusterCountersIntegrateToThePesBusyCycles) {
  const Traced run = RunTraced(TinyFiles(), "", "trace_tiny_cluster");
  ASSERT_EQ(run.status, 0) << run.output;
  EXPECT_EQ(run.trace["otherData"]["pe_tracks"], "per cluster (counters)");
  for (const auto& [tid, name] : run.tracks) EXPECT_EQ(name.find(".pe["), std::string::npos) << name;
  // Integrate each cluster's "PEs computing" step function.
  std::map<int, std::vector<std::pair<uint64_t, uint64_t>>> samples;  // pid → (ts, value)
  for (const json& event : run.trace["traceEvents"])
    if (event["ph"] == "C" && event["name"] == "PEs computing")
      samples[event["pid"]].push_back({event["ts"], event["args"]["PEs"]});
  ASSERT_FALSE(samples.empty());
  for (auto& [pid, list] : samples) {
    uint64_t integral = 0;
    for (size_t i = 0; i + 1 < list.size(); ++i)
      integral += list[i].second * (list[i + 1].first - list[i].first);
    EXPECT_EQ(list.back().second, 0u);
    const std::string cluster = run.groups.at(pid);
    uint64_t busy = 0;
    for (const auto& [pe, group] : Stat(run.stats, cluster).items())
      if (pe.rfind("pe[", 0) == 0) busy += group["mac"]["busy_cycles"]["value"].get<uint64_t>();
    EXPECT_EQ(integral, busy) << cluster;
    EXPECT_GT(busy, 0u);
  }
}

TEST(TraceRun, TheWindowKeepsExactlyItsCycles) {
  const Traced full = RunTraced(TinyFiles(), "--trace-per-pe", "trace_tiny_full");
  ASSERT_EQ(full.status, 0) << full.output;
  const uint64_t cycles = full.summary["cycles"]["simulated"];
  const uint64_t from = cycles / 4, to = cycles / 2;
  const Traced part = RunTraced(
      TinyFiles(), "--trace-per-pe --trace-window " + std::to_string(from) + ":" + std::to_string(to),
      "trace_tiny_window");
  ASSERT_EQ(part.status, 0) << part.output;
  EXPECT_EQ(part.trace["otherData"]["window_begin_cycle"], from);
  EXPECT_EQ(part.trace["otherData"]["window_end_cycle"], to);
  // What the window holds: the full trace's slices clipped to [from, to), by track and name.
  std::map<std::pair<std::string, std::string>, uint64_t> clipped;
  for (const json& event : full.trace["traceEvents"]) {
    if (event["ph"] != "X") continue;
    const uint64_t begin = std::max(event["ts"].get<uint64_t>(), from);
    const uint64_t end = std::min<uint64_t>(event["ts"].get<uint64_t>() + event["dur"].get<uint64_t>(), to);
    if (end > begin) clipped[{full.tracks.at(event["tid"]), event["name"]}] += end - begin;
  }
  for (const json& event : part.trace["traceEvents"]) {
    if (event["ph"] == "M") continue;
    EXPECT_GE(event["ts"].get<uint64_t>(), from);
    EXPECT_LE(event["ts"].get<uint64_t>() + event.value("dur", uint64_t{0}), to);
  }
  EXPECT_EQ(SliceSums(part), clipped);
  EXPECT_FALSE(clipped.empty());
}

TEST(TraceRun, TheCapIsSaidNeverSilent) {
  const Traced run = RunTraced(DepthwiseFiles(), "--trace-max-events 2000", "trace_dw_cap");
  ASSERT_EQ(run.status, 0) << run.output;
  EXPECT_NE(run.output.find("warning: the trace reached --trace-max-events 2000"), std::string::npos)
      << run.output;
  const json& meta = run.trace["otherData"];
  EXPECT_EQ(meta["truncated"], true);
  EXPECT_EQ(meta["max_events"], 2000);
  EXPECT_GT(meta["events_dropped"].get<uint64_t>(), 0u);
  size_t events = 0;
  for (const json& event : run.trace["traceEvents"]) events += event["ph"] == "X" || event["ph"] == "C";
  EXPECT_LE(events, 2000u);
  EXPECT_EQ(events, meta["events"].get<size_t>());
}

TEST(TraceRun, TheSameSeedWritesTheSameBytes) {
  const Traced first = RunTraced(TinyFiles(), "--trace-per-pe --seed 7", "trace_same_1");
  const Traced second = RunTraced(TinyFiles(), "--trace-per-pe --seed 7", "trace_same_2");
  ASSERT_EQ(first.status, 0) << first.output;
  ASSERT_EQ(second.status, 0) << second.output;
  EXPECT_FALSE(first.text.empty());
  EXPECT_EQ(first.text, second.text);
}

TEST(TraceRun, AStuckRunStillWritesItsTimeline) {
  // With no tile version staged ahead (--prefetch-depth 0) the layer deadlocks: exit 4, and the trace up
  // to there is what shows who waited.
  std::string output;
  const std::string out = TempDir("trace_stuck");
  EXPECT_EQ(RunCommand(CyclopsBinary() + " run " + TinyFiles() +
                           " --prefetch-depth 0 --watchdog 100 --trace " + out + "/t.json",
                       &output),
            4)
      << output;
  const json trace = json::parse(ReadFile(out + "/t.json"));
  EXPECT_EQ(trace["schema"]["name"], "cyclops.trace");
  EXPECT_NE(output.find("wrote " + out + "/t.json"), std::string::npos) << output;
}

TEST(TraceRun, MisusedTraceOptionsAreClearErrors) {
  std::string output;
  const std::string out = TempDir("trace_bad_window");
  EXPECT_EQ(
      RunCommand(CyclopsBinary() + " run " + TinyFiles() + " --trace " + out + "/t.json --trace-window 9:3",
                 &output),
      2);
  EXPECT_NE(output.find("--trace-window"), std::string::npos) << output;
  EXPECT_NE(output.find("START:END"), std::string::npos) << output;
  EXPECT_EQ(RunCommand(CyclopsBinary() + " run " + TinyFiles() + " --trace-per-pe", &output), 2);
  EXPECT_NE(output.find("--trace FILE"), std::string::npos) << output;
  EXPECT_EQ(RunCommand(CyclopsBinary() + " run " + TinyFiles() + " --trace-max-events 5", &output), 2);
  EXPECT_NE(output.find("--trace-max-events"), std::string::npos) << output;
  EXPECT_EQ(RunCommand(CyclopsBinary() + " run " + TinyFiles() + " --trace " + out +
                           "/t.json --sweep noc.iact_width_bits=4,8",
                       &output),
            2);
  EXPECT_NE(output.find("--trace without --sweep"), std::string::npos) << output;
}

}  // namespace
}  // namespace cyclops::test

namespace cyclops::test {
namespace {

// `cyclops network --trace`: the accelerator layers one after another on one timeline, each layer's slice as
// long as the cycles network.json gives it on the accelerator (compute + on-chip stalls), every block's
// events inside the layer that made them; with --resume the cached layers keep their place, marked.
TEST(TraceNetwork, LayersFollowOneAnotherAsTheAcceleratorRanThem) {
  const std::string out = TempDir("trace_network");
  const std::string command = CyclopsBinary() + " network " + SourceDir() +
                              "/configs/workloads/networks/tiny.yaml --arch " + SourceDir() +
                              "/configs/workloads/synthetic/small_array.yaml --no-progress --out " + out +
                              " --trace " + out + "/trace.json";
  std::string output;
  ASSERT_EQ(RunCommand(command, &output), 0) << output;
  const json network = json::parse(ReadFile(out + "/network.json"));
  std::vector<std::pair<std::string, uint64_t>> expected;  // accelerator layers in network order
  for (const json& layer : network["layers"])
    if (layer["unit"] == "accel")
      expected.push_back({layer["name"], layer["cycles"]["accelerator_compute"].get<uint64_t>() +
                                             layer["cycles"]["on_chip_stalls"].get<uint64_t>()});
  ASSERT_GE(expected.size(), 4u);
  auto layers_of = [](const json& trace) {
    int tid = -1;
    for (const json& event : trace["traceEvents"])
      if (event["ph"] == "M" && event["name"] == "thread_name" && event["args"]["name"] == "layers")
        tid = event["tid"];
    std::vector<json> layers;
    for (const json& event : trace["traceEvents"])
      if (event["ph"] == "X" && event["tid"] == tid) layers.push_back(event);
    return layers;
  };
  const json trace = json::parse(ReadFile(out + "/trace.json"));
  const std::vector<json> layers = layers_of(trace);
  ASSERT_EQ(layers.size(), expected.size());
  uint64_t at = 0;
  for (size_t i = 0; i < layers.size(); ++i) {
    EXPECT_EQ(layers[i]["name"], expected[i].first);
    EXPECT_EQ(layers[i]["ts"], at);
    EXPECT_EQ(layers[i]["dur"], expected[i].second);
    EXPECT_EQ(layers[i]["args"]["simulated"], 1);
    at += expected[i].second;
  }
  // Every other event lies inside the layer that recorded it: none outside the layers' span.
  size_t blocks = 0;
  for (const json& event : trace["traceEvents"]) {
    if (event["ph"] != "X" && event["ph"] != "C") continue;
    ++blocks;
    EXPECT_LE(event["ts"].get<uint64_t>() + event.value("dur", uint64_t{0}), at);
  }
  EXPECT_GT(blocks, layers.size());

  ASSERT_EQ(RunCommand(command + " --resume", &output), 0) << output;
  const std::vector<json> resumed = layers_of(json::parse(ReadFile(out + "/trace.json")));
  ASSERT_EQ(resumed.size(), expected.size());
  for (size_t i = 0; i < resumed.size(); ++i) {
    EXPECT_EQ(resumed[i]["ts"], layers[i]["ts"]);
    EXPECT_EQ(resumed[i]["args"]["simulated"], 0) << "a cached layer has no events of its own";
  }
  EXPECT_EQ(RunCommand(command + " --jobs 2", &output), 2);
  EXPECT_NE(output.find("--jobs 1 with --trace"), std::string::npos) << output;
}

}  // namespace
}  // namespace cyclops::test
