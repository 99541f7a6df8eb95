#include "sim/network/layer_job.h"

#include <filesystem>

#include "sim/core/child_process.h"

namespace cyclops::network {

pid_t StartLayerJob(const std::string& self, const LayerJob& job) {
  std::filesystem::create_directories(job.dir);
  std::vector<std::string> arguments = {"run"};
  arguments.insert(arguments.end(), job.spec_files.begin(), job.spec_files.end());
  for (const std::string& word :
       {std::string("--seed"), std::to_string(job.seed), std::string("--input-file"), job.input_file,
        std::string("--output-file"), job.output_file, std::string("--out"), job.dir})
    arguments.push_back(word);
  if (!job.weights_file.empty()) arguments.insert(arguments.end(), {"--weights-file", job.weights_file});
  arguments.insert(arguments.end(), job.extra_args.begin(), job.extra_args.end());
  return StartProcess(self, arguments, job.dir + "/run.log");
}

}  // namespace cyclops::network
