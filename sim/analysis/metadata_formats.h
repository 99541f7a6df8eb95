// Sparseloop's per-rank format models (src/workload/format-models/): how many metadata and payload units
// one rank of a fibertree format stores for a tile, given how many fibers the rank has and how many
// coordinates each fiber spans. Each format of spec::RankFormatSpec registers here by its name.
#pragma once

#include <cstdint>

#include "sim/analysis/density_models.h"
#include "sim/core/registry.h"
#include "sim/spec/specs.h"

namespace cyclops::analysis {

// Metadata and payload units of one rank (expected values, so not always whole), with their widths.
struct RankOccupancy {
  double metadata_units = 0;
  double payload_units = 0;
  int64_t metadata_word_bits = 0;
  int64_t payload_word_bits = 0;

  bool Empty() const { return metadata_units == 0 && payload_units == 0; }
  void Scale(double factor) {
    metadata_units *= factor;
    payload_units *= factor;
  }
  void Add(const RankOccupancy& other) {
    metadata_units += other.metadata_units;
    payload_units += other.payload_units;
  }
};

// One rank of one tile: `fiber_tile` is the part of the tensor the rank's fibers cover together,
// `element_tile` what one coordinate of a fiber covers (the next rank's fiber, or a value).
struct MetadataQuery {
  uint64_t max_fibers = 1;
  uint64_t fiber_shape = 1;
  CoordinateTile fiber_tile;
  CoordinateTile element_tile;
  DensityModel* density = nullptr;
};

class RankFormatModel {
 public:
  virtual ~RankFormatModel() = default;
  virtual RankOccupancy Occupancy(const MetadataQuery& query) const = 0;
};
using RankFormatRegistry = Registry<RankFormatModel>;

// The occupancy of `rank` for `query`, with the rank's word widths.
RankOccupancy RankFormatOccupancy(const spec::RankFormatSpec& rank, const MetadataQuery& query);

}  // namespace cyclops::analysis
