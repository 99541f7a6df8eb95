// The `cyclops` command. All the work is in sim/cli so tests can drive it in-process too.
//
// Cyclops owns main() (instead of libsystemc's) so that it can silence SystemC's banner before the
// simulation context exists; SystemC modules are built and sc_start() is called from ordinary code.
// libsystemc still references sc_main, which is therefore defined but never called.
#include "sim/cli/cli.h"

extern "C" int sc_main(int, char**) {
  return 1;
}

int main(int argc, char** argv) {
  return cyclops::cli::Main(argc, argv);
}
