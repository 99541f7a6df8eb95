#include "sim/sweep/sweep_runner.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>

#include "sim/core/error.h"
#include "sim/stats/text_format.h"
#include "sim/sweep/point_runner.h"
#include "sim/sweep/results_db.h"

namespace cyclops::sweep {

namespace {

namespace fs = std::filesystem;

std::string DbPath(const SweepRunOptions& options) {
  return options.db_path.empty() ? options.out_dir + "/sweep.sqlite" : options.db_path;
}

SweepJob MakeJob(const Sweep& sweep, const SweepRunOptions& options) {
  SweepJob job;
  job.sweep = &sweep;
  job.sweep_file = fs::absolute(options.sweep_file).string();
  job.out_dir = fs::absolute(options.out_dir).string();
  job.self = options.self;
  job.options = options.backend_options;
  return job;
}

std::string Figure(const std::optional<int64_t>& value) {
  return value ? stats::Grouped(*value) : "-";
}

std::string PointLine(const PointRow& row, const std::string& progress) {
  std::string line = stats::Format("  %s #%lld %-6s", progress.c_str(), static_cast<long long>(row.index),
                                   row.status.c_str());
  for (const auto& [key, value] : row.parameters) line += " " + key + "=" + value;
  if (row.cycles_simulated) line += "  " + Figure(row.cycles_simulated) + " cycles";
  if (row.cycles_analytical) line += " (analytical " + Figure(row.cycles_analytical) + ")";
  line += stats::Format("  %.1f s", row.wall_seconds);
  if (row.status != "ok") line += "  exit " + std::to_string(row.exit_code) + ": " + row.message;
  return line + "\n";
}

std::string Table(const std::vector<PointRow>& rows) {
  if (rows.empty()) return "";
  std::vector<std::vector<std::string>> cells;
  std::vector<std::string> header = {"#"};
  for (const auto& [key, value] : rows.front().parameters) header.push_back(key);
  for (const char* column : {"status", "cycles", "analytical", "energy uJ", "top stall"})
    header.push_back(column);
  cells.push_back(header);
  for (const PointRow& row : rows) {
    std::vector<std::string> line = {std::to_string(row.index)};
    for (const auto& [key, value] : row.parameters) line.push_back(value);
    line.push_back(row.status == "ok" ? "ok" : row.status + " (" + std::to_string(row.exit_code) + ")");
    line.push_back(Figure(row.cycles_simulated));
    line.push_back(Figure(row.cycles_analytical));
    const std::optional<double> energy =
        row.energy_pj_simulated ? row.energy_pj_simulated : row.energy_pj_analytical;
    line.push_back(energy ? stats::Format("%.3f", *energy / 1e6) : "-");
    line.push_back(row.top_stall ? *row.top_stall + " (" + Figure(row.top_stall_cycles) + ")" : "-");
    cells.push_back(line);
  }
  std::vector<size_t> widths(header.size(), 0);
  for (const auto& line : cells)
    for (size_t c = 0; c < line.size() && c < widths.size(); ++c)
      widths[c] = std::max(widths[c], line[c].size());
  std::string text;
  for (const auto& line : cells) {
    text += " ";
    for (size_t c = 0; c < line.size(); ++c) {
      const bool last = c + 1 == line.size();
      text += " " +
              (last ? line[c] : line[c] + std::string(widths[c] - std::min(widths[c], line[c].size()), ' '));
    }
    text += "\n";
  }
  return text;
}

}  // namespace

int RunSweep(const Sweep& sweep, const SweepRunOptions& options, std::ostream& out) {
  std::unique_ptr<SweepBackend> backend = SweepBackendRegistry::Make(options.backend);
  if (!backend)
    throw SpecError({"", 0, 0, "--backend"}, "unknown backend '" + options.backend + "'", [] {
      std::string names;
      for (const std::string& name : SweepBackendRegistry::Names())
        names += (names.empty() ? "" : ", ") + name;
      return names;
    }());
  // Every point's inputs first: a bad value stops the sweep before anything runs.
  std::vector<std::string> keys(sweep.size());
  std::map<std::string, size_t> first_of_key;
  for (size_t i = 0; i < sweep.size(); ++i) {
    keys[i] = sweep.Inputs(sweep.Point(i)).key;
    first_of_key.emplace(keys[i], i);
  }
  ResultsDb db(DbPath(options));
  db.SetMeta("name", sweep.spec().name);
  db.SetMeta("command", sweep.spec().command);
  db.SetMeta("sweep_file", fs::absolute(options.sweep_file).string());

  std::mutex print;
  size_t finished = 0, to_run = 0;
  bool recovering = true;
  std::set<std::string> wanted(keys.begin(), keys.end());
  SweepJob job = MakeJob(sweep, options);
  job.finished = [&](const PointRow& row) {
    if (row.status != "interrupted") db.Put(row);
    std::lock_guard<std::mutex> lock(print);
    if (wanted.count(row.key) && !recovering) ++finished;
    out << PointLine(row, recovering ? std::string("recovered")
                                     : "[" + std::to_string(finished) + "/" + std::to_string(to_run) + "]");
    out.flush();
  };
  backend->Recover(job);

  const std::set<std::string> stored = db.Keys(/*ok_only=*/options.retry_failed);
  for (const auto& [key, index] : first_of_key)
    if (!stored.count(key)) job.points.push_back(index);
  std::sort(job.points.begin(), job.points.end());
  to_run = job.points.size();
  recovering = false;
  out << "sweep " << sweep.spec().name << ": " << sweep.size() << " points";
  if (first_of_key.size() != sweep.size()) out << " (" << first_of_key.size() << " distinct)";
  out << ", " << first_of_key.size() - to_run << " already in " << db.path() << ", " << to_run << " to run ("
      << options.backend << ", " << options.backend_options.jobs << " at a time)\n";
  out.flush();
  if (!job.points.empty()) backend->Run(job);
  if (options.backend_options.dry_run) return 0;

  std::map<std::string, PointRow> by_key;
  for (PointRow& row : db.Rows()) by_key.emplace(row.key, std::move(row));
  std::vector<PointRow> rows;
  int status = 0;
  size_t missing = 0;
  for (size_t i = 0; i < sweep.size(); ++i) {
    auto found = by_key.find(keys[i]);
    if (found == by_key.end()) {
      ++missing;
      continue;
    }
    PointRow row = found->second;
    row.index = static_cast<int64_t>(i);
    if (row.status != "ok" && status == 0) status = row.exit_code != 0 ? row.exit_code : 1;
    rows.push_back(std::move(row));
  }
  out << "\n" << Table(rows);
  out << "\n  " << rows.size() << " of " << sweep.size() << " points in " << db.path();
  if (missing > 0) out << "; " << missing << " missing (start the sweep again to run them)";
  out << "\n  plot: scripts/plot_sweep.py " << db.path() << "\n";
  if (status == 0 && missing > 0) status = 1;
  return status;
}

void RunWorkerPoint(const Sweep& sweep, const SweepRunOptions& options, size_t index, std::ostream& out) {
  if (index >= sweep.size())
    throw SpecError(
        {options.sweep_file, 0, 0, "--point"},
        "point " + std::to_string(index) + " is beyond the sweep's " + std::to_string(sweep.size()),
        "0.." + std::to_string(sweep.size() - 1));
  const PointRow row = RunPoint(sweep, index, {options.self, fs::absolute(options.out_dir).string()});
  out << kRowMarker << RowJson(row) << "\n";
  out.flush();
}

void RunWorkerChunk(const Sweep& sweep, const SweepRunOptions& options, const std::string& chunk_file,
                    const std::string& chunk_db) {
  std::ifstream file(chunk_file);
  if (!file) throw std::runtime_error("cannot read the chunk file " + chunk_file);
  SweepJob job = MakeJob(sweep, options);
  for (std::string line; std::getline(file, line);) {
    if (line.empty()) continue;
    const size_t index = std::stoul(line);
    if (index >= sweep.size())
      throw std::runtime_error(chunk_file + " names point " + line + ", beyond the sweep");
    job.points.push_back(index);
  }
  ResultsDb db(chunk_db);
  job.finished = [&](const PointRow& row) {
    if (row.status != "interrupted") db.Put(row);
  };
  RunPointsLocally(job);
}

}  // namespace cyclops::sweep
