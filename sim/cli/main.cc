// The `cyclops` command. All the work is in sim/cli so tests can drive it in-process too.
#include "sim/cli/cli.h"

int main(int argc, char** argv) { return cyclops::cli::Main(argc, argv); }
