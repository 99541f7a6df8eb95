// Mappings found by MapFirst, kept by what decides them — the architecture and its constraints (a
// fingerprint the caller gives: its spec files and options), the problem's shape, the search options —
// so a shape is mapped once per network (ResNet-50 has 54 MAC layers but 24 shapes) and, with a
// directory, once across runs. Thread-safe.
#pragma once

#include <map>
#include <mutex>
#include <string>

#include "sim/top/map_first.h"

namespace cyclops::top {

// A string equal for two workloads exactly when they have the same dimensions, bounds, coefficients and
// data spaces (names, projections, which is read-write): the layer's name is not part of it.
std::string ShapeKey(const spec::Workload& workload);

class MappingCache {
 public:
  // `directory` empty: memory only. Otherwise each mapping is also a file DIR/<key>.mapping.
  explicit MappingCache(std::string directory = "") : directory_(std::move(directory)) {}

  // The mapping for `spec`'s workload: remembered, read from the directory, or searched (and kept).
  // `mapped` tells which. std::runtime_error naming the file for a cache file that is not a mapping of
  // this shape.
  MapFirstResult Get(const spec::Spec& spec, const std::string& fingerprint, const MapFirstOptions& options,
                     bool* searched = nullptr);

 private:
  std::string directory_;
  std::mutex mutex_;
  std::map<std::string, MapFirstResult> found_;
};

// The mapping's numbers as text, and back (std::runtime_error naming `where` when it does not fit
// `workload`'s dimension count or `levels` storage levels).
std::string MappingText(const spec::Mapping& mapping);
spec::Mapping MappingFromText(const std::string& text, const spec::Workload& workload, size_t levels,
                              const std::string& where);

}  // namespace cyclops::top
