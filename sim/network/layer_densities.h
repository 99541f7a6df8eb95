// The densities a network layer's sparse analysis is given: those of the data that flowed into it (the
// previous layers' real zeros, pruned weights), not declared ones — a network's problems declare none.
#pragma once

#include <vector>

#include "sim/spec/specs.h"

namespace cyclops::network {

// `workload` with every data space's measured density (nonzeros / values, per data space in order) as a
// hypergeometric density: Sparseloop's model of that many nonzeros placed at random, the closest of its
// models to zeros that fall where the data puts them. Dense data spaces get no entry; a workload whose data
// is all dense comes back unchanged.
spec::Workload WithMeasuredDensities(const spec::Workload& workload, const std::vector<double>& measured);

}  // namespace cyclops::network
