// Reading one spec file from disk, refusing what is not a readable YAML text file — a directory, a FIFO
// or a device (opened without blocking, so a FIFO nobody writes to cannot hang the command), a file
// that cannot be opened or read, an empty file, a binary file — with a SpecError naming the file.
#pragma once

#include <string>

namespace cyclops::spec {

std::string ReadSpecFile(const std::string& path);

}  // namespace cyclops::spec
