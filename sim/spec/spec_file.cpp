#include "sim/spec/spec_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "sim/core/error.h"
#include "sim/spec/yaml_reader.h"

namespace cyclops::spec {

namespace {

const char* const kValid = "a path to a readable YAML file";

[[noreturn]] void Refuse(const std::string& path, const std::string& problem) {
  throw SpecError({path, 0, 0, ""}, problem, kValid);
}

const char* KindOf(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISCHR(mode) || S_ISBLK(mode)) return "a device";
  return "not a regular file";
}

// Closes the descriptor on every way out.
struct Descriptor {
  int fd;
  ~Descriptor() {
    if (fd >= 0) close(fd);
  }
};

}  // namespace

std::string ReadSpecFile(const std::string& path) {
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.
  Descriptor file{open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)};
  if (file.fd < 0) Refuse(path, std::string("cannot open the file: ") + std::strerror(errno));
  struct stat status {};
  if (fstat(file.fd, &status) != 0)
    Refuse(path, std::string("cannot read the file: ") + std::strerror(errno));
  if (!S_ISREG(status.st_mode)) Refuse(path, std::string("is ") + KindOf(status.st_mode) + ", not a file");
  std::string text;
  char buffer[1 << 16];
  while (true) {
    const ssize_t count = read(file.fd, buffer, sizeof buffer);
    if (count < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (count < 0) Refuse(path, std::string("cannot read the file: ") + std::strerror(errno));
    if (count == 0) break;
    text.append(buffer, static_cast<size_t>(count));
  }
  if (text.empty()) Refuse(path, "the file is empty");
  if (!FirstContent(text)) Refuse(path, "the file holds no YAML, only blank lines and comments");
  return text;
}

}  // namespace cyclops::spec
