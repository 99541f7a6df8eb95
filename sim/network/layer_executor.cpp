#include "sim/network/layer_executor.h"

#include <deque>
#include <exception>
#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "sim/core/child_process.h"
#include "sim/core/error.h"
#include "sim/core/worker_pool.h"

namespace cyclops::network {

namespace {

// How a task's failure crosses the pipe: a status (as `cyclops run`'s exit statuses) and the message.
enum Status { kOk = 0, kOther = 1, kSpec = 2, kMismatch = 3, kStuck = 4 };

[[noreturn]] void Rethrow(int status, const std::string& message) {
  switch (status) {
    case kSpec:
      throw SpecError({"", 0, 0, ""}, message);
    case kMismatch:
      throw OutputMismatchError(message);
    case kStuck:
      throw SimulationError(message);
    default:
      throw std::runtime_error(message);
  }
}

// Runs the task; (status, message).
std::pair<int, std::string> Execute(top::Accelerator& accelerator, const LayerTask& task,
                                    const ExecutionSettings& settings) {
  const std::string where = "layer in " + task.dir + ": ";
  try {
    ExecuteLayer(accelerator, task, settings);
    return {kOk, ""};
  } catch (const SpecError& error) {
    return {kSpec, where + error.what()};
  } catch (const OutputMismatchError& error) {
    return {kMismatch, where + error.what()};
  } catch (const SimulationError& error) {
    return {kStuck, where + error.what()};
  } catch (const std::exception& error) {
    return {kOther, where + error.what()};
  }
}

class InProcess : public LayerExecutor {
 public:
  InProcess(const spec::Architecture& architecture, top::HardwareOptions hardware, ExecutionSettings settings)
      : architecture_(architecture), hardware_(std::move(hardware)), settings_(settings) {}

  int capacity() const override { return 1; }
  int running() const override { return static_cast<int>(done_.size()); }
  void Start(const LayerTask& task) override {
    if (!accelerator_) accelerator_ = std::make_unique<top::Accelerator>(architecture_, hardware_);
    const auto [status, message] = Execute(*accelerator_, task, settings_);
    done_.push_back({task.dir, status, message});
  }
  std::string WaitOne() override {
    if (done_.empty()) throw std::logic_error("no layer is running");
    const Done done = done_.front();
    done_.pop_front();
    if (done.status != kOk) Rethrow(done.status, done.message);
    return done.dir;
  }

 private:
  struct Done {
    std::string dir;
    int status;
    std::string message;
  };
  const spec::Architecture& architecture_;
  top::HardwareOptions hardware_;
  ExecutionSettings settings_;
  std::unique_ptr<top::Accelerator> accelerator_;
  std::deque<Done> done_;
};

class Workers : public LayerExecutor {
 public:
  Workers(int jobs, const std::string& self, const std::vector<std::string>& arguments,
          const std::string& log_dir)
      : pool_(jobs, self, WorkerWords(arguments), log_dir, "layer") {}

  int capacity() const override { return pool_.capacity(); }
  int running() const override { return pool_.running(); }
  void Start(const LayerTask& task) override {
    nlohmann::json line = {
        {"dir", task.dir}, {"key", task.key}, {"seed", task.seed}, {"files", task.spec_files}};
    if (task.prune_density) line["prune"] = *task.prune_density;
    pool_.Start(task.dir, line.dump());
  }
  std::string WaitOne() override {
    const auto [dir, line] = pool_.WaitOne();  // the task is the layer's directory
    const nlohmann::json answer = nlohmann::json::parse(line);
    const int status = answer.at("status").get<int>();
    if (status != kOk) Rethrow(status, answer.at("message").get<std::string>());
    return dir;
  }

 private:
  static std::vector<std::string> WorkerWords(const std::vector<std::string>& arguments) {
    std::vector<std::string> words{"layer-worker"};
    words.insert(words.end(), arguments.begin(), arguments.end());
    return words;
  }
  WorkerPool pool_;
};

}  // namespace

std::unique_ptr<LayerExecutor> InProcessExecutor(const spec::Architecture& architecture,
                                                 top::HardwareOptions hardware, ExecutionSettings settings) {
  return std::make_unique<InProcess>(architecture, std::move(hardware), settings);
}

std::unique_ptr<LayerExecutor> WorkerExecutor(int jobs, const std::string& self,
                                              std::vector<std::string> arguments,
                                              const std::string& log_dir) {
  return std::make_unique<Workers>(jobs, self, arguments, log_dir);
}

int ServeLayerTasks(top::Accelerator& accelerator, const ExecutionSettings& settings, int in, int out) {
  std::string pending, line;
  while (ReadLine(in, pending, line)) {
    const nlohmann::json request = nlohmann::json::parse(line);
    LayerTask task;
    task.dir = request.at("dir").get<std::string>();
    task.key = request.at("key").get<std::string>();
    task.seed = request.at("seed").get<uint64_t>();
    task.spec_files = request.at("files").get<std::vector<std::string>>();
    if (request.contains("prune")) task.prune_density = request.at("prune").get<double>();
    const auto [status, message] = Execute(accelerator, task, settings);
    WriteLine(out, nlohmann::json{{"dir", task.dir}, {"status", status}, {"message", message}}.dump());
  }
  return 0;
}

}  // namespace cyclops::network
