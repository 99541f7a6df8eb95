// Fixed-width integer arithmetic shared by the hardware models and the reference kernel, so both wrap
// values the same way.
#pragma once

#include <cstdint>

namespace cyclops {

// Wraps `value` to a `bits`-wide two's-complement integer (1..64; 64 leaves it unchanged).
inline int64_t WrapToBits(int64_t value, int bits) {
  if (bits >= 64) return value;
  const uint64_t mask = (uint64_t{1} << bits) - 1;
  uint64_t wrapped = static_cast<uint64_t>(value) & mask;
  if (wrapped & (uint64_t{1} << (bits - 1))) wrapped |= ~mask;  // sign-extend
  return static_cast<int64_t>(wrapped);
}

}  // namespace cyclops
