#include "sim/cli/cli.h"

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>

#include "sim/cli/command.h"
#include "sim/core/error.h"

namespace cyclops::cli {

int Main(int argc, char** argv) {
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
  CLI::App app{
      "Cyclops: a cycle-level simulator of DNN accelerators that reads Timeloop v0.4 specs.\n"
      "Exit status: 0 ok, 1 usage, 2 bad input, 3 output mismatch, 4 simulation stopped."};
  app.require_subcommand(1);
  std::map<std::string, std::unique_ptr<Command>> commands;
  std::map<std::string, CLI::App*> subcommands;
  for (const std::string& name : CommandRegistry::Names()) {
    commands[name] = CommandRegistry::Make(name);
    subcommands[name] = app.add_subcommand(name, commands[name]->Summary());
    // Workers other commands start are left out of `cyclops --help`.
    if (commands[name]->Summary().rfind("(internal)", 0) == 0) subcommands[name]->group("");
    commands[name]->AddOptions(*subcommands[name]);
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help is a success; every other command-line mistake is the documented usage status 1.
    return app.exit(e) == 0 ? 0 : 1;
  }
  for (const auto& [name, subcommand] : subcommands) {
    if (!subcommand->parsed()) continue;
    try {
      return commands[name]->Run();
    } catch (const SpecError& e) {
      std::cerr << e.what() << "\n";
      return 2;
    } catch (const OutputMismatchError& e) {
      std::cerr << "error: " << e.what() << "\n";
      return 3;
    } catch (const SimulationError& e) {
      std::cerr << "error: " << e.what() << "\n";
      return 4;
    } catch (const std::exception& e) {
      std::cerr << "error: " << e.what() << "\n";
      return 1;
    }
  }
  return 1;
}

}  // namespace cyclops::cli
