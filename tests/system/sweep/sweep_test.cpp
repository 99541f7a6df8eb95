// `cyclops sweep` end to end: GLB depth x ifmap-bus width x two small layers on Eyeriss v1
// (data/glb_noc_layers.yaml, eight points) on the local, GNU parallel and Slurm backends; the values reach
// the spec files, a row holds what its point's commands compute, the three backends store the same rows,
// and an interrupted sweep runs only the missing points when started again.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sqlite3.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>

#include "sim/spec/loader.h"
#include "sim/sweep/results_db.h"
#include "tests/support/paths.h"

extern char** environ;

namespace cyclops::test {
namespace {

std::string SweepFile() {
  return SourceDir() + "/tests/system/sweep/data/glb_noc_layers.yaml";
}

// Runs the sweep into OUT with the given backend options; its exit status and output.
int Sweep(const std::string& out, const std::string& options, std::string* output,
          const std::string& environment = "") {
  return RunCommand(
      environment + " " + CyclopsBinary() + " sweep " + SweepFile() + " --out " + out + " " + options,
      output);
}

std::vector<sweep::PointRow> Rows(const std::string& out) {
  return sweep::ResultsDb(out + "/sweep.sqlite").Rows();
}

// Everything a row says about its point, without where and how long it ran.
std::map<std::string, std::string> Comparable(const std::vector<sweep::PointRow>& rows) {
  std::map<std::string, std::string> by_key;
  auto text = [](const auto& value) { return value ? nlohmann::json(*value).dump() : std::string("null"); };
  for (const sweep::PointRow& row : rows)
    by_key[row.key] = std::to_string(row.index) + " " + row.ParametersJson() + " " + row.command + " " +
                      row.status + " " + std::to_string(row.exit_code) + " " + text(row.cycles_simulated) +
                      " " + text(row.cycles_analytical) + " " + text(row.macs) + " " +
                      text(row.energy_pj_simulated) + " " + text(row.energy_pj_analytical) + " " +
                      text(row.top_stall) + " " + text(row.top_stall_cycles) + " " +
                      text(row.noc_busiest_utilisation);
  return by_key;
}

std::string Parameter(const sweep::PointRow& row, const std::string& key) {
  for (const auto& [name, value] : row.parameters)
    if (name == key) return value;
  return "";
}

TEST(Sweep, LocalRunsEveryPointWithItsValues) {
  const std::string out = TempDir("sweep_local");
  std::string output;
  ASSERT_EQ(Sweep(out, "--jobs 2", &output), 0) << output;
  EXPECT_NE(output.find("8 points, 0 already in"), std::string::npos) << output;
  const std::vector<sweep::PointRow> rows = Rows(out);
  ASSERT_EQ(rows.size(), 8u);  // 2 depths x 2 widths x 2 layers
  for (const sweep::PointRow& row : rows) {
    EXPECT_EQ(row.status, "ok") << row.message;
    // tiny_conv: C4 M8 R3 S3 P7 Q7 = 14,112 MACs; tiny_dw: G32 R3 S3 P7 Q7 = 14,112 (the files' comments).
    EXPECT_EQ(row.macs, 14112);
    ASSERT_TRUE(row.cycles_simulated && row.cycles_analytical);
    // The point's files carry its values: what the loader reads from them is what the sweep set.
    const nlohmann::json point = nlohmann::json::parse(ReadFile(out + "/points/" + row.key + "/point.json"));
    std::vector<std::string> run = point["steps"].back().get<std::vector<std::string>>();
    ASSERT_EQ(run.front(), "run");
    const std::vector<std::string> files(run.begin() + 1, run.begin() + 6);  // 3 base files, layer, mapping
    const spec::Spec spec = spec::LoadSpecFiles(files);
    const auto& glb = spec.architecture->storage[spec.architecture->StorageIndex("glb")];
    EXPECT_EQ(std::to_string(*glb.depth), Parameter(row, "architecture.glb.depth"));
    EXPECT_EQ(std::to_string(std::get<int64_t>(spec.architecture->noc->params.at("iact_width_bits"))),
              Parameter(row, "noc.iact_width_bits"));
    EXPECT_EQ(spec.workload->bounds[spec.workload->DimensionIndex("G")],
              Parameter(row, "workload") == "tiny_dw.yaml" ? 32 : 1);
  }
  // A row holds what its point's command computes: run point 1's own command line again and compare.
  const sweep::PointRow& row = rows[1];
  const nlohmann::json point = nlohmann::json::parse(ReadFile(out + "/points/" + row.key + "/point.json"));
  std::vector<std::string> run = point["steps"].back().get<std::vector<std::string>>();
  std::string command = CyclopsBinary();
  for (size_t i = 0; i < run.size(); ++i) {
    command += ' ';
    command += i > 0 && run[i - 1] == "--out" ? out + "/again" : run[i];
  }
  std::string again_output;
  ASSERT_EQ(RunCommand(command, &again_output), 0) << again_output;
  const nlohmann::json summary = nlohmann::json::parse(ReadFile(out + "/again/summary.json"));
  EXPECT_EQ(summary["cycles"]["simulated"], *row.cycles_simulated);
  EXPECT_EQ(summary["cycles"]["analytical"], *row.cycles_analytical);
  EXPECT_DOUBLE_EQ(summary["energy_pj"]["simulated"].get<double>(), *row.energy_pj_simulated);
  EXPECT_EQ(summary["stalls"][0]["cause"], *row.top_stall);
  // The table names every point.
  EXPECT_NE(output.find("8 of 8 points"), std::string::npos) << output;

  // scripts/plot_sweep.py: the parameters it offers, and per layer the points no other point of that layer
  // beats on both simulated cycles and energy (worked out here from the rows).
  std::string plot;
  ASSERT_EQ(
      RunCommand("/usr/bin/python3 " + SourceDir() + "/scripts/plot_sweep.py " + out + "/sweep.sqlite --list",
                 &plot),
      0)
      << plot;
  EXPECT_NE(
      plot.find("parameters: architecture.glb.depth, noc.iact_width_bits, workload, mapper.evaluations"),
      std::string::npos)
      << plot;
  plot.clear();
  ASSERT_EQ(RunCommand("/usr/bin/python3 " + SourceDir() + "/scripts/plot_sweep.py " + out +
                           "/sweep.sqlite --parameter noc.iact_width_bits -o " + out + "/sweep.png",
                       &plot),
            0)
      << plot;
  for (const std::string layer : {"tiny_conv", "tiny_dw"}) {
    std::vector<const sweep::PointRow*> members;
    for (const sweep::PointRow& r : rows)
      if (Parameter(r, "workload") == layer + ".yaml") members.push_back(&r);
    std::sort(members.begin(), members.end(), [](const sweep::PointRow* a, const sweep::PointRow* b) {
      return std::make_pair(*a->cycles_simulated, *a->energy_pj_simulated) <
             std::make_pair(*b->cycles_simulated, *b->energy_pj_simulated);
    });
    std::string front;
    double best = 1e300;
    for (const sweep::PointRow* r : members)
      if (*r->energy_pj_simulated < best) {
        best = *r->energy_pj_simulated;
        front += (front.empty() ? "#" : ", #") + std::to_string(r->index);
      }
    EXPECT_NE(plot.find("pareto front (workload=" + layer + "): " + front + "\n"), std::string::npos)
        << plot << "\nexpected " << front;
  }
  EXPECT_EQ(ReadFile(out + "/sweep.png").substr(1, 3), "PNG");
}

TEST(Sweep, ParallelStoresTheSameRowsAsLocal) {
  const std::string local = TempDir("sweep_vs_local"), parallel = TempDir("sweep_parallel");
  std::string output;
  ASSERT_EQ(Sweep(local, "--jobs 2", &output), 0) << output;
  ASSERT_EQ(Sweep(parallel, "--backend parallel --jobs 2", &output), 0) << output;
  EXPECT_NE(output.find("(parallel, 2 at a time)"), std::string::npos) << output;
  EXPECT_EQ(Comparable(Rows(parallel)), Comparable(Rows(local)));
  EXPECT_EQ(Rows(parallel).size(), 8u);
}

// A single-node Slurm on this machine (scripts/slurm_localhost), stopped when the test ends.
class LocalSlurm {
 public:
  explicit LocalSlurm(const std::string& dir) : dir_(dir) {
    started_ = RunCommand(SourceDir() + "/scripts/slurm_localhost start " + dir_, &output_) == 0;
  }
  ~LocalSlurm() {
    std::string ignored;
    RunCommand(SourceDir() + "/scripts/slurm_localhost stop " + dir_, &ignored);
  }
  bool started() const { return started_; }
  const std::string& output() const { return output_; }
  std::string Environment() const { return "SLURM_CONF=" + dir_ + "/slurm.conf"; }

