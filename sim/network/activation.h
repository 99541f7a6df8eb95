// Activations between layers: a dense integer tensor of any rank (row-major, the last dimension fastest;
// CNN maps are [N, C, H, W], transformer activations e.g. [1, 128, 768]), its binary file form (what
// `cyclops run --input-file/--output-file` read and write) and a content hash for the layer cache.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace cyclops::network {

// The largest tensor a layer may have, in values: 2^31 values are 16 GiB as int64 (more than fits with the
// rest of a run on the 24 GiB machines this is built for), and the bound keeps every product of two sizes
// in int64. Shapes beyond it are refused where they are made (the kernels' Infer), so nothing allocates them.
inline constexpr int64_t kMaxTensorElements = int64_t{1} << 31;

struct Shape {
  std::vector<int64_t> dims;
  Shape() = default;
  Shape(std::initializer_list<int64_t> list) : dims(list) {}
  explicit Shape(std::vector<int64_t> d) : dims(std::move(d)) {}
  int rank() const { return static_cast<int>(dims.size()); }
  int64_t operator[](int axis) const { return dims[axis]; }
  int64_t Elements() const;  // the product; -1 when it exceeds kMaxTensorElements or a dim is negative
  bool operator==(const Shape&) const = default;
  std::string ToString() const;  // "1x64x56x56"
};

// An axis given as in ONNX (negative counts from the end) as 0..rank-1; -1 when out of range.
int NormalAxis(int64_t axis, int rank);

struct Activation {
  Shape shape;
  std::vector<int64_t> values;  // row-major
  // A rank-4 [N, C, H, W] map's value (batch n).
  int64_t At(int64_t n, int64_t c, int64_t y, int64_t x) const {
    return values[((n * shape[1] + c) * shape[2] + y) * shape[3] + x];
  }
  int64_t& At(int64_t n, int64_t c, int64_t y, int64_t x) {
    return values[((n * shape[1] + c) * shape[2] + y) * shape[3] + x];
  }
};

// The file form of a flat value vector: "CYT1", the count (u64), then each value as little-endian i64.
// Written whole or not at all (sim/core/atomic_file.h). Read throws std::runtime_error naming the path.
void WriteValuesFile(const std::string& path, const std::vector<int64_t>& values);
std::vector<int64_t> ReadValuesFile(const std::string& path);

// FNV-1a over a byte string; stable across runs and machines (the layer cache key).
uint64_t Fnv1a(const std::string& bytes, uint64_t hash = 14695981039346656037ull);
uint64_t HashValues(const std::vector<int64_t>& values);
std::string Hex(uint64_t value);

// Deterministic per-layer seeds: SplitMix64 of (seed, index).
uint64_t LayerSeed(uint64_t seed, int64_t layer_index);

// Seeded signed values of `bits` for the network input.
Activation SeededActivation(const Shape& shape, uint64_t seed, int bits);

// Saturates to the signed range of `bits`.
int64_t Saturate(int64_t value, int bits);

}  // namespace cyclops::network
