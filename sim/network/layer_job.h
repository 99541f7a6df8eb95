// One accelerator layer simulated in its own process: SystemC elaborates once per process, so the network
// runner starts this same binary as `cyclops run ARCH... problem.yaml [mapping] --seed S --input-file F
// [--weights-file F] --output-file F --out DIR` (stdout and stderr to DIR/run.log), up to --jobs at a time.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace cyclops::network {

struct LayerJob {
  std::vector<std::string> spec_files;  // architecture (+ ERT), problem, optional mapping
  std::vector<std::string> extra_args;  // e.g. --bus-width 4
  uint64_t seed = 1;
  std::string input_file, output_file, dir;
  std::string weights_file;  // when not empty: the first operand's values (`cyclops run --weights-file`)
};

// Starts the job; throws std::runtime_error when the process cannot be started.
pid_t StartLayerJob(const std::string& self, const LayerJob& job);

}  // namespace cyclops::network
