// Real data for a layer: dense tensors for every data space, seeded operand values, and the plain C++
// reference kernel the simulated outputs are compared with bit-exact (DESIGN.md decision 7).
// Works for any workload whose projections are affine: a data space's linear address is then a linear
// function of the operation point, so the kernel is one odometer over the operation space.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/bits.h"
#include "sim/spec/specs.h"

namespace cyclops::mapping {

// One data space laid out densely, rank-major (the last rank varies fastest).
struct Tensor {
  std::vector<int64_t> rank_extent;  // per rank: max projected coordinate + 1
  std::vector<int64_t> values;
  int64_t Address(const std::vector<int64_t>& coordinate) const;
  std::vector<int64_t> Coordinate(int64_t address) const;
};

// The two multiplied (read-only) data spaces and the accumulated (read-write) one.
struct OperandRoles {
  int first = -1;   // e.g. Weights
  int second = -1;  // e.g. Inputs
  int result = -1;  // e.g. Outputs
};
// Throws SpecError when the workload is not "two read-only operands, one read-write result".
OperandRoles RolesOf(const spec::Workload& workload);

// Per operation dimension: how far a data space's linear address moves when that dimension's index
// grows by one.
std::vector<int64_t> AddressStrides(const spec::Workload& workload, int data_space, const Tensor& tensor);

// Empty tensors of the right shape for every data space.
std::vector<Tensor> ShapeTensors(const spec::Workload& workload);

// Fills the two operands with seeded values of `bits` (signed, two's complement); results start at 0.
void FillOperands(const spec::Workload& workload, uint64_t seed, int bits, std::vector<Tensor>& tensors);

// The reference: result[proj(p)] += first[proj(p)] * second[proj(p)] for every operation point p,
// wrapped to `psum_bits` two's complement.
Tensor ReferenceResult(const spec::Workload& workload, const std::vector<Tensor>& tensors, int psum_bits);

using ::cyclops::WrapToBits;  // sim/core/bits.h, shared with the MAC model

// The first coordinate where two result tensors differ, e.g. "Outputs[N=0, M=3, Q=1, P=7]: 12 vs 15".
std::optional<std::string> FirstMismatch(const spec::Workload& workload, int data_space,
                                         const Tensor& expected, const Tensor& actual);

}  // namespace cyclops::mapping
