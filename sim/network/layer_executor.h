// Where a network's accelerator layers run (DESIGN.md decision 3): in this process, on one accelerator
// elaborated when the first layer needs it, or with --jobs N in N worker processes (`cyclops layer-worker`)
// that each elaborate once and run layer after layer, told which over a pipe. Either way a layer is
// LayerExecution's ExecuteLayer, so the results are the same for any N.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "sim/network/layer_execution.h"
#include "sim/spec/specs.h"

namespace cyclops::network {

class LayerExecutor {
 public:
  virtual ~LayerExecutor() = default;
  virtual int capacity() const = 0;  // layers at once
  virtual int running() const = 0;
  // Starts the layer (the in-process executor runs it right here).
  virtual void Start(const LayerTask& task) = 0;
  // A started layer that finished: its directory. Rethrows the layer's failure as the error it was
  // (SpecError, SimulationError, OutputMismatchError), naming the layer's directory.
  virtual std::string WaitOne() = 0;
};

std::unique_ptr<LayerExecutor> InProcessExecutor(const spec::Architecture& architecture,
                                                 top::HardwareOptions hardware, ExecutionSettings settings);

// `worker_arguments`: what `cyclops layer-worker` needs after the subcommand (architecture files, options).
std::unique_ptr<LayerExecutor> WorkerExecutor(int jobs, const std::string& self,
                                              std::vector<std::string> worker_arguments,
                                              const std::string& log_dir);

// The worker's side: reads one task per line on `in`, runs it, answers one line per task on `out`, until
// `in` closes. Returns the process's exit status.
int ServeLayerTasks(top::Accelerator& accelerator, const ExecutionSettings& settings, int in, int out);

}  // namespace cyclops::network