 private:
  std::string dir_, output_;
  bool started_ = false;
};

TEST(Sweep, SlurmStoresTheSameRowsAsLocal) {
  const std::string local = TempDir("sweep_vs_slurm"), out = TempDir("sweep_slurm");
  LocalSlurm slurm(TempDir("slurm_daemons"));
  if (!slurm.started()) GTEST_SKIP() << "no local Slurm: " << slurm.output();
  std::string output;
  ASSERT_EQ(Sweep(local, "--jobs 2", &output), 0) << output;
  // Eight points in chunks of three: array tasks 0-2, each writing its own database, merged here.
  ASSERT_EQ(Sweep(out, "--backend slurm --chunk-size 3", &output, slurm.Environment()), 0) << output;
  EXPECT_EQ(Comparable(Rows(out)), Comparable(Rows(local)));
  for (int task = 0; task < 3; ++task) {
    EXPECT_TRUE(std::filesystem::exists(out + "/slurm/task_" + std::to_string(task) + ".log"));
    EXPECT_FALSE(
        std::filesystem::exists(out + "/slurm/chunk_" + std::to_string(task) + ".sqlite"));  // merged
  }
}

TEST(Sweep, SlurmDryRunPrintsTheArrayScript) {
  const std::string out = TempDir("sweep_slurm_dry");
  std::string output;
  ASSERT_EQ(Sweep(out, "--backend slurm --chunk-size 3 --sbatch-option=--partition=short --dry-run", &output),
            0)
      << output;
  // ceil(8 / 3) = 3 tasks.
  EXPECT_NE(output.find("#SBATCH --array=0-2\n"), std::string::npos) << output;
  EXPECT_NE(output.find("#SBATCH --partition=short\n"), std::string::npos) << output;
  EXPECT_NE(output.find("--chunk '" + out), std::string::npos) << output;
  EXPECT_TRUE(Rows(out).empty());  // nothing ran
}

// Counts the rows of a database another process is writing (0 before it exists).
int CountRows(const std::string& path) {
  if (!std::filesystem::exists(path)) return 0;
  sqlite3* db = nullptr;
  int count = 0;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_busy_timeout(db, 2000);
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM points", -1, &statement, nullptr) == SQLITE_OK &&
        sqlite3_step(statement) == SQLITE_ROW)
      count = sqlite3_column_int(statement, 0);
    sqlite3_finalize(statement);
  }
  sqlite3_close(db);
  return count;
}

