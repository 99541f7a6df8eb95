// HypergeometricPdf against Boost.Math's own pdf (what Sparseloop calls), compared as doubles with ==:
// Cyclops' occupancy sums match Sparseloop's to the last bit only if every term does. The cases cover
// each of Boost's evaluations — factorials (N <= 170), the prime-power product Cyclops reimplements
// (171 <= N <= 104,723), Lanczos beyond — and, in the prime range, the tails where the product splits into
// partial products to avoid overflow and underflow.
#include "sim/analysis/hypergeometric_pdf.h"

#include <gtest/gtest.h>

#include <boost/math/distributions/hypergeometric.hpp>
#include <cstdint>
#include <stdexcept>
#include <vector>

namespace cyclops::analysis {
namespace {

double BoostPdf(uint64_t x, uint64_t r, uint64_t n, uint64_t N) {
  boost::math::hypergeometric_distribution<double> distribution(
      static_cast<unsigned>(r), static_cast<unsigned>(n), static_cast<unsigned>(N));
  return boost::math::pdf(distribution, x);
}

// Every occupancy x of draws of n from N with r nonzero, at a stride (both ends always included).
void ExpectEqualOverOccupancies(uint64_t r, uint64_t n, uint64_t N, uint64_t stride) {
  const uint64_t low = n + r > N ? n + r - N : 0, high = std::min(r, n);
  std::vector<uint64_t> xs;
  for (uint64_t x = low; x <= high; x += stride) xs.push_back(x);
  xs.push_back(high);
  for (uint64_t x : xs)
    EXPECT_EQ(HypergeometricPdf(x, r, n, N), BoostPdf(x, r, n, N))
        << "x " << x << " r " << r << " n " << n << " N " << N;
}

TEST(HypergeometricPdf, EqualsBoostWithFactorials) {
  ExpectEqualOverOccupancies(5, 7, 20, 1);
  ExpectEqualOverOccupancies(60, 90, 170, 1);
}

TEST(HypergeometricPdf, EqualsBoostWithPrimePowersIncludingTheFarTails) {
  // A 64 x 64 tile of a 256 x 256 tensor at density 0.5, as a network layer's measured densities give.
  ExpectEqualOverOccupancies(32768, 4096, 65536, 37);
  // The smallest and largest totals of the prime-power range, and a sparse and a dense tensor.
  ExpectEqualOverOccupancies(80, 100, 171, 1);
  ExpectEqualOverOccupancies(877, 1000, 1755, 3);
  ExpectEqualOverOccupancies(52361, 52361, 104723, 997);
  ExpectEqualOverOccupancies(100, 5000, 50000, 1);
  ExpectEqualOverOccupancies(49900, 5000, 50000, 1);
}

TEST(HypergeometricPdf, EqualsBoostWithLanczosBeyondThePrimeTable) {
  // From 104,724 on Boost leaves the prime product (its limit is its table's second-last prime, 104,723);
  // the far tail is where the two evaluations differ in the last bits.
  ExpectEqualOverOccupancies(52364, 52364, 104728, 997);
  ExpectEqualOverOccupancies(60000, 2000, 120000, 13);
}

TEST(HypergeometricPdf, RefusesWhatBoostRefuses) {
  EXPECT_THROW(HypergeometricPdf(1, 30, 5, 20), std::domain_error);    // r > N
  EXPECT_THROW(HypergeometricPdf(9, 10, 8, 5000), std::domain_error);  // x > n
}

}  // namespace
}  // namespace cyclops::analysis
