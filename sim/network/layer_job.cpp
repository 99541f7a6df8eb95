#include "sim/network/layer_job.h"

#include <fcntl.h>
#include <spawn.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>

extern char** environ;

namespace cyclops::network {

pid_t StartLayerJob(const std::string& self, const LayerJob& job) {
  std::filesystem::create_directories(job.dir);
  std::vector<std::string> words = {self, "run"};
  words.insert(words.end(), job.spec_files.begin(), job.spec_files.end());
  for (const std::string& word :
       {std::string("--seed"), std::to_string(job.seed), std::string("--input-file"), job.input_file,
        std::string("--output-file"), job.output_file, std::string("--out"), job.dir})
    words.push_back(word);
  words.insert(words.end(), job.extra_args.begin(), job.extra_args.end());
  std::vector<char*> argv;
  for (std::string& word : words) argv.push_back(word.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  const std::string log = job.dir + "/run.log";
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  pid_t pid = 0;
  const int error = posix_spawn(&pid, self.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (error != 0) throw std::runtime_error("cannot start " + self + ": " + std::strerror(error));
  return pid;
}

std::string LastLines(const std::string& path, int lines) {
  std::ifstream file(path);
  std::vector<std::string> all;
  for (std::string line; std::getline(file, line);)
    if (!line.empty()) all.push_back(line);
  std::string tail;
  for (size_t i = all.size() > static_cast<size_t>(lines) ? all.size() - lines : 0; i < all.size(); ++i)
    tail += (tail.empty() ? "" : " | ") + all[i];
  return tail;
}

}  // namespace cyclops::network
