// The cycle type shared by the plain C++ cores (which must not include SystemC).
#pragma once

#include <cstdint>

namespace cyclops::models {

using Cycle = std::uint64_t;

}  // namespace cyclops::models
