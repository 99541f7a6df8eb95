// Zeros in the seeded operand data, at each tensor's declared density and distribution (Sparseloop's
// densities, spec::DensitySpec), and pruning. Deterministic: the same workload, mapping and seed place the
// same zeros.
//
// fixed_structured  the tensor is cut into tiles of DensityTileExtent (row-major, clipped at the edges); tile
//                   i of s values holds round(d (S + s)) - round(d S) nonzeros, S the values before it: floor
//                   or ceil of d s in every tile, exactly d s when that is whole, and round(d N) in all.
//                   Which values are nonzero within a tile is drawn.
// hypergeometric    ceil(d N) nonzeros drawn uniformly over the whole tensor (Sparseloop's model: a fixed
//                   total, placed at random).
// banded            nonzero exactly where |row - col| <= band_width.
// Read-write data spaces (results) are computed, not drawn: their declared density is Sparseloop's input
// only (how the outputs compress) and is left alone here.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/mapping/tensor_data.h"
#include "sim/spec/specs.h"

namespace cyclops::mapping {

// Per rank, the extent of the tiles fixed_structured data is exact in: the box of the data space swept by the
// innermost loop of the mapping that moves it (the smallest tile a level holds, or a fiber of the innermost
// rank of a format); every coarser tile of the mapping is a union of these. Without a mapping, or when no
// loop moves the data space, the whole tensor.
std::vector<int64_t> DensityTileExtent(const spec::Workload& workload, const spec::Mapping* mapping,
                                       int data_space);

// Zeros the read-only data spaces of `tensors` (already filled, e.g. by FillOperands) to their densities;
// a value kept nonzero that was drawn as 0 becomes 1.
void ApplyDensities(const spec::Workload& workload, const spec::Mapping* mapping, uint64_t seed,
                    std::vector<Tensor>& tensors);

// Keeps the round(density × size) values of largest magnitude (ties: the lower address first) and zeroes
// the rest: magnitude pruning, e.g. of a layer's weights (`--prune DENSITY`). Throws std::invalid_argument
// for a density outside [0, 1].
void PruneSmallest(Tensor& tensor, double density);

// Nonzero values / all values.
double MeasuredDensity(const Tensor& tensor);

// Per data space, the density of the data a layer ran on: `tensors`' own, and for the `result` data space
// that of `computed` (the psums, which `tensors` hold only after the run).
std::vector<double> MeasuredDensities(const std::vector<Tensor>& tensors, int result, const Tensor& computed);

}  // namespace cyclops::mapping
