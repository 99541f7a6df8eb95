// How the non-MAC kernels read integer activations: as fixed point with kFractionBits fraction bits (so
// with 8-bit values 6.0 is 96 and the range is [-8, 8)). Functions that are not integer arithmetic
// (softmax, layer norm, erf, sigmoid, division by a real constant, ...) are evaluated in double on the
// real values and rounded back (to nearest, ties away from zero), saturated to the value width; NaN becomes
// 0. The MAC layers' outputs are requantised by a power-of-two per tensor (mac_layer.h), which keeps them
// in range whatever their scale.
#pragma once

#include <cmath>
#include <cstdint>

#include "sim/network/activation.h"

namespace cyclops::network {

inline constexpr int kFractionBits = 4;
inline constexpr double kOne = 1 << kFractionBits;

inline double ToReal(int64_t value) {
  return static_cast<double>(value) / kOne;
}

inline int64_t FromReal(double real, int bits) {
  if (std::isnan(real)) return 0;
  const double scaled = real * kOne;
  const double high = static_cast<double>((int64_t{1} << (bits - 1)) - 1);
  if (scaled >= high) return static_cast<int64_t>(high);
  if (scaled <= -high - 1) return static_cast<int64_t>(-high - 1);
  return Saturate(std::llround(scaled), bits);
}

}  // namespace cyclops::network
