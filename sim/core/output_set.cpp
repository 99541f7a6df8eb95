#include "sim/core/output_set.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "sim/core/error.h"

namespace cyclops {

namespace {

const char* const kValid = "--out DIR: a directory that can be created and written, with room for the files";

[[noreturn]] void Refuse(const std::string& path, const std::string& reason) {
  throw SpecError({path, 0, 0, "--out"}, "cannot write the output: " + reason, kValid);
}

// Writes all of `contents` to a new file at `path`; the reason on failure.
std::string WriteNew(const std::string& path, const std::string& contents) {
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return std::strerror(errno);
  size_t written = 0;
  while (written < contents.size()) {
    const ssize_t count = write(fd, contents.data() + written, contents.size() - written);
    if (count < 0 && errno == EINTR) continue;
    if (count <= 0) {
      const std::string reason = count < 0 ? std::strerror(errno) : "nothing written";
      close(fd);
      return reason;
    }
    written += static_cast<size_t>(count);
  }
  if (close(fd) != 0) return std::strerror(errno);
  return {};
}

}  // namespace

OutputSet::OutputSet(std::string dir) : dir_(std::move(dir)) {
  std::error_code error;
  std::filesystem::create_directories(dir_, error);
  if (error) Refuse(dir_, error.message());
  if (!std::filesystem::is_directory(dir_, error)) Refuse(dir_, "not a directory");
  std::string probe = dir_ + "/.cyclops-write-test-XXXXXX";
  const int fd = mkstemp(probe.data());
  if (fd < 0) Refuse(dir_, std::strerror(errno));
  close(fd);
  unlink(probe.c_str());
}

void OutputSet::Add(const std::string& name, std::string contents) {
  for (auto& [queued, text] : files_)
    if (queued == name) {
      text = std::move(contents);
      return;
    }
  files_.emplace_back(name, std::move(contents));
}

void OutputSet::Commit() {
  // The pid keeps concurrent writers into one folder (parallel layer runs) from sharing temporaries.
  const std::string suffix = ".tmp." + std::to_string(getpid());
  std::vector<std::string> temporaries;
  auto remove_temporaries = [&] {
    for (const std::string& temporary : temporaries) unlink(temporary.c_str());
  };
  for (const auto& [name, contents] : files_) {
    const std::string temporary = dir_ + "/" + name + suffix;
    temporaries.push_back(temporary);
    const std::string reason = WriteNew(temporary, contents);
    if (!reason.empty()) {
      remove_temporaries();
      Refuse(dir_ + "/" + name, reason);
    }
  }
  for (size_t i = 0; i < files_.size(); ++i) {
    const std::string target = dir_ + "/" + files_[i].first;
    if (std::rename(temporaries[i].c_str(), target.c_str()) != 0) {
      const std::string reason = std::strerror(errno);
      temporaries.erase(temporaries.begin(), temporaries.begin() + static_cast<long>(i));
      remove_temporaries();
      Refuse(target, reason);
    }
  }
  files_.clear();
}

std::string OutputSet::Names() const {
  std::string names;
  for (const auto& file : files_) names += (names.empty() ? "" : ", ") + file.first;
  return names;
}

}  // namespace cyclops
