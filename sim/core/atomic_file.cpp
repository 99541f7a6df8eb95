#include "sim/core/atomic_file.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>

#include "sim/core/error.h"

namespace cyclops {

namespace {

// An output that cannot be written (a full disk, a read-only folder) is the documented bad-input status,
// naming the file, like the output sets' refusals (sim/core/output_set.h).
[[noreturn]] void Refuse(const std::string& path, int error) {
  throw SpecError({path, 0, 0, ""}, std::string("cannot write the output: ") + std::strerror(error),
                  "a folder that can be written, with room for the file");
}

}  // namespace

void WriteFileAtomically(const std::string& path, const std::string& contents) {
  namespace fs = std::filesystem;
  const fs::path target(path);
  std::error_code ignored;
  if (target.has_parent_path()) fs::create_directories(target.parent_path(), ignored);
  // The pid keeps concurrent writers (e.g. parallel layer workers) from sharing a temporary.
  const std::string temporary = path + ".tmp." + std::to_string(getpid());
  FILE* file = std::fopen(temporary.c_str(), "wb");
  if (!file) Refuse(path, errno);
  const bool written = std::fwrite(contents.data(), 1, contents.size(), file) == contents.size();
  const bool closed = std::fclose(file) == 0;
  if (!written || !closed || std::rename(temporary.c_str(), path.c_str()) != 0) {
    const int error = errno;
    std::remove(temporary.c_str());
    Refuse(path, error);
  }
}

}  // namespace cyclops
