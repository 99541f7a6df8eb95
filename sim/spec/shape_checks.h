// Shape arithmetic checked once, where the problem is read: the MAC count (the product of all bounds)
// and every data space's coordinates and size must fit in int64_t. Everything downstream (tiles, loop
// strides, partition sizes, tensors) is bounded by these, so it can multiply without wrapping.
#pragma once

#include "sim/spec/specs.h"

namespace cyclops::spec {

// Throws SpecError at the bound of the dimension where a product first exceeds 2^63 - 1, naming it.
void CheckWorkloadFits(const Workload& workload);

}  // namespace cyclops::spec
