// `cyclops sweep SWEEP.yaml`: a design-space sweep over any spec key path into an SQLite database, on this
// machine's cores, GNU parallel or Slurm (sim/sweep). Also the hidden worker modes its backends start.
#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>

#include "sim/cli/command.h"
#include "sim/core/child_process.h"
#include "sim/core/output_set.h"
#include "sim/spec/sweep_loader.h"
#include "sim/sweep/sweep_runner.h"

namespace cyclops::cli {
namespace {

class SweepCommand : public Command {
 public:
  std::string Summary() const override {
    return "Sweep spec parameters (any architecture attribute, NoC parameter, workload, ...) into SQLite, "
           "locally, with GNU parallel or on Slurm";
  }
  void AddOptions(CLI::App& command) override {
    command.add_option("sweep", sweep_file_, "The sweep file (configs/sweeps/README.md)")
        ->required()
        ->check(CLI::ExistingFile);
    command.add_option("--out", options_.out_dir,
                       "Folder of the points' files and the database (default out/sweeps/<sweep name>)");
    command.add_option("--db", options_.db_path, "The results database (default OUT/sweep.sqlite)");
    command.add_option("--backend", options_.backend, "Where points run: local, parallel or slurm")
        ->check(CLI::IsMember({"local", "parallel", "slurm"}));
    command.add_option("--jobs", options_.backend_options.jobs, "Points at once (per Slurm task)")
        ->check(CLI::PositiveNumber);
    command.add_option(
        "--sshlogin", options_.backend_options.sshlogins,
        "parallel: a machine to run on (GNU parallel --sshlogin; repeatable, ':' is this one)");
    command
        .add_option("--chunk-size", options_.backend_options.chunk_size,
                    "slurm: points per array task (default: at most 100 tasks)")
        ->check(CLI::PositiveNumber);
    command.add_option("--sbatch-option", options_.backend_options.sbatch_options,
                       "slurm: an #SBATCH line for the script, e.g. --partition=debug (repeatable)");
    command.add_flag("--dry-run", options_.backend_options.dry_run,
                     "parallel, slurm: print the command or batch script instead of running it");
    command.add_flag("--retry-failed", options_.retry_failed, "Run failed points again (kept by default)");
    command.add_flag("--list", list_, "Print the points and their keys, and run nothing");
    // The workers the backends start (not for people).
    command.add_option("--point", point_, "worker: run one point, print its row")->group("");
    command.add_option("--chunk", chunk_file_, "worker: run the points listed in FILE")->group("");
    command.add_option("--chunk-db", chunk_db_, "worker: the database a --chunk writes")->group("");
  }

  int Run() override {
    const sweep::Sweep sweep(spec::LoadSweepFile(sweep_file_));
    options_.sweep_file = sweep_file_;
    options_.self = SelfExecutable();
    if (options_.out_dir.empty()) options_.out_dir = "out/sweeps/" + sweep.spec().name;
    if (point_) {
      sweep::RunWorkerPoint(sweep, options_, *point_, std::cout);
      return 0;
    }
    if (!chunk_file_.empty()) {
      if (chunk_db_.empty()) throw std::runtime_error("--chunk needs --chunk-db");
      sweep::RunWorkerChunk(sweep, options_, chunk_file_, chunk_db_);
      return 0;
    }
    if (list_) {
      for (size_t i = 0; i < sweep.size(); ++i) {
        const sweep::SweepPoint point = sweep.Point(i);
        std::cout << "  #" << i << "  " << sweep.Inputs(point).key << "  " << point.Label() << "\n";
      }
      return 0;
    }
    // Unwritable folders are bad input, refused before any point runs. The database keeps each point's
    // row in one SQLite transaction and every point file is written whole, so an interrupted sweep leaves
    // whole rows only (and resumes from them).
    OutputSet{options_.out_dir};
    if (!options_.db_path.empty()) {
      const std::string db_dir = std::filesystem::path(options_.db_path).parent_path().string();
      OutputSet{db_dir.empty() ? "." : db_dir, "--db"};
    }
    return sweep::RunSweep(sweep, options_, std::cout);
  }

 private:
  std::string sweep_file_;
  sweep::SweepRunOptions options_;
  std::optional<size_t> point_;
  std::string chunk_file_, chunk_db_;
  bool list_ = false;
};

CYCLOPS_REGISTER_COMMAND("sweep", SweepCommand);

}  // namespace
}  // namespace cyclops::cli
