// The sparse model's parts against hand calculations: density models (occupancy distributions), rank
// formats (metadata units), and gating against skipping on a dot product. Sparseloop's own reports are the
// system test's (tests/system/sparseloop); these numbers are worked out in the comments.
#include <gtest/gtest.h>

#include <string>

#include "sim/analysis/analysis.h"
#include "sim/analysis/density_models.h"
#include "sim/analysis/metadata_formats.h"
#include "sim/spec/loader.h"

namespace cyclops::analysis {
namespace {

DataBox Box(std::initializer_list<int64_t> extents) {
  DataBox box;
  for (int64_t extent : extents) {
    box.low[box.ranks] = 0;
    box.high[box.ranks] = extent - 1;
    ++box.ranks;
  }
  return box;
}

spec::DensitySpec Density(const std::string& distribution, double density, int64_t band = 0) {
  spec::DensitySpec spec;
  spec.distribution = distribution;
  spec.density = density;
  spec.band_width = band;
  return spec;
}

TEST(DensityModels, FixedStructuredHoldsFloorOrCeilOfDensityTimesSize) {
  auto model = MakeDensityModel(Density("fixed_structured", 0.25), Box({64}));
  const CoordinateTile sixteen = CoordinateTile::Of(Box({16}));
  EXPECT_EQ(model->MaxOccupancy(sixteen), 4);  // 16 x 0.25 = 4 exactly
  EXPECT_DOUBLE_EQ(model->OccupancyProbability(sixteen, 4), 1.0);
  EXPECT_DOUBLE_EQ(model->OccupancyProbability(sixteen, 3), 0.0);
  // 10 x 0.25 = 2.5: half the tiles hold 2, half 3, so the mean is exact.
  const CoordinateTile ten = CoordinateTile::Of(Box({10}));
  EXPECT_EQ(model->MaxOccupancy(ten), 3);
  EXPECT_DOUBLE_EQ(model->OccupancyProbability(ten, 2), 0.5);
  EXPECT_DOUBLE_EQ(model->OccupancyProbability(ten, 3), 0.5);
  EXPECT_DOUBLE_EQ(model->MinDensity(ten), 0.2);
  EXPECT_DOUBLE_EQ(model->ExpectedOccupancy(ten), 2.5);
  // A value is empty three times in four; a 4-value part of a 16-value tile with 4 nonzeros holds exactly 1.
  EXPECT_DOUBLE_EQ(model->OccupancyProbability(CoordinateTile::Of(Box({1})), 0), 0.75);
  const CoordinateTile part = CoordinateTile::Of(Box({4})).WithConstraint(16, 4, Box({16}));
  EXPECT_DOUBLE_EQ(model->OccupancyProbability(part, 0), 0.0);
  EXPECT_DOUBLE_EQ(model->OccupancyProbability(part, 1), 1.0);
}

TEST(DensityModels, HypergeometricDrawsWithoutReplacement) {
  // 8 values, density 0.5: 4 nonzeros. A 2-value tile: P(k) = C(4,k) C(4,2-k) / C(8,2) = 6/28, 16/28, 6/28.
  auto model = MakeDensityModel(Density("hypergeometric", 0.5), Box({8}));
  const CoordinateTile two = CoordinateTile::Of(Box({2}));
  EXPECT_NEAR(model->OccupancyProbability(two, 0), 6.0 / 28, 1e-12);
  EXPECT_NEAR(model->OccupancyProbability(two, 1), 16.0 / 28, 1e-12);
  EXPECT_NEAR(model->OccupancyProbability(two, 2), 6.0 / 28, 1e-12);
  EXPECT_DOUBLE_EQ(model->OccupancyProbability(two, 3), 0.0);
  EXPECT_NEAR(model->ExpectedOccupancy(two), 1.0, 1e-12);  // n r / N = 2 x 4 / 8
  EXPECT_EQ(model->MaxOccupancy(two), 2);
  EXPECT_EQ(model->MaxOccupancy(CoordinateTile::Of(Box({6}))), 4);  // never more than the 4 nonzeros
  // 6 values out of 8 with only 4 zeros hold at least 2 nonzeros: min density 2 / 6.
  EXPECT_NEAR(model->MinDensity(CoordinateTile::Of(Box({6}))), 1.0 / 3, 1e-12);
}

TEST(DensityModels, BandedCountsTheTilesOfTheMatrix) {
  // A 4 x 4 diagonal matrix in 2 x 2 tiles: the two tiles on the diagonal hold 2 nonzeros, the others none.
  auto model = MakeDensityModel(Density("banded", 0, 0), Box({4, 4}));
  const CoordinateTile tile = CoordinateTile::Of(Box({2, 2}));
  EXPECT_DOUBLE_EQ(model->OccupancyProbability(tile, 0), 0.5);
  EXPECT_DOUBLE_EQ(model->OccupancyProbability(tile, 2), 0.5);
  EXPECT_DOUBLE_EQ(model->OccupancyProbability(tile, 1), 0.0);
  EXPECT_EQ(model->MaxOccupancy(tile), 2);
  EXPECT_DOUBLE_EQ(model->ExpectedOccupancy(tile), 1.0);  // 4 values x 4 / 16
  // Band 1: 4 + 2 x 3 = 10 nonzeros of 16; a 2 x 2 tile expects 4 x 10 / 16.
  auto tridiagonal = MakeDensityModel(Density("banded", 0, 1), Box({4, 4}));
  EXPECT_DOUBLE_EQ(tridiagonal->ExpectedOccupancy(tile), 2.5);
}

TEST(RankFormats, MetadataUnitsPerFormat) {
  auto model = MakeDensityModel(Density("fixed_structured", 0.25), Box({16}));
  // One fiber of 16 coordinates with 4 nonzeros.
  MetadataQuery query{1, 16, CoordinateTile::Of(Box({16})), CoordinateTile::Of(Box({1})), model.get()};
  auto occupancy = [&](const char* format) {
    spec::RankFormatSpec rank;
    rank.format = format;
    rank.metadata_word_bits = 4;
    rank.payload_word_bits = 6;
    return RankFormatOccupancy(rank, query);
  };
  EXPECT_DOUBLE_EQ(occupancy("cp").metadata_units, 4);  // a coordinate per nonzero
  EXPECT_DOUBLE_EQ(occupancy("cp").payload_units, 4);
  EXPECT_DOUBLE_EQ(occupancy("uop").metadata_units, 0);
  EXPECT_DOUBLE_EQ(occupancy("uop").payload_units, 17);  // fiber shape + 1 offsets
  EXPECT_DOUBLE_EQ(occupancy("b").metadata_units, 16);   // a bit per coordinate
  EXPECT_DOUBLE_EQ(occupancy("b").payload_units, 4);
  EXPECT_DOUBLE_EQ(occupancy("ub").payload_units, 16);
  EXPECT_DOUBLE_EQ(occupancy("u").metadata_units + occupancy("u").payload_units, 0);
  EXPECT_EQ(occupancy("cp").metadata_word_bits, 4);
  EXPECT_EQ(occupancy("cp").payload_word_bits, 6);
  // RLE keeps the expectation unrounded: a 10-coordinate fiber holds 2.5 nonzeros on average.
  query.fiber_shape = 10;
  query.fiber_tile = CoordinateTile::Of(Box({10}));
  EXPECT_DOUBLE_EQ(occupancy("rle").metadata_units, 2.5);
  EXPECT_DOUBLE_EQ(occupancy("cp").metadata_units, 3);  // CP rounds up per fiber
}

// A 16-element dot product Z += A[k] B[k] in one buffer (read bandwidth 1 value per cycle) over a MAC.
// A has density 0.25 (fixed_structured: 4 nonzeros); B and Z reads are gated or skipped on A.
spec::Spec DotProduct(const std::string& optimization) {
  const std::string arch =
      "architecture:\n  version: 0.4\n  nodes:\n"
      "  - !Component\n    name: Buffer\n    class: regfile\n"
      "    attributes: {depth: 64, width: 8, datawidth: 8, read_bandwidth: 1}\n"
      "    sparse_optimizations:\n      action_optimization:\n"
      "      - {type: " +
      optimization +
      ", options: [{target: B, condition_on: [A]}]}\n"
      "      - {type: " +
      optimization +
      ", options: [{target: Z, condition_on: [A]}]}\n"
      "  - !Component\n    name: mac\n    class: intmac\n";
  const std::string problem =
      "problem:\n  shape:\n    name: dot\n    dimensions: [K, M]\n    data_spaces:\n"
      "    - {name: A, projection: [[[K]]]}\n    - {name: B, projection: [[[K]]]}\n"
      "    - {name: Z, projection: [[[M]]], read_write: true}\n"
      "  instance: {K: 16, M: 1, densities: {A: 0.25}}\n";
  const std::string mapping =
      "mapping:\n- {target: Buffer, type: temporal, factors: K=16 M=1, permutation: KM}\n";
  const std::string ert =
      "ERT:\n  tables:\n  - name: top.Buffer[1..1]\n    actions:\n"
      "    - {name: read, energy: 2.0}\n    - {name: write, energy: 3.0}\n    - {name: update, energy: 3.0}\n"
      "  - name: top.mac[1..1]\n    actions:\n    - {name: compute, energy: 1.0}\n";
  return spec::LoadSpecDocuments(
      {{"a.yaml", arch}, {"p.yaml", problem}, {"m.yaml", mapping}, {"e.yaml", ert}});
}

AnalysisResult AnalyzeSparse(const spec::Spec& spec) {
  return Analyze(*spec.architecture, *spec.workload, *spec.mapping, &*spec.energy, &*spec.sparse);
}

TEST(SparseModel, GatingKeepsTheCycleSkippingSavesIt) {
  const AnalysisResult gated = AnalyzeSparse(DotProduct("gating"));
  const AnalysisResult skipped = AnalyzeSparse(DotProduct("skipping"));
  const DataSpaceAccesses& gated_b = gated.storage[0].data_spaces[1];
  const DataSpaceAccesses& skipped_b = skipped.storage[0].data_spaces[1];
  // A is empty 12 times in 16: B's 16 reads become 4 actual and 12 gated (or skipped).
  ASSERT_TRUE(gated_b.sparse && skipped_b.sparse);
  EXPECT_EQ(gated_b.reads, 16);  // the dense count stays as the algorithmic one
  EXPECT_EQ(gated_b.sparse->reads.actual, 4);
  EXPECT_EQ(gated_b.sparse->reads.gated, 12);
  EXPECT_EQ(skipped_b.sparse->reads.actual, 4);
  EXPECT_EQ(skipped_b.sparse->reads.skipped, 12);
  // Z: 16 updates and 15 reads (the first write needs none); 12 updates and 12 reads optimized away
  // (read-write reads round up: ceil(15 x 0.75) = 12), leaving 4 and 3.
  const DataSpaceAccesses& gated_z = gated.storage[0].data_spaces[2];
  EXPECT_EQ(gated_z.sparse->updates.actual, 4);
  EXPECT_EQ(gated_z.sparse->updates.gated, 12);
  EXPECT_EQ(gated_z.sparse->reads.actual, 3);
  EXPECT_EQ(gated_z.sparse->reads.gated, 12);
  EXPECT_EQ(gated_z.temporal_reductions, 4);  // the updates that happen: ceil(15 x 4 / 16) = ceil(3.75)
  // Only the 4 MACs with a nonzero A happen.
  EXPECT_EQ(gated.arithmetic.sparse_computes->actual, 4);
  EXPECT_EQ(gated.arithmetic.computes, 16);
  // One read per cycle: gated reads still take their cycle (A 16 + B 16 + Z 15 = 47), skipped ones do
  // not (A 16 + B 4 + Z 3 = 23).
  EXPECT_EQ(gated.cycles, 47);
  EXPECT_EQ(skipped.cycles, 23);
  // Energy: only actual accesses cost (the ERT prices no gated action): reads 2 pJ, updates 3 pJ.
  EXPECT_DOUBLE_EQ(gated_b.energy_total_pj, 4 * 2.0);
  EXPECT_DOUBLE_EQ(gated_z.energy_total_pj, 3 * 2.0 + 4 * 3.0);
  EXPECT_DOUBLE_EQ(gated.storage[0].data_spaces[0].energy_total_pj, 16 * 2.0);  // A: no format, all read
  EXPECT_DOUBLE_EQ(gated.arithmetic.energy_pj, 4 * 1.0);
  EXPECT_DOUBLE_EQ(gated.energy_pj, skipped.energy_pj);
}

TEST(SparseModel, DensitiesWithoutOptimizationsAreTheDenseModel) {
  spec::Spec spec = DotProduct("gating");
  const AnalysisResult dense = Analyze(*spec.architecture, *spec.workload, *spec.mapping, &*spec.energy);
  EXPECT_FALSE(dense.arithmetic.sparse_computes);
  EXPECT_EQ(dense.storage[0].data_spaces[1].reads, 16);
  EXPECT_EQ(dense.cycles, 47);  // the same reads at one per cycle
}

}  // namespace
}  // namespace cyclops::analysis