TEST(Sweep, InterruptedSweepRunsOnlyTheMissingPoints) {
  const std::string out = TempDir("sweep_interrupted");
  // The sweep in a process group of its own, stopped the way Ctrl-C stops it: SIGINT to the group.
  std::vector<std::string> words = {CyclopsBinary(), "sweep", SweepFile(), "--out", out, "--jobs", "1"};
  std::vector<char*> argv;
  for (std::string& word : words) argv.push_back(word.data());
  argv.push_back(nullptr);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attributes, 0);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  ASSERT_EQ(posix_spawn(&pid, argv[0], &actions, &attributes, argv.data(), environ), 0);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::minutes(5);
  while (CountRows(out + "/sweep.sqlite") < 2 && std::chrono::steady_clock::now() < give_up)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  kill(-pid, SIGINT);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the sweep ended before it was interrupted";
  const std::vector<sweep::PointRow> before = Rows(out);
  ASSERT_GE(before.size(), 2u);
  ASSERT_LT(before.size(), 8u);

  std::string output;
  ASSERT_EQ(Sweep(out, "--jobs 2", &output), 0) << output;
  const size_t missing = 8 - before.size();
  EXPECT_NE(output.find("8 points, " + std::to_string(before.size()) + " already in"), std::string::npos)
      << output;
  EXPECT_NE(output.find(std::to_string(missing) + " to run"), std::string::npos) << output;
  const std::string count = std::to_string(missing), one_more = std::to_string(missing + 1);
  EXPECT_NE(output.find('[' + count + '/' + count + ']'), std::string::npos) << output;
  EXPECT_EQ(output.find('[' + one_more + '/'), std::string::npos) << output;
  const std::vector<sweep::PointRow> after = Rows(out);
  ASSERT_EQ(after.size(), 8u);
  // The rows stored before the interruption are untouched: the same run, the same wall time.
  std::map<std::string, double> wall;
  for (const sweep::PointRow& row : after) wall[row.key] = row.wall_seconds;
  for (const sweep::PointRow& row : before) EXPECT_EQ(wall.at(row.key), row.wall_seconds) << row.key;
}

