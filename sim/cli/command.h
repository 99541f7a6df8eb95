// A `cyclops` subcommand. Each subcommand is one file pair that registers itself by name, so adding a
// subcommand edits no central list. The driver (cli.cpp) turns exceptions into exit statuses.
#pragma once

#include <string>

#include "sim/core/registry.h"

namespace CLI {
class App;
}

namespace cyclops::cli {

class Command {
 public:
  virtual ~Command() = default;
  virtual std::string Summary() const = 0;         // one line for `cyclops --help`
  virtual void AddOptions(CLI::App& command) = 0;  // declares options into this subcommand
  virtual int Run() = 0;                           // exit status; may throw SpecError and friends
};

using CommandRegistry = Registry<Command>;

}  // namespace cyclops::cli

#define CYCLOPS_REGISTER_COMMAND(name, Type)                                  \
  static const bool kRegistered##Type = ::cyclops::cli::CommandRegistry::Add( \
      name, [] { return std::unique_ptr<::cyclops::cli::Command>(new Type()); })
