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

namespace fs = std::filesystem;

[[noreturn]] void Refuse(const std::string& path, const std::string& option, const std::string& reason) {
  throw SpecError({path, 0, 0, option}, "cannot write the output: " + reason,
                  option + " DIR: a directory that can be created and written, with room for the files");
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

// Creating a file in `dir` (an existing folder) works: tried, not guessed (root ignores permission bits,
// a read-only mount does not).
std::string ProbeFolder(const std::string& dir) {
  std::string probe = dir + "/.cyclops-write-test-XXXXXX";
  const int fd = mkstemp(probe.data());
  if (fd < 0) return std::strerror(errno);
  close(fd);
  unlink(probe.c_str());
  return {};
}

// `dir` exists as a folder that takes files, or its nearest existing ancestor is one (so it can be made).
void CheckWritable(const std::string& dir, const std::string& option) {
  std::error_code error;
  fs::path at = fs::absolute(dir, error);
  if (error) Refuse(dir, option, error.message());
  while (!fs::exists(at, error)) {
    if (!at.has_relative_path()) Refuse(dir, option, "no existing folder above it");
    at = at.parent_path();
  }
  if (!fs::is_directory(at, error))
    Refuse(dir, option, at == fs::absolute(dir) ? "not a directory" : at.string() + " is not a directory");
  const std::string reason = ProbeFolder(at.string());
  if (!reason.empty()) Refuse(dir, option, reason);
}

}  // namespace

OutputSet::OutputSet(std::string dir, std::string option) : dir_(std::move(dir)) {
  AddFolder(dir_, option);
}

void OutputSet::AddFolder(const std::string& dir, const std::string& option) {
  CheckWritable(dir, option);
  folders_.push_back({dir, option});
}

const std::string& OutputSet::OptionOf(const std::string& dir) const {
  for (const Folder& folder : folders_)
    if (folder.dir == dir) return folder.option;
  return folders_.front().option;
}

void OutputSet::Add(const std::string& name, std::string contents) {
  AddIn(dir_, name, std::move(contents));
}

void OutputSet::AddIn(const std::string& dir, const std::string& name, std::string contents) {
  for (File& queued : files_)
    if (queued.dir == dir && queued.name == name) {
      queued.contents = std::move(contents);
      return;
    }
  files_.push_back({dir, name, OptionOf(dir), std::move(contents)});
}

void OutputSet::Commit() {
  // The pid keeps concurrent writers into one folder (parallel layer runs) from sharing temporaries.
  const std::string suffix = ".tmp." + std::to_string(getpid());
  std::vector<std::string> temporaries;
  std::vector<fs::path> created;  // folders this commit made, deepest last
  auto undo = [&] {
    for (const std::string& temporary : temporaries) unlink(temporary.c_str());
    std::error_code ignored;
    for (auto folder = created.rbegin(); folder != created.rend(); ++folder) fs::remove(*folder, ignored);
  };
  for (const Folder& folder : folders_) {
    std::error_code error;
    fs::path at = fs::absolute(folder.dir, error);
    std::vector<fs::path> missing;
    for (; !error && !fs::exists(at, error) && at.has_relative_path(); at = at.parent_path())
      missing.push_back(at);
    for (auto path = missing.rbegin(); path != missing.rend(); ++path) {
      if (!fs::create_directory(*path, error) && error) {
        undo();
        Refuse(folder.dir, folder.option, error.message());
      }
      created.push_back(*path);
    }
  }
  for (const File& file : files_) {
    const std::string temporary = file.dir + "/" + file.name + suffix;
    temporaries.push_back(temporary);  // removed on failure, even half written
    const std::string reason = WriteNew(temporary, file.contents);
    if (!reason.empty()) {
      undo();
      Refuse(file.dir + "/" + file.name, file.option, reason);
    }
  }
  for (size_t i = 0; i < files_.size(); ++i) {
    const std::string target = files_[i].dir + "/" + files_[i].name;
    if (std::rename(temporaries[i].c_str(), target.c_str()) != 0) {
      const std::string reason = std::strerror(errno);
      temporaries.erase(temporaries.begin(), temporaries.begin() + static_cast<long>(i));
      created.clear();  // files already renamed into place live in them
      undo();
      Refuse(target, files_[i].option, reason);
    }
  }
  files_.clear();
}

std::string OutputSet::Names() const {
  std::string names;
  for (const File& file : files_)
    if (file.dir == dir_) names += (names.empty() ? "" : ", ") + file.name;
  return names;
}

}  // namespace cyclops
