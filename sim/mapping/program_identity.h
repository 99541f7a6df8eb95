// When two mappings are the same program: `cyclops map --sim-rerank` simulates each distinct candidate
// once. Two candidates are the same when their compiled LayerPrograms are equal field by field, the loop
// nest they index included (the nest drops loops of factor 1, so permuting those gives the same program).
// Equal analytical figures alone are not enough: a P/Q-swapped mapping has the figures but not the program.
#pragma once

#include <string>

#include "sim/mapping/layer_program.h"

namespace cyclops::mapping {

// Every field of the program and its nest, written out; equal texts = the same program (the same
// workload and hardware layout assumed: the blocks read nothing else).
std::string ProgramIdentity(const LayerProgram& program);

}  // namespace cyclops::mapping
