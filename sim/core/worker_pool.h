// N worker processes of this binary that each take one task line at a time on stdin and answer with one
// line on stdout (`cyclops layer-worker` for `network --jobs N`, `cyclops rerank-worker` for
// `map --sim-rerank --jobs N`): each elaborates its accelerator once and runs task after task. The pool
// only moves lines; what they say is the caller's. Worker i's stderr goes to LOG_DIR/worker_i.log.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "sim/core/child_process.h"

namespace cyclops {

class WorkerPool {
 public:
  // `kind` names the workers in errors ("layer", "rerank").
  WorkerPool(int jobs, const std::string& program, const std::vector<std::string>& arguments,
             const std::string& log_dir, std::string kind);
  // Closes every worker's stdin (they end) and waits for them; a worker still busy is terminated.
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  int capacity() const { return static_cast<int>(workers_.size()); }
  int running() const;
  // Hands `line` to an idle worker; `task` names it in WaitOne's answer and in errors.
  void Start(const std::string& task, const std::string& line);
  // Blocks until a busy worker answers: (its task, the answer line). std::runtime_error when a worker
  // ended without answering.
  std::pair<std::string, std::string> WaitOne();

 private:
  struct Worker {
    PipedProcess process;
    std::string task;     // the task it runs; empty = idle
    std::string pending;  // what it wrote after the last line read
  };
  std::string kind_;
  std::vector<Worker> workers_;
};

}  // namespace cyclops
