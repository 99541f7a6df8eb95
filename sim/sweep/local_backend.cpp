// `local`: the points run on this machine, `--jobs N` at a time, each in child processes of its own.
#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>

#include "sim/sweep/point_runner.h"
#include "sim/sweep/sweep_backend.h"

namespace cyclops::sweep {

void RunPointsLocally(const SweepJob& job) {
  std::atomic<size_t> next{0};
  std::atomic<bool> interrupted{false};
  const PointRunOptions options{job.self, job.out_dir};
  std::mutex failure_mutex;
  std::exception_ptr failure;
  auto work = [&] {
    try {
      for (size_t i = next++; i < job.points.size() && !interrupted; i = next++) {
        const PointRow row = RunPoint(*job.sweep, job.points[i], options);
        if (row.status == "interrupted") interrupted = true;  // someone is stopping the sweep: start no more
        job.finished(row);
      }
    } catch (...) {  // a point that could not even be set up (its folder, the database): stop, then report
      interrupted = true;
      std::lock_guard<std::mutex> lock(failure_mutex);
      if (!failure) failure = std::current_exception();
    }
  };
  const int threads = std::max(1, std::min<int>(job.options.jobs, static_cast<int>(job.points.size())));
  std::vector<std::thread> workers;
  for (int t = 1; t < threads; ++t) workers.emplace_back(work);
  work();
  for (std::thread& worker : workers) worker.join();
  if (failure) std::rethrow_exception(failure);
}

std::string ShellQuote(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

namespace {

class LocalBackend : public SweepBackend {
 public:
  void Run(const SweepJob& job) override { RunPointsLocally(job); }
};

}  // namespace

CYCLOPS_REGISTER_SWEEP_BACKEND("local", LocalBackend);

}  // namespace cyclops::sweep
