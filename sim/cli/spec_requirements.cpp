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

void AddSpecFilesOption(CLI::App& command, std::vector<std::string>& files, const std::string& description) {
  // Not CLI::ExistingFile: the loader refuses a missing, unreadable or odd file (a directory, a FIFO) with
  // the documented bad-input status and a message naming it.
  command.add_option("files", files, description)->required();
}

void PrintNotes(const spec::Spec& spec) {
  for (const std::string& note : spec.notes) std::cerr << "note: " << note << "\n";
}

}  // namespace cyclops::cli
