// Seeded sparse data: zeros at the declared density and distribution (fixed_structured exactly per tile of
// the mapping), and magnitude pruning; counts worked out by hand in the comments.
#include "sim/mapping/sparse_data.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "sim/spec/loader.h"

namespace cyclops::mapping {
namespace {

// An 8 x 8 x 8 matrix multiply Z[m][n] += A[m][k] B[n][k], one buffer, M innermost: the innermost loop
// that moves A is M (extent 8), the one that moves B is N (extent 8).
spec::Spec MatrixMultiply(const std::string& densities) {
  const std::string arch =
      "architecture:\n  version: 0.4\n  nodes:\n"
      "  - !Component\n    name: Buffer\n    class: regfile\n    attributes: {depth: 512, width: 8, "
      "datawidth: 8}\n"
      "  - !Component\n    name: mac\n    class: intmac\n";
  const std::string problem =
      "problem:\n  shape:\n    name: mm\n    dimensions: [M, N, K]\n    data_spaces:\n"
      "    - {name: A, projection: [[[M]], [[K]]]}\n    - {name: B, projection: [[[N]], [[K]]]}\n"
      "    - {name: Z, projection: [[[M]], [[N]]], read_write: true}\n"
      "  instance: {M: 8, N: 8, K: 8, densities: " +
      densities + "}\n";
  const std::string mapping =
      "mapping:\n- {target: Buffer, type: temporal, factors: M=8 N=8 K=8, permutation: MNK}\n";
  return spec::LoadSpecDocuments({{"a.yaml", arch}, {"p.yaml", problem}, {"m.yaml", mapping}});
}

std::vector<Tensor> Draw(const spec::Spec& spec, uint64_t seed, const spec::Mapping* mapping) {
  std::vector<Tensor> tensors = ShapeTensors(*spec.workload);
  FillOperands(*spec.workload, seed, 8, tensors);
  ApplyDensities(*spec.workload, mapping, seed, tensors);
  return tensors;
}

int64_t Nonzeros(const Tensor& tensor, int64_t begin, int64_t end, int64_t step = 1) {
  int64_t count = 0;
  for (int64_t i = begin; i < end; i += step) count += tensor.values[i] != 0;
  return count;
}

TEST(SparseData, TileFollowsTheInnermostLoopThatMovesTheTensor) {
  const spec::Spec spec = MatrixMultiply("{A: 0.25}");
  EXPECT_EQ(DensityTileExtent(*spec.workload, &*spec.mapping, 0), (std::vector<int64_t>{8, 1}));  // A: M
  EXPECT_EQ(DensityTileExtent(*spec.workload, &*spec.mapping, 1), (std::vector<int64_t>{8, 1}));  // B: N
  EXPECT_EQ(DensityTileExtent(*spec.workload, nullptr, 0), (std::vector<int64_t>{8, 8}));  // whole tensor
}

TEST(SparseData, FixedStructuredHoldsExactlyDensityTimesSizeInEveryTile) {
  const spec::Spec spec = MatrixMultiply("{A: 0.25, B: 0.5}");
  const std::vector<Tensor> tensors = Draw(spec, 3, &*spec.mapping);
  // A[m][k] is laid out k fastest: the tile of one k is a column of 8 values 8 apart, 8 x 0.25 = 2 nonzero.
  for (int64_t k = 0; k < 8; ++k) EXPECT_EQ(Nonzeros(tensors[0], k, 64, 8), 2) << "A column k=" << k;
  for (int64_t k = 0; k < 8; ++k) EXPECT_EQ(Nonzeros(tensors[1], k, 64, 8), 4) << "B column k=" << k;
  EXPECT_DOUBLE_EQ(MeasuredDensity(tensors[0]), 0.25);  // 16 of 64
  EXPECT_DOUBLE_EQ(MeasuredDensity(tensors[1]), 0.5);
  EXPECT_DOUBLE_EQ(MeasuredDensity(tensors[2]), 0.0);  // the result is computed, not drawn
}

TEST(SparseData, FractionalTileCountsAreFloorOrCeilAndExactInTotal) {
  // 0.3 of each 8-value column is 2.4: every column holds 2 or 3, and the 64 values round(19.2) = 19.
  const spec::Spec spec = MatrixMultiply("{A: 0.3}");
  const std::vector<Tensor> tensors = Draw(spec, 5, &*spec.mapping);
  int64_t total = 0;
  for (int64_t k = 0; k < 8; ++k) {
    const int64_t column = Nonzeros(tensors[0], k, 64, 8);
    EXPECT_TRUE(column == 2 || column == 3) << column;
    total += column;
  }
  EXPECT_EQ(total, 19);
}

TEST(SparseData, HypergeometricPlacesCeilOfDensityTimesSizeAnywhere) {
  // ceil(0.3 x 64) = 20 nonzeros, positions depend on the seed only.
  const spec::Spec spec = MatrixMultiply("{A: {distribution: hypergeometric, density: 0.3}}");
  const std::vector<Tensor> a = Draw(spec, 11, &*spec.mapping), b = Draw(spec, 11, nullptr),
                            c = Draw(spec, 12, nullptr);
  EXPECT_EQ(Nonzeros(a[0], 0, 64), 20);
  EXPECT_EQ(a[0].values, b[0].values);  // the mapping does not matter to it
  EXPECT_NE(a[0].values, c[0].values);
  EXPECT_EQ(Nonzeros(c[0], 0, 64), 20);
}

TEST(SparseData, BandedIsNonzeroOnTheBandOnly) {
  const spec::Spec spec = MatrixMultiply("{A: {distribution: banded, band_width: 1}}");
  const std::vector<Tensor> tensors = Draw(spec, 1, &*spec.mapping);
  for (int64_t m = 0; m < 8; ++m)
    for (int64_t k = 0; k < 8; ++k)
      EXPECT_EQ(tensors[0].values[m * 8 + k] != 0, std::abs(m - k) <= 1) << m << "," << k;
  EXPECT_EQ(Nonzeros(tensors[0], 0, 64), 8 + 2 * 7);
}

TEST(SparseData, SameSeedSameZerosAndNonzerosStayNonzero) {
  const spec::Spec spec = MatrixMultiply("{A: 0.5, B: 0.5}");
  const std::vector<Tensor> first = Draw(spec, 9, &*spec.mapping), second = Draw(spec, 9, &*spec.mapping);
  EXPECT_EQ(first[0].values, second[0].values);
  EXPECT_EQ(first[1].values, second[1].values);
  // Dense operands are left as drawn: with every density 1 nothing changes.
  const spec::Spec dense = MatrixMultiply("{A: 1.0}");
  std::vector<Tensor> drawn = ShapeTensors(*dense.workload);
  FillOperands(*dense.workload, 9, 8, drawn);
  const std::vector<Tensor> applied = Draw(dense, 9, &*dense.mapping);
  EXPECT_EQ(applied[0].values, drawn[0].values);
  // 8-bit values include 0; a value chosen to be nonzero never is 0, so the count stays exact.
  const spec::Spec dense_ish = MatrixMultiply("{A: 0.999}");  // round(63.936) = 64 of 64
  EXPECT_EQ(Nonzeros(Draw(dense_ish, 9, nullptr)[0], 0, 64), 64);
}

TEST(SparseData, PruneKeepsTheLargestMagnitudes) {
  Tensor tensor;
  tensor.rank_extent = {8};
  tensor.values = {5, -7, 1, 0, -2, 7, 3, -1};
  // Keep round(0.5 x 8) = 4 of largest |value|: -7 and 7, then 5, then 3; the ties 1 / -1 and the rest go.
  PruneSmallest(tensor, 0.5);
  EXPECT_EQ(tensor.values, (std::vector<int64_t>{5, -7, 0, 0, 0, 7, 3, 0}));
  // Ties by address: of the equal magnitudes 2, 2, 2 the first two survive a 2-of-3 pruning.
  Tensor ties;
  ties.rank_extent = {3};
  ties.values = {2, -2, 2};
  PruneSmallest(ties, 2.0 / 3);
  EXPECT_EQ(ties.values, (std::vector<int64_t>{2, -2, 0}));
  EXPECT_THROW(PruneSmallest(ties, 1.5), std::invalid_argument);
}

}  // namespace
}  // namespace cyclops::mapping
