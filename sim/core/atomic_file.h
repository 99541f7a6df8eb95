// Output files are written whole or not at all: the text goes to a temporary file beside the target,
// which is then renamed over it (rename is atomic within one file system).
#pragma once

#include <string>

namespace cyclops {

// Creates missing parent directories. Throws SpecError naming the path on failure (exit status 2).
void WriteFileAtomically(const std::string& path, const std::string& contents);

}  // namespace cyclops
