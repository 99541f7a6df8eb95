#include "sim/cli/spec_requirements.h"

#include <CLI/CLI.hpp>
#include <iostream>

#include "sim/core/error.h"

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

void RefuseSparseSimulation(const spec::Spec& spec, const std::string& command) {
  const std::string valid =
      "cyclops analyze or cyclops map (the sparse analytical model, Sparseloop's); or all densities 1.0 and "
      "no sparse_optimizations to simulate";
  const std::string problem =
      command + ": the cycle-level simulator has no sparse model yet, so it cannot run ";
  if (spec.workload)
    for (size_t d = 0; d < spec.workload->densities.size(); ++d) {
      const spec::DensitySpec& density = spec.workload->densities[d];
      if (!density.IsDense())
        throw SpecError(
            density.where,
            problem + "a " + density.distribution + " density of " + spec.workload->data_spaces[d].name,
            valid);
    }
  if (spec.sparse) throw SpecError(spec.sparse->where, problem + "sparse_optimizations", valid);
}

void AddSpecFilesOption(CLI::App& command, std::vector<std::string>& files, const std::string& description) {
  command.add_option("files", files, description)->required()->check(CLI::ExistingFile);
}

void PrintNotes(const spec::Spec& spec) {
  for (const std::string& note : spec.notes) std::cerr << "note: " << note << "\n";
}

}  // namespace cyclops::cli
