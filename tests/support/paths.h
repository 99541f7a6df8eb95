// Where tests find the repository, the shared reference data and the cyclops binary.
#pragma once

#include <string>

namespace cyclops::test {

std::string SourceDir();        // the repository root
std::string ReferenceDir();     // ../shared/reference relative to the repository root
std::string CyclopsBinary();    // the built `cyclops` command

// Runs a shell command, returns its exit status; stdout and stderr together go to *output.
int RunCommand(const std::string& command, std::string* output);

}  // namespace cyclops::test
