// Where tests find the repository, the shared reference data and the cyclops binary.
#pragma once

#include <string>

namespace cyclops::test {

std::string SourceDir();      // the repository root
std::string ReferenceDir();   // ../shared/reference relative to the repository root
std::string CyclopsBinary();  // the built `cyclops` command

// Runs a shell command, returns its exit status; stdout and stderr together go to *output.
int RunCommand(const std::string& command, std::string* output);

// The whole contents of a file ("" when it cannot be read).
std::string ReadFile(const std::string& path);

// A fresh, empty-or-absent directory path under the system temp directory, unique to this process.
std::string TempDir(const std::string& name);

}  // namespace cyclops::test
