// Activations between layers: a dense [channels][height][width] integer tensor, its binary file form
// (what `cyclops run --input-file/--output-file` read and write) and a content hash for the layer cache.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace cyclops::network {

struct Shape {
  int64_t channels = 0, height = 0, width = 0;
  int64_t Elements() const { return channels * height * width; }
  bool operator==(const Shape&) const = default;
  std::string ToString() const;  // "64x56x56"
};

struct Activation {
  Shape shape;
  std::vector<int64_t> values;  // [c][y][x], x fastest
  int64_t& At(int64_t c, int64_t y, int64_t x) { return values[(c * shape.height + y) * shape.width + x]; }
  int64_t At(int64_t c, int64_t y, int64_t x) const {
    return values[(c * shape.height + y) * shape.width + x];
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
