#include "sim/core/worker_pool.h"

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>

namespace cyclops {

WorkerPool::WorkerPool(int jobs, const std::string& program, const std::vector<std::string>& arguments,
                       const std::string& log_dir, std::string kind)
    : kind_(std::move(kind)) {
  for (int i = 0; i < jobs; ++i)
    workers_.push_back(
        {StartPipedProcess(program, arguments, log_dir + "/worker_" + std::to_string(i) + ".log"), "", ""});
}

WorkerPool::~WorkerPool() {
  for (Worker& worker : workers_) {
    close(worker.process.to_child);
    if (!worker.task.empty()) kill(worker.process.pid, SIGTERM);  // its answer is not needed any more
    close(worker.process.from_child);
    waitpid(worker.process.pid, nullptr, 0);
  }
}

int WorkerPool::running() const {
  int count = 0;
  for (const Worker& worker : workers_) count += worker.task.empty() ? 0 : 1;
  return count;
}

void WorkerPool::Start(const std::string& task, const std::string& line) {
  if (task.empty()) throw std::logic_error("a worker task needs a name");
  for (Worker& worker : workers_) {
    if (!worker.task.empty()) continue;
    WriteLine(worker.process.to_child, line);
    worker.task = task;
    return;
  }
  throw std::logic_error("every " + kind_ + " worker is busy");
}

std::pair<std::string, std::string> WorkerPool::WaitOne() {
  std::vector<pollfd> fds;
  std::vector<Worker*> busy;
  for (Worker& worker : workers_)
    if (!worker.task.empty()) fds.push_back({worker.process.from_child, POLLIN, 0}), busy.push_back(&worker);
  if (busy.empty()) throw std::logic_error("no " + kind_ + " task is running");
  while (poll(fds.data(), fds.size(), -1) < 0)
    if (errno != EINTR) throw std::runtime_error("waiting for the " + kind_ + " workers failed");
  for (size_t i = 0; i < fds.size(); ++i) {
    if (!fds[i].revents) continue;
    Worker& worker = *busy[i];
    std::string line;
    if (!ReadLine(worker.process.from_child, worker.pending, line))
      throw std::runtime_error("a " + kind_ + " worker ended while running " + worker.task);
    std::pair<std::string, std::string> answer{std::move(worker.task), std::move(line)};
    worker.task.clear();
    return answer;
  }
  throw std::logic_error("poll woke with nothing to read");
}

}  // namespace cyclops
