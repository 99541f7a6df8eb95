#include "sim/analysis/metadata_formats.h"

#include <cmath>

#include "sim/core/error.h"

#define CYCLOPS_REGISTER_RANK_FORMAT(name, Type)                                            \
  static const bool kRegisteredFormat##Type = ::cyclops::analysis::RankFormatRegistry::Add( \
      name, [] { return std::unique_ptr<::cyclops::analysis::RankFormatModel>(new Type()); })

namespace cyclops::analysis {

namespace {

// Fibers that hold at least one nonzero.
double NonemptyFibers(const MetadataQuery& query) {
  return static_cast<double>(query.max_fibers) *
         (1 - query.density->OccupancyProbability(query.fiber_tile, 0));
}
// Expected nonempty coordinates of one fiber.
double NonemptyCoordinates(const MetadataQuery& query) {
  return static_cast<double>(query.fiber_shape) *
         (1 - query.density->OccupancyProbability(query.element_tile, 0));
}

// Uncompressed offset pair (CSR's upper rank): fiber_shape + 1 offsets per nonempty fiber.
class UncompressedOffsetPair : public RankFormatModel {
 public:
  RankOccupancy Occupancy(const MetadataQuery& query) const override {
    RankOccupancy occupancy;
    occupancy.payload_units = NonemptyFibers(query) * static_cast<double>(query.fiber_shape + 1);
    return occupancy;
  }
};
CYCLOPS_REGISTER_RANK_FORMAT("uop", UncompressedOffsetPair);

// Coordinate payload: a coordinate and a payload per nonempty coordinate (rounded up per fiber).
class CoordinatePayload : public RankFormatModel {
 public:
  RankOccupancy Occupancy(const MetadataQuery& query) const override {
    RankOccupancy occupancy;
    occupancy.metadata_units = std::ceil(NonemptyCoordinates(query)) * NonemptyFibers(query);
    occupancy.payload_units = occupancy.metadata_units;
    return occupancy;
  }
};
CYCLOPS_REGISTER_RANK_FORMAT("cp", CoordinatePayload);

// Run-length encoding: a run length and a payload per nonempty coordinate (expected, not rounded).
class RunLengthEncoding : public RankFormatModel {
 public:
  RankOccupancy Occupancy(const MetadataQuery& query) const override {
    RankOccupancy occupancy;
    occupancy.metadata_units = NonemptyCoordinates(query) * NonemptyFibers(query);
    occupancy.payload_units = occupancy.metadata_units;
    return occupancy;
  }
};
CYCLOPS_REGISTER_RANK_FORMAT("rle", RunLengthEncoding);

// Bitmask: one bit per coordinate of every nonempty fiber, a payload per nonempty coordinate.
class Bitmask : public RankFormatModel {
 public:
  RankOccupancy Occupancy(const MetadataQuery& query) const override {
    const double fibers = NonemptyFibers(query);
    RankOccupancy occupancy;
    occupancy.metadata_units = fibers * static_cast<double>(query.fiber_shape);
    occupancy.payload_units = fibers * std::ceil(NonemptyCoordinates(query));
    return occupancy;
  }
};
CYCLOPS_REGISTER_RANK_FORMAT("b", Bitmask);

// Uncompressed bitmask: a bit and a payload for every coordinate of every fiber.
class UncompressedBitmask : public RankFormatModel {
 public:
  RankOccupancy Occupancy(const MetadataQuery& query) const override {
    const auto units = static_cast<double>(query.max_fibers * query.fiber_shape);
    RankOccupancy occupancy;
    occupancy.metadata_units = units;
    occupancy.payload_units = units;
    return occupancy;
  }
};
CYCLOPS_REGISTER_RANK_FORMAT("ub", UncompressedBitmask);

// Uncompressed (the paper's U): coordinates are implicit, nothing is stored beside the values.
class Uncompressed : public RankFormatModel {
 public:
  RankOccupancy Occupancy(const MetadataQuery&) const override { return {}; }
};
CYCLOPS_REGISTER_RANK_FORMAT("u", Uncompressed);

}  // namespace

RankOccupancy RankFormatOccupancy(const spec::RankFormatSpec& rank, const MetadataQuery& query) {
  std::unique_ptr<RankFormatModel> model = RankFormatRegistry::Make(rank.format);
  if (!model) throw SpecError(rank.where, "no format model named '" + rank.format + "'");
  RankOccupancy occupancy = model->Occupancy(query);
  occupancy.metadata_word_bits = rank.metadata_word_bits;
  occupancy.payload_word_bits = rank.payload_word_bits;
  return occupancy;
}

}  // namespace cyclops::analysis
