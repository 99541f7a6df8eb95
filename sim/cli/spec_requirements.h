// What each subcommand needs from the files it was given, checked before any work starts.
#pragma once

#include "sim/spec/specs.h"

namespace cyclops::cli {

// Architecture, problem and mapping must all be present; throws SpecError saying which is missing.
void RequireForAnalysis(const spec::Spec& spec);

// Prints the loader's notes (keys read but not used) to stderr, once each.
void PrintNotes(const spec::Spec& spec);

}  // namespace cyclops::cli
