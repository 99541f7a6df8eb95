#include "sim/cli/spec_requirements.h"

#include <CLI/CLI.hpp>
#include <iostream>

#include "sim/core/error.h"
#include "sim/energy/primitive_energy.h"
#include "sim/spec/loader.h"
#include "sim/top/accelerator.h"

namespace cyclops::cli {

namespace {
std::string FileList(const spec::Spec& spec) {
  std::string list;
  for (const std::string& file : spec.files) list += (list.empty() ? "" : ", ") + file;
  return list;
}
}  // namespace

void RequireForAnalysis(const spec::Spec& spec, bool need_mapping) {
  const char* missing = !spec.architecture              ? "architecture"
                        : !spec.workload                ? "problem"
                        : !spec.mapping && need_mapping ? "mapping"
                                                        : nullptr;
  if (missing)
    throw SpecError({FileList(spec), 0, 0, missing}, std::string("no '") + missing + "' in the files given",
                    "pass files whose top-level keys together include architecture, problem and mapping");
}

void AddSpecFilesOption(CLI::App& command, std::vector<std::string>& files, const std::string& description,
                        bool* strict) {
  // Not CLI::ExistingFile: the loader refuses a missing, unreadable or odd file (a directory, a FIFO) with
  // the documented bad-input status and a message naming it.
  command.add_option("files", files, description)->required();
  if (strict)
    command.add_flag("--strict", *strict,
                     "Treat spec warnings (e.g. an attribute name one typo away from a known one) as errors");
}

void PrintNotes(const spec::Spec& spec, bool strict) {
  if (strict && !spec.warnings.empty()) {
    const spec::SpecWarning& first = spec.warnings.front();
    throw SpecError(first.where, first.problem +
                                     (first.suggestion.empty() ? "" : " (" + first.suggestion + ")") +
                                     " [an error under --strict]");
  }
  for (const std::string& note : spec.notes) std::cerr << "note: " << note << "\n";
  for (const spec::SpecWarning& warning : spec.warnings) std::cerr << warning.ToString() << "\n";
}

spec::Spec LoadSpecsForCommand(const std::vector<std::string>& files, bool strict) {
  spec::Spec spec = LoadSpecsWithEnergy(files);
  PrintNotes(spec, strict);
  return spec;
}

std::string EstimatedEnergyNote(const spec::EnergyTable& table) {
  return "no ERT given: energy estimated from " + table.estimated_from;
}

spec::Spec LoadSpecsWithEnergy(const std::vector<std::string>& files) {
  spec::Spec spec = spec::LoadSpecFiles(files);
  top::CheckCyclopsSettings(spec.cyclops);
  if (!spec.energy && spec.architecture) {
    energy::EstimatedTable estimate = energy::EstimateEnergyTable(*spec.architecture, spec.component_classes);
    spec.notes.push_back(EstimatedEnergyNote(estimate.table));
    for (std::string& note : estimate.notes) spec.notes.push_back(std::move(note));
    spec.energy = std::move(estimate.table);
  }
  return spec;
}

}  // namespace cyclops::cli
