// What each subcommand needs from the files it was given, checked before any work starts.
#pragma once

#include <string>
#include <vector>

#include "sim/spec/specs.h"

namespace CLI {
class App;
}

namespace cyclops::cli {

// Architecture, problem and (unless need_mapping is false: `run` maps first) mapping must be present;
// throws SpecError saying which is missing.
void RequireForAnalysis(const spec::Spec& spec, bool need_mapping = true);

// Declares the required positional spec files of a subcommand (existing files, merged by top-level key)
// and, when `strict` is given, the --strict flag (warnings become errors).
void AddSpecFilesOption(CLI::App& command, std::vector<std::string>& files, const std::string& description,
                        bool* strict = nullptr);

// Prints the loader's notes (keys read but not used) and warnings to stderr, once each; with `strict`,
// the first warning is thrown as a SpecError instead (exit status 2).
void PrintNotes(const spec::Spec& spec, bool strict = false);

// What analyze, map and run do with their files: load them, print notes and warnings (PrintNotes), and
// without an Accelergy ERT price the components from Cyclops' primitive-component table
// (sim/energy/primitive_energy.h), saying so — the energy is then estimated, never silently zero. The
// `cyclops:` settings only the hardware reads are checked here too (top::CheckCyclopsSettings).
spec::Spec LoadSpecsForCommand(const std::vector<std::string>& files, bool strict);
// The same without printing the notes (a worker's candidate after candidate: the command printed them).
spec::Spec LoadSpecsWithEnergy(const std::vector<std::string>& files);
// The note LoadSpecsWithEnergy adds when it estimated the table (`table.estimated_from` not empty).
std::string EstimatedEnergyNote(const spec::EnergyTable& table);

}  // namespace cyclops::cli
