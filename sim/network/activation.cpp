#include "sim/network/activation.h"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <random>
#include <stdexcept>

#include "sim/core/atomic_file.h"

namespace cyclops::network {

int64_t Shape::Elements() const {
  int64_t product = 1;
  for (int64_t dim : dims) {
    if (dim < 0 || (dim > 0 && product > kMaxTensorElements / dim)) return -1;
    product *= dim;
  }
  return product;
}

std::string Shape::ToString() const {
  std::string text;
  for (int64_t dim : dims) text += (text.empty() ? "" : "x") + std::to_string(dim);
  return text.empty() ? "scalar" : text;
}

int NormalAxis(int64_t axis, int rank) {
  if (axis < 0) axis += rank;
  return axis < 0 || axis >= rank ? -1 : static_cast<int>(axis);
}

namespace {

std::string LittleEndian(uint64_t value) {
  std::string bytes(8, '\0');
  for (int i = 0; i < 8; ++i) bytes[i] = static_cast<char>((value >> (8 * i)) & 0xff);
  return bytes;
}

uint64_t FromLittleEndian(const char* bytes) {
  uint64_t value = 0;
  for (int i = 7; i >= 0; --i) value = (value << 8) | static_cast<unsigned char>(bytes[i]);
  return value;
}

}  // namespace

void WriteValuesFile(const std::string& path, const std::vector<int64_t>& values) {
  std::string bytes = "CYT1" + LittleEndian(values.size());
  bytes.reserve(bytes.size() + 8 * values.size());
  for (int64_t value : values) bytes += LittleEndian(static_cast<uint64_t>(value));
  WriteFileAtomically(path, bytes);
}

std::vector<int64_t> ReadValuesFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw std::runtime_error("cannot open the tensor file " + path);
  const std::string bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  if (bytes.size() < 12 || bytes.compare(0, 4, "CYT1") != 0)
    throw std::runtime_error(path + " is not a Cyclops tensor file (no CYT1 header)");
  const uint64_t count = FromLittleEndian(bytes.data() + 4);
  if (bytes.size() != 12 + 8 * count)
    throw std::runtime_error(path + ": the header says " + std::to_string(count) +
                             " values, the file holds " + std::to_string((bytes.size() - 12) / 8));
  std::vector<int64_t> values(count);
  for (uint64_t i = 0; i < count; ++i)
    values[i] = static_cast<int64_t>(FromLittleEndian(bytes.data() + 12 + 8 * i));
  return values;
}

uint64_t Fnv1a(const std::string& bytes, uint64_t hash) {
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return hash;
}

uint64_t HashValues(const std::vector<int64_t>& values) {
  uint64_t hash = 14695981039346656037ull;
  for (int64_t value : values) hash = Fnv1a(LittleEndian(static_cast<uint64_t>(value)), hash);
  return hash;
}

std::string Hex(uint64_t value) {
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(value));
  return text;
}

uint64_t LayerSeed(uint64_t seed, int64_t layer_index) {
  uint64_t z = seed + 0x9e3779b97f4a7c15ull * static_cast<uint64_t>(layer_index + 1);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

Activation SeededActivation(const Shape& shape, uint64_t seed, int bits) {
  Activation activation{shape, std::vector<int64_t>(shape.Elements())};
  // mt19937_64 is specified exactly by the standard; the range reduction is done by hand (as FillOperands).
  std::mt19937_64 generator(seed);
  const uint64_t span = uint64_t{1} << bits;
  const int64_t lowest = -(int64_t{1} << (bits - 1));
  for (int64_t& value : activation.values) value = lowest + static_cast<int64_t>(generator() % span);
  return activation;
}

int64_t Saturate(int64_t value, int bits) {
  const int64_t high = (int64_t{1} << (bits - 1)) - 1;
  return std::clamp(value, -high - 1, high);
}

}  // namespace cyclops::network
