// The hypergeometric pdf exactly as Boost.Math computes it (Sparseloop's density model calls Boost), bit
// for bit, without Boost's cost on this machine: for totals from 171 to 104,723 Boost evaluates the pdf as
// a product of prime powers, fetching each of up to 10,000 primes with boost::math::prime(), whose table
// (Boost 1.74, constexpr tables) is copied onto the stack at every call — 20 KB per prime, 200 MB per pdf.
// This file runs the same loop, in the same order and precision, over a prime table built once; every
// other case is Boost's own pdf.
#pragma once

#include <cstdint>

namespace cyclops::analysis {

// P(x nonzeros in n draws from N values of which r are nonzero) as
// boost::math::pdf(boost::math::hypergeometric_distribution<double>(r, n, N), x), which it equals exactly;
// throws what that throws (std::domain_error for arguments it refuses).
double HypergeometricPdf(uint64_t x, uint64_t r, uint64_t n, uint64_t N);

}  // namespace cyclops::analysis
