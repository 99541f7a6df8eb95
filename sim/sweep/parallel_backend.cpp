// `parallel`: GNU parallel runs one `cyclops sweep SWEEP --point I` worker per point, `--jobs N` at a time,
// on this machine or, with `--sshlogin`, on others. Each worker prints its row on standard output, which
// parallel brings back whole per job (its default --group), so no database is shared between machines:
// this process reads the rows from parallel's output as they arrive and stores them. Remote machines need
// the same cyclops binary and the sweep's files at the same paths (a shared file system).
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <stdexcept>
#include <thread>

#include "sim/core/atomic_file.h"
#include "sim/core/child_process.h"
#include "sim/sweep/sweep_backend.h"
#include "sim/sweep/tool_path.h"

namespace cyclops::sweep {

namespace {

// Reads the log from `offset` on and hands every complete row line to `finished`; returns the new offset.
std::streamoff TakeRows(const std::string& log, std::streamoff offset, const SweepJob& job) {
  std::ifstream file(log, std::ios::binary);
  if (!file) return offset;
  file.seekg(offset);
  std::string line;
  std::streamoff consumed = offset;
  while (std::getline(file, line)) {
    if (file.eof()) break;  // a line still being written: read it next time
    consumed += static_cast<std::streamoff>(line.size()) + 1;
    const size_t marker = line.find(kRowMarker);
    if (marker == std::string::npos) continue;
    job.finished(RowFromJson(line.substr(marker + std::string(kRowMarker).size())));
  }
  return consumed;
}

class ParallelBackend : public SweepBackend {
 public:
  void Run(const SweepJob& job) override {
    const std::string dir = job.out_dir + "/parallel";
    std::string indices;
    for (size_t index : job.points) indices += std::to_string(index) + "\n";
    WriteFileAtomically(dir + "/points.txt", indices);
    // --quote: every word reaches the worker as it is, whatever the paths hold.
    std::vector<std::string> arguments = {"--will-cite", "--quote",
                                          "--jobs",      std::to_string(job.options.jobs),
                                          "--arg-file",  dir + "/points.txt"};
    for (const std::string& login : job.options.sshlogins)
      arguments.insert(arguments.end(), {"--sshlogin", login});
    arguments.insert(arguments.end(),
                     {job.self, "sweep", job.sweep_file, "--out", job.out_dir, "--point", "{}"});
    if (job.options.dry_run) {
      std::string line = "parallel";
      for (const std::string& word : arguments) {
        line += ' ';
        line += ShellQuote(word);
      }
      std::cout << line << "\n";
      return;
    }
    const std::string log = dir + "/parallel.log";
    const pid_t pid = StartProcess(ToolPath("parallel", "Debian package parallel"), arguments, log);
    std::atomic<bool> done{false};
    int code = 0;
    std::thread waiter([&] {
      code = WaitForExit(pid);
      done = true;
    });
    std::streamoff offset = 0;
    try {
      while (!done) {
        offset = TakeRows(log, offset, job);
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
      }
      waiter.join();
    } catch (...) {
      waiter.join();
      throw;
    }
    offset = TakeRows(log, offset, job);
    // parallel's status is the number of jobs that failed; a worker fails only when it could not run at
    // all (its point's own failures are rows).
    if (code != 0)
      throw std::runtime_error("GNU parallel exited with status " + std::to_string(code) + " (see " + log +
                               "): " + LastLines(log, 3));
  }
};

}  // namespace

CYCLOPS_REGISTER_SWEEP_BACKEND("parallel", ParallelBackend);

}  // namespace cyclops::sweep
