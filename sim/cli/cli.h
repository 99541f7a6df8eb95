// The `cyclops` command line: subcommands, their options, and the mapping from errors to exit status
// (0 ok, 1 usage, 2 bad input, 3 output mismatch, 4 simulation stopped).
#pragma once

namespace cyclops::cli {

int Main(int argc, char** argv);

}  // namespace cyclops::cli
