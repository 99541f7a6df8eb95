#include "sim/cli/cli.h"

#include <CLI/CLI.hpp>
#include <iostream>

#include "sim/core/error.h"
#include "sim/spec/loader.h"

namespace cyclops::cli {

int Main(int argc, char** argv) {
  CLI::App app{"Cyclops: a cycle-level simulator of DNN accelerators"};
  app.require_subcommand(1);
  std::vector<std::string> files;
  auto* check = app.add_subcommand("check", "Read and validate spec files, print what they hold");
  check->add_option("files", files, "Timeloop v0.4 YAML files (architecture, problem, mapping, ERT)")
      ->required()
      ->check(CLI::ExistingFile);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  try {
    spec::Spec spec = spec::LoadSpecFiles(files);
    std::cout << "ok: " << files.size() << " file(s)\n";
    return 0;
  } catch (const SpecError& e) {
    std::cerr << e.what() << "\n";
    return 2;
  }
}

}  // namespace cyclops::cli
