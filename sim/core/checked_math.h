// Integer arithmetic that cannot overflow silently. Shapes, tiles and access counts are int64_t and come
// from user-written bounds that may be near 2^63; a wrapped product would print negative MAC counts or
// divide by zero. These return nothing instead of wrapping, and the callers, who know which dimension or
// level they are computing, turn that into a located error.
#pragma once

#include <cstdint>
#include <optional>

namespace cyclops {

inline std::optional<int64_t> CheckedMul(int64_t a, int64_t b) {
  int64_t product = 0;
  if (__builtin_mul_overflow(a, b, &product)) return std::nullopt;
  return product;
}

inline std::optional<int64_t> CheckedAdd(int64_t a, int64_t b) {
  int64_t sum = 0;
  if (__builtin_add_overflow(a, b, &sum)) return std::nullopt;
  return sum;
}

// a × b ÷ c without overflow in the product (the quotient must fit); nothing when c is 0 or it does not.
inline std::optional<int64_t> CheckedMulDiv(int64_t a, int64_t b, int64_t c) {
  if (c == 0) return std::nullopt;
  const __int128 quotient = static_cast<__int128>(a) * b / c;
  if (quotient > INT64_MAX || quotient < INT64_MIN) return std::nullopt;
  return static_cast<int64_t>(quotient);
}

// A double count (e.g. cycles = values ÷ bandwidth, rounded up) as int64_t; nothing when it is not finite
// or not below 2^63 (the cast would be undefined).
inline std::optional<int64_t> CheckedFromDouble(double value) {
  if (!(value > -9.2e18 && value < 9.2e18)) return std::nullopt;  // also rejects NaN
  return static_cast<int64_t>(value);
}

}  // namespace cyclops