TEST(Sweep, NetworkPointsHoldTheNetworksTotals) {
  const std::string out = TempDir("sweep_network");
  std::string output;
  ASSERT_EQ(RunCommand(CyclopsBinary() + " sweep " + SourceDir() +
                           "/tests/system/sweep/data/tiny_network.yaml --out " + out + " --jobs 2",
                       &output),
            0)
      << output;
  const std::vector<sweep::PointRow> rows = Rows(out);
  ASSERT_EQ(rows.size(), 2u);
  for (const sweep::PointRow& row : rows) {
    EXPECT_EQ(row.status, "ok") << row.message;
    EXPECT_EQ(row.command, "network");
    EXPECT_EQ(row.macs, 21880);  // configs/workloads/networks/README.md
    // --analytical-only among the options: the totals are the analytical model's, and nothing is simulated.
    EXPECT_TRUE(row.cycles_analytical.has_value());
    EXPECT_FALSE(row.cycles_simulated.has_value());
    // The row is the network.json's totals.
    const nlohmann::json network =
        nlohmann::json::parse(ReadFile(out + "/points/" + row.key + "/out/network.json"));
    EXPECT_EQ(network["totals"]["cycles"], *row.cycles_analytical);
    EXPECT_DOUBLE_EQ(network["totals"]["energy_pj"].get<double>(), *row.energy_pj_analytical);
  }
}

TEST(Sweep, BadParameterIsLocatedInTheSweepFile) {
  const std::string dir = TempDir("sweep_bad");
  std::filesystem::create_directories(dir);
  const std::string file = dir + "/bad.yaml";
  std::ofstream(file)
      << "sweep:\n  command: run\n  files: [" << SourceDir()
      << "/configs/arch/eyeriss_v1.yaml]\n  parameters:\n  - architecture.gbuf.depth: [1, 2]\n";
  std::string output;
  EXPECT_EQ(RunCommand(CyclopsBinary() + " sweep " + file + " --out " + dir + "/out", &output), 2) << output;
  EXPECT_NE(output.find(file + ":5:5"), std::string::npos) << output;
  EXPECT_NE(output.find("filter_glb"), std::string::npos) << output;  // what exists
  EXPECT_FALSE(std::filesystem::exists(dir + "/out/sweep.sqlite"));   // nothing ran
}

}  // namespace
}  // namespace cyclops::test
