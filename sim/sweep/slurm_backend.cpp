// `slurm`: one `sbatch` array job, one task per chunk of points. Task K runs
// `cyclops sweep SWEEP --out OUT --chunk OUT/slurm/chunk_K.txt --chunk-db OUT/slurm/chunk_K.sqlite`, writing
// its rows into a database of its own (tasks on different nodes never share one); this process waits
// (polling squeue) and merges the task databases into the sweep's. A sweep whose waiting process was killed
// merges what the tasks left the next time it starts. `--dry-run` prints the script instead of submitting.
// The nodes need the cyclops binary and the sweep's folder at the same paths (a shared file system).
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <stdexcept>
#include <thread>

#include "sim/core/atomic_file.h"
#include "sim/core/child_process.h"
#include "sim/sweep/results_db.h"
#include "sim/sweep/sweep_backend.h"
#include "sim/sweep/tool_path.h"

namespace cyclops::sweep {

namespace {

namespace fs = std::filesystem;

std::string Script(const SweepJob& job, size_t tasks) {
  const std::string dir = job.out_dir + "/slurm";
  std::string script = "#!/bin/bash\n";
  script += "# cyclops sweep " + job.sweep->spec().name + ": " + std::to_string(job.points.size()) +
            " points in " + std::to_string(tasks) + " array tasks\n";
  script += "#SBATCH --job-name=cyclops-sweep-" + job.sweep->spec().name + "\n";
  script += "#SBATCH --array=0-" + std::to_string(tasks - 1) + "\n";
  script += "#SBATCH --output=" + dir + "/task_%a.log\n";
  script += "#SBATCH --cpus-per-task=" + std::to_string(job.options.jobs) + "\n";
  for (const std::string& option : job.options.sbatch_options) script += "#SBATCH " + option + "\n";
  script += "set -eu\n";
  const std::string chunk = ShellQuote(dir + "/chunk_") + "\"$SLURM_ARRAY_TASK_ID\"";
  script += "exec " + ShellQuote(job.self) + " sweep " + ShellQuote(job.sweep_file) + " --out " +
            ShellQuote(job.out_dir) + " --jobs " + std::to_string(job.options.jobs) + " --chunk " + chunk +
            ".txt --chunk-db " + chunk + ".sqlite\n";
  return script;
}

class SlurmBackend : public SweepBackend {
 public:
  void Recover(const SweepJob& job) override {
    const fs::path dir = fs::path(job.out_dir) / "slurm";
    if (!fs::is_directory(dir)) return;
    std::vector<fs::path> databases;
    for (const fs::directory_entry& entry : fs::directory_iterator(dir))
      if (entry.path().extension() == ".sqlite") databases.push_back(entry.path());
    std::sort(databases.begin(), databases.end());
    for (const fs::path& path : databases) {
      {
        const ResultsDb chunk(path.string());
        for (const PointRow& row : chunk.Rows()) job.finished(row);
      }
      fs::remove(path);  // merged: a later start must not count its rows again
    }
  }

  void Run(const SweepJob& job) override {
    const std::string dir = job.out_dir + "/slurm";
    const size_t total = job.points.size();
    const size_t chunk = job.options.chunk_size > 0 ? static_cast<size_t>(job.options.chunk_size)
                                                    : (total + 99) / 100;  // at most 100 tasks
    const size_t tasks = (total + chunk - 1) / chunk;
    const std::string script = Script(job, tasks);
    if (job.options.dry_run) {
      std::cout << script;
      return;
    }
    for (size_t task = 0; task < tasks; ++task) {
      std::string indices;
      for (size_t i = task * chunk; i < std::min(total, (task + 1) * chunk); ++i)
        indices += std::to_string(job.points[i]) + "\n";
      WriteFileAtomically(dir + "/chunk_" + std::to_string(task) + ".txt", indices);
      fs::remove(dir + "/chunk_" + std::to_string(task) + ".sqlite");
    }
    WriteFileAtomically(dir + "/sweep.sbatch", script);
    const std::string log = dir + "/sbatch.log";
    const int code = WaitForExit(StartProcess(ToolPath("sbatch", "Debian package slurm-client"),
                                              {"--parsable", dir + "/sweep.sbatch"}, log));
    if (code != 0)
      throw std::runtime_error("sbatch exited with status " + std::to_string(code) + ": " +
                               LastLines(log, 3));
    const std::string job_id = LastLines(log, 1).substr(0, LastLines(log, 1).find(';'));  // "id[;cluster]"
    WaitForJob(job_id, dir);
    Recover(job);  // whatever the tasks stored; points a failed task did not store are reported missing
  }

 private:
  // Polls squeue until the array job has left the queue: every half second at first, backing off to every
  // ten (sbatch --wait's own polling takes ten seconds for a job of one).
  static void WaitForJob(const std::string& job_id, const std::string& dir) {
    const std::string squeue = ToolPath("squeue", "Debian package slurm-client");
    const std::string log = dir + "/squeue.log";
    double pause = 0.5;
    for (int failures = 0;;) {
      const int code =
          WaitForExit(StartProcess(squeue, {"--noheader", "--jobs", job_id, "--format", "%i %T"}, log));
      // squeue fails for a job id the controller has already forgotten (gone too), and when the controller
      // does not answer (try again, a few times).
      const std::string last = LastLines(log, 1);
      if (code == 0 && last.empty()) return;
      if (code != 0 && (last.find("Invalid job id") != std::string::npos || ++failures == 5)) return;
      if (code == 0) failures = 0;
      std::this_thread::sleep_for(std::chrono::duration<double>(pause));
      pause = std::min(10.0, pause * 1.5);
    }
  }
};

}  // namespace

CYCLOPS_REGISTER_SWEEP_BACKEND("slurm", SlurmBackend);

}  // namespace cyclops::sweep
