#include "sim/sweep/point_runner.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "sim/core/atomic_file.h"
#include "sim/core/child_process.h"

namespace cyclops::sweep {

namespace {

namespace fs = std::filesystem;

bool Interrupted(int exit_code) {
  const int signal = exit_code - 128;
  return exit_code > 128 && (signal == SIGINT || signal == SIGTERM || signal == SIGHUP || signal == SIGKILL);
}

std::optional<nlohmann::json> ReadJson(const std::string& path) {
  std::ifstream file(path);
  if (!file) return std::nullopt;
  try {
    return nlohmann::json::parse(file);
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

// `cyclops run`'s summary.json.
void ReadRunSummary(const nlohmann::json& summary, PointRow& row) {
  row.cycles_simulated = summary["cycles"]["simulated"].get<int64_t>();
  row.cycles_analytical = summary["cycles"]["analytical"].get<int64_t>();
  row.macs = summary["macs"].get<int64_t>();
  row.energy_pj_simulated = summary["energy_pj"]["simulated"].get<double>();
  row.energy_pj_analytical = summary["energy_pj"]["analytical"].get<double>();
  if (!summary["stalls"].empty()) {
    row.top_stall = summary["stalls"][0]["cause"].get<std::string>();
    row.top_stall_cycles = summary["stalls"][0]["cycles"].get<int64_t>();
  }
  if (summary.contains("noc") && *row.cycles_simulated > 0) {
    double busiest = 0;
    for (const auto& port : summary["noc"]["busiest_ports"])
      busiest = std::max(busiest, port["busy_cycles"].get<double>());
    row.noc_busiest_utilisation = busiest / static_cast<double>(*row.cycles_simulated);
  }
}

// `cyclops analyze`'s analysis.json.
void ReadAnalysis(const nlohmann::json& analysis, PointRow& row) {
  row.cycles_analytical = analysis["summary"]["cycles"].get<int64_t>();
  row.macs = analysis["summary"]["computes"].get<int64_t>();
  row.energy_pj_analytical = analysis["summary"]["energy_pj"].get<double>();
}

// `cyclops network`'s network.json: the totals; the top "stall" is the largest part of the time that is not
// accelerator compute.
void ReadNetwork(const nlohmann::json& network, bool analytical_only, PointRow& row) {
  const nlohmann::json& totals = network["totals"];
  (analytical_only ? row.cycles_analytical : row.cycles_simulated) = totals["cycles"].get<int64_t>();
  (analytical_only ? row.energy_pj_analytical : row.energy_pj_simulated) = totals["energy_pj"].get<double>();
  row.macs = totals["macs"].get<int64_t>();
  int64_t most = 0;
  for (const char* part : {"on_chip_stalls", "vector_unit", "dma", "host"}) {
    const int64_t cycles = totals[part].get<int64_t>();
    if (cycles > most) {
      most = cycles;
      row.top_stall = part;
      row.top_stall_cycles = cycles;
    }
  }
}

// Runs one step; true when it exited 0. Otherwise records the failure in the row.
bool Step(const std::string& self, const std::vector<std::string>& arguments, const std::string& log,
          PointRow& row) {
  const int code = WaitForExit(StartProcess(self, arguments, log));
  if (code == 0) return true;
  row.status = Interrupted(code) ? "interrupted" : "failed";
  row.exit_code = code;
  row.message = fs::path(log).filename().string() + ": " + LastLines(log, 3);
  return false;
}

}  // namespace

std::string HostName() {
  char name[256] = {};
  if (gethostname(name, sizeof name - 1) != 0) return "unknown";
  return name;
}

namespace {

// The point's spec files: unchanged documents by their own path, changed ones written into DIR/spec/.
std::vector<std::string> WriteSpecFiles(const PointInputs& inputs, const fs::path& dir) {
  std::vector<std::string> files;
  for (size_t i = 0; i < inputs.documents.size(); ++i) {
    const spec::PatchedDocument& document = inputs.documents[i];
    if (!document.changed) {
      files.push_back(fs::absolute(document.document.name).string());
      continue;
    }
    const fs::path file =
        dir / "spec" / (std::to_string(i) + "_" + fs::path(document.document.name).filename().string());
    WriteFileAtomically(file.string(), document.document.text);
    files.push_back(file.string());
  }
  return files;
}

// The command lines of the point's steps: `cyclops map` when the files hold no mapping, then the command.
std::vector<std::vector<std::string>> Steps(const Sweep& sweep, const PointInputs& inputs,
                                            std::vector<std::string> files, const fs::path& dir) {
  std::vector<std::vector<std::string>> steps;
  if (inputs.map_first) {
    std::vector<std::string> map = {"map"};
    map.insert(map.end(), files.begin(), files.end());
    map.insert(map.end(), {"--out", (dir / "map").string()});
    map.insert(map.end(), inputs.map_options.begin(), inputs.map_options.end());
    steps.push_back(map);
    files.push_back((dir / "map" / "mapping.yaml").string());
  }
  const std::string& command = sweep.spec().command;
  std::vector<std::string> arguments = {command};
  if (command == "network") {
    arguments.push_back(inputs.network_file);
    for (const std::string& file : files) arguments.insert(arguments.end(), {"--arch", file});
    arguments.push_back("--no-progress");
  } else {
    arguments.insert(arguments.end(), files.begin(), files.end());
  }
  arguments.insert(arguments.end(), {"--out", (dir / "out").string()});
  arguments.insert(arguments.end(), inputs.options.begin(), inputs.options.end());
  steps.push_back(arguments);
  return steps;
}

// Reads what the command wrote into OUT, even when it failed: a run whose outputs differ from the reference
// kernel (exit 3) still has its cycles.
void ReadOutputs(const std::string& command, const PointInputs& inputs, const std::string& out,
                 PointRow& row) {
  try {
    if (command == "run") {
      if (auto summary = ReadJson(out + "/summary.json")) ReadRunSummary(*summary, row);
    } else if (command == "analyze") {
      if (auto analysis = ReadJson(out + "/analysis.json")) ReadAnalysis(*analysis, row);
    } else if (auto network = ReadJson(out + "/network.json")) {
      const bool analytical_only = std::find(inputs.options.begin(), inputs.options.end(),
                                             "--analytical-only") != inputs.options.end();
      ReadNetwork(*network, analytical_only, row);
    }
  } catch (const nlohmann::json::exception& error) {
    if (row.status == "ok") row.status = "failed";
    row.message += std::string(row.message.empty() ? "" : " | ") + "unexpected output: " + error.what();
  }
}

}  // namespace

PointRow RunPoint(const Sweep& sweep, size_t index, const PointRunOptions& options) {
  const auto begin = std::chrono::steady_clock::now();
  const SweepPoint point = sweep.Point(index);
  const PointInputs inputs = sweep.Inputs(point);
  PointRow row;
  row.key = inputs.key;
  row.index = static_cast<int64_t>(index);
  row.parameters = point.Parameters();
  row.command = sweep.spec().command;
  row.status = "ok";
  row.host = HostName();

  // A fresh folder: nothing a previous, interrupted attempt left may be read as this attempt's result.
  const fs::path dir = fs::absolute(fs::path(options.out_dir) / "points" / inputs.key);
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::vector<std::vector<std::string>> steps = Steps(sweep, inputs, WriteSpecFiles(inputs, dir), dir);
  // What ran, for a person who wants to run the point again by hand.
  nlohmann::ordered_json record;
  record["parameters"] = nlohmann::ordered_json::parse(row.ParametersJson());
  record["steps"] = steps;
  WriteFileAtomically((dir / "point.json").string(), record.dump(2) + "\n");
  for (const std::vector<std::string>& step : steps)
    if (!Step(options.self, step, (dir / (step.front() + ".log")).string(), row)) break;
  ReadOutputs(row.command, inputs, (dir / "out").string(), row);
  row.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  return row;
}

}  // namespace cyclops::sweep
