// Where a sweep's points run. A backend registers itself by name (`local`, `parallel`, `slurm`) and is given
// the points still missing from the database; every point it finishes goes to `finished` (which stores it).
// Each backend's timing and its use of outside tools is described in sim/sweep/README.md.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "sim/core/registry.h"
#include "sim/sweep/point_row.h"
#include "sim/sweep/sweep_points.h"

namespace cyclops::sweep {

struct BackendOptions {
  int jobs = 1;                             // points at once (local, parallel; per Slurm task)
  std::vector<std::string> sshlogins;       // parallel: GNU parallel --sshlogin values
  int64_t chunk_size = 0;                   // slurm: points per array task (0: at most 100 tasks)
  std::vector<std::string> sbatch_options;  // slurm: extra #SBATCH lines, e.g. --partition=debug
  bool dry_run = false;                     // parallel, slurm: print what would be submitted
};

struct SweepJob {
  const Sweep* sweep = nullptr;
  std::string sweep_file;      // absolute: worker processes read the sweep again
  std::string out_dir;         // absolute: the points' folders, the backends' files
  std::string self;            // the cyclops executable
  std::vector<size_t> points;  // indices to run, ascending
  BackendOptions options;
  std::function<void(const PointRow&)> finished;  // thread-safe; "interrupted" rows are passed too
};

class SweepBackend {
 public:
  virtual ~SweepBackend() = default;
  // Runs the points; returns when none is running any more. std::runtime_error when the backend's tool
  // cannot be started or fails as a whole.
  virtual void Run(const SweepJob& job) = 0;
  // Rows a previous, interrupted invocation left where only this backend knows (Slurm's per-task
  // databases): passed to `finished` before the missing points are worked out.
  virtual void Recover(const SweepJob& /*job*/) {}
};

using SweepBackendRegistry = Registry<SweepBackend>;

// Runs `points` of the sweep in this process's threads (each point's steps are child processes),
// `jobs` at a time. Shared by the local backend and the worker of a Slurm task.
void RunPointsLocally(const SweepJob& job);

// 'text' quoted for a POSIX shell.
std::string ShellQuote(const std::string& text);

}  // namespace cyclops::sweep

#define CYCLOPS_REGISTER_SWEEP_BACKEND(name, Type)               \
  [[maybe_unused]] static const bool kRegisteredBackend_##Type = \
      ::cyclops::sweep::SweepBackendRegistry::Add(name, [] { return std::make_unique<Type>(); })
