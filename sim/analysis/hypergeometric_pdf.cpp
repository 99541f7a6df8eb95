#include "sim/analysis/hypergeometric_pdf.h"

#include <algorithm>
#include <boost/math/distributions/hypergeometric.hpp>
#include <limits>
#include <stdexcept>
#include <vector>

namespace cyclops::analysis {

namespace {

// The precision Boost evaluates a double pdf in (long double here: Boost promotes doubles by default).
using Value = boost::math::policies::evaluation<double, boost::math::policies::policy<>>::type;
constexpr unsigned kLargestPrime = 104729;  // the last of Boost's table, the first 10,000 primes

unsigned PrimeAt(unsigned index) {
  static const std::vector<unsigned> primes = [] {
    std::vector<unsigned> found;
    std::vector<char> composite(kLargestPrime + 1, 0);
    for (unsigned p = 2; p <= kLargestPrime; ++p) {
      if (composite[p]) continue;
      found.push_back(p);
      for (uint64_t m = uint64_t{p} * p; m <= kLargestPrime; m += p) composite[m] = 1;
    }
    return found;
  }();
  // Past the table boost::math::prime raises a domain error (std::domain_error by default).
  if (index >= primes.size()) throw std::domain_error("boost::math::prime: argument out of range");
  return primes[index];
}

// boost::math::detail::hypergeometric_pdf_prime_loop_imp, step for step in the same types: the partial
// products Boost keeps on its stack (split where the next factor would overflow or underflow) are kept
// here in a vector, newest last, and multiplied together in Boost's order.
Value PrimeLoopPdf(unsigned x, unsigned r, unsigned n, unsigned N) {
  std::vector<Value> partial{1};
  unsigned index = 0;
  unsigned current = PrimeAt(0);
  while (current <= N) {
    unsigned base = current;
    int prime_powers = 0;
    while (base <= N) {
      prime_powers += n / base;
      prime_powers += r / base;
      prime_powers += (N - n) / base;
      prime_powers += (N - r) / base;
      prime_powers -= N / base;
      prime_powers -= x / base;
      prime_powers -= (n - x) / base;
      prime_powers -= (r - x) / base;
      prime_powers -= (N - n - r + x) / base;
      base *= current;
    }
    if (prime_powers) {
      const Value p = boost::math::detail::integer_power<Value>(static_cast<Value>(current), prime_powers);
      const bool overflows = p > 1 && boost::math::tools::max_value<Value>() / p < partial.back();
      const bool underflows = p < 1 && boost::math::tools::min_value<Value>() / p > partial.back();
      if (overflows || underflows)
        partial.push_back(p);  // a new partial product starts with p
      else
        partial.back() *= p;
    }
    current = PrimeAt(++index);
  }
  // Boost's product: partials >= 1 (i) and < 1 (j), each walked newest first, alternated to stay in range.
  const int none = -1;
  auto next_at_least_one = [&](int k) {
    while (k != none && partial[static_cast<size_t>(k)] < 1) --k;
    return k;
  };
  auto next_below_one = [&](int k) {
    while (k != none && partial[static_cast<size_t>(k)] >= 1) --k;
    return k;
  };
  const int newest = static_cast<int>(partial.size()) - 1;
  int i = next_at_least_one(newest), j = next_below_one(newest);
  Value product = 1;
  while (i != none || j != none) {
    while (i != none && (product <= 1 || j == none)) {
      product *= partial[static_cast<size_t>(i)];
      i = next_at_least_one(i - 1);
    }
    while (j != none && (product >= 1 || i == none)) {
      product *= partial[static_cast<size_t>(j)];
      j = next_below_one(j - 1);
    }
  }
  return product;
}

}  // namespace

double HypergeometricPdf(uint64_t x, uint64_t r, uint64_t n, uint64_t N) {
  constexpr uint64_t kMostInt = std::numeric_limits<int>::max();
  // Boost's choice: factorials up to max_factorial, the prime-power product up to its table's second-last
  // prime prime(max_prime - 1) = 104,723 (so the loop never runs past the table), Lanczos beyond.
  static const uint64_t kPrimeLoopLimit = PrimeAt(boost::math::max_prime - 1);
  const bool prime_loop = N > static_cast<uint64_t>(boost::math::max_factorial<Value>::value) &&
                          N <= kPrimeLoopLimit && r <= N && n <= N && x <= std::min(r, n) && x + N >= n + r &&
                          std::max({x, r, n, N}) <= kMostInt;
  if (!prime_loop) {  // Boost's other evaluations (or its argument errors) cost no prime table
    boost::math::hypergeometric_distribution<double> distribution(
        static_cast<unsigned>(r), static_cast<unsigned>(n), static_cast<unsigned>(N));
    return boost::math::pdf(distribution, x);
  }
  Value result = PrimeLoopPdf(static_cast<unsigned>(x), static_cast<unsigned>(r), static_cast<unsigned>(n),
                              static_cast<unsigned>(N));
  // As boost::math::detail::hypergeometric_pdf ends: clamped to [0, 1], then narrowed (no error can arise
  // for a value in [0, 1] under the default policy: underflow and denormals are ignored).
  result = std::clamp<Value>(result, 0, 1);
  return static_cast<double>(result);
}

}  // namespace cyclops::analysis
