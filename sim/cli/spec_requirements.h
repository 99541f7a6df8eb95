// What each subcommand needs from the files it was given, checked before any work starts.
#pragma once

#include "sim/spec/specs.h"

namespace cyclops::cli {

// Architecture, problem and (unless need_mapping is false: `run` maps first) mapping must be present;
// throws SpecError saying which is missing.
void RequireForAnalysis(const spec::Spec& spec, bool need_mapping = true);

// Prints the loader's notes (keys read but not used) to stderr, once each.
void PrintNotes(const spec::Spec& spec);

}  // namespace cyclops::cli
