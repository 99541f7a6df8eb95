#include "sim/analysis/density_models.h"

#include <algorithm>
#include <array>
#include <boost/math/distributions/hypergeometric.hpp>
#include <boost/math/special_functions/binomial.hpp>
#include <cmath>
#include <map>

#include "sim/analysis/hypergeometric_pdf.h"
#include "sim/core/error.h"

#define CYCLOPS_REGISTER_DENSITY_MODEL(name, Type)                                                     \
  static const bool kRegisteredDensity##Type = ::cyclops::analysis::DensityModelRegistry::Add(         \
      name, [](const ::cyclops::spec::DensitySpec& spec, const ::cyclops::analysis::DataBox& tensor) { \
        return std::unique_ptr<::cyclops::analysis::DensityModel>(new Type(spec, tensor));             \
      })

namespace cyclops::analysis {

CoordinateTile CoordinateTile::Of(const DataBox& box) {
  CoordinateTile tile;
  tile.shape = box.Size();
  tile.box = box;
  return tile;
}

CoordinateTile CoordinateTile::WithConstraint(int64_t shape_of, int64_t occupancy,
                                              const DataBox& box_of) const {
  CoordinateTile tile = *this;
  tile.constrained = true;
  tile.constraint_shape = shape_of;
  tile.constraint_occupancy = occupancy;
  tile.constraint_box = box_of;
  return tile;
}

std::unique_ptr<DensityModel> MakeDensityModel(const spec::DensitySpec& spec, const DataBox& tensor) {
  std::unique_ptr<DensityModel> model = DensityModelRegistry::Make(spec.distribution, spec, tensor);
  if (!model) throw SpecError(spec.where, "no density model named '" + spec.distribution + "'");
  return model;
}

namespace {

// Every tile of a shape holds floor or ceil of density × shape nonzeros, in proportions that make the
// expectation exact.
class FixedStructured : public DensityModel {
 public:
  FixedStructured(const spec::DensitySpec& spec, const DataBox&) : density_(spec.density) {}

  int64_t MaxOccupancy(const CoordinateTile& tile, double confidence) override {
    const double exact = static_cast<double>(tile.shape) * density_;
    const double prob_floor = 1 - (exact - std::floor(exact));
    return static_cast<int64_t>(confidence <= prob_floor ? std::floor(exact) : std::ceil(exact));
  }
  double MinDensity(const CoordinateTile& tile) override {
    if (tile.shape == 0) return 0;
    const auto floor_nnzs = static_cast<uint64_t>(std::floor(static_cast<double>(tile.shape) * density_));
    return static_cast<double>(floor_nnzs) / static_cast<double>(tile.shape);
  }
  double OccupancyProbability(const CoordinateTile& tile, int64_t occupancy) override {
    const double density = tile.constrained ? static_cast<double>(tile.constraint_occupancy) /
                                                  static_cast<double>(tile.constraint_shape)
                                            : density_;
    const double exact = static_cast<double>(tile.shape) * density;
    const double prob_ceil = exact - std::floor(exact);
    const double prob_floor = 1 - prob_ceil;
    if (std::floor(exact) == static_cast<double>(occupancy)) return prob_floor;
    if (std::ceil(exact) == static_cast<double>(occupancy)) return prob_ceil;
    return 0.0;
  }
  double ExpectedOccupancy(const CoordinateTile& tile) override {
    return static_cast<double>(tile.shape) * density_;
  }

 private:
  double density_;
};
CYCLOPS_REGISTER_DENSITY_MODEL("fixed_structured", FixedStructured);

// ceil(density × size) nonzeros placed uniformly at random in the whole tensor: a tile's occupancy is
// hypergeometric (draws without replacement).
class Hypergeometric : public DensityModel {
 public:
  Hypergeometric(const spec::DensitySpec& spec, const DataBox& tensor)
      : density_(spec.density),
        tensor_size_(static_cast<uint64_t>(tensor.Size())),
        total_nnzs_(std::ceil(density_ * static_cast<double>(tensor_size_))) {}

  int64_t MaxOccupancy(const CoordinateTile& tile, double confidence) override {
    const auto shape = static_cast<uint64_t>(tile.shape);
    if (confidence == 1.0)
      return static_cast<int64_t>(static_cast<double>(shape) >= total_nnzs_ ? total_nnzs_ : shape);
    boost::math::hypergeometric_distribution<double> distribution(static_cast<uint64_t>(total_nnzs_), shape,
                                                                  tensor_size_);
    return static_cast<int64_t>(quantile(distribution, confidence));
  }
  double MinDensity(const CoordinateTile& tile) override {
    const auto shape = static_cast<double>(tile.shape);
    if (shape <= static_cast<double>(tensor_size_) - total_nnzs_) return 0;
    return (shape - static_cast<double>(tensor_size_) + total_nnzs_) / shape;
  }
  double OccupancyProbability(const CoordinateTile& tile, int64_t occupancy) override {
    const auto shape = static_cast<uint64_t>(tile.shape);
    const auto nnz = static_cast<uint64_t>(occupancy);
    if (tile.constrained)
      return Probability(nnz, static_cast<uint64_t>(tile.constraint_occupancy), shape,
                         static_cast<uint64_t>(tile.constraint_shape));
    return Probability(nnz, static_cast<uint64_t>(total_nnzs_), shape, tensor_size_);
  }
  double ExpectedOccupancy(const CoordinateTile& tile) override {
    const auto shape = static_cast<uint64_t>(tile.shape);
    const uint64_t total = tile.constrained ? static_cast<uint64_t>(tile.constraint_occupancy)
                                            : static_cast<uint64_t>(total_nnzs_);
    const uint64_t universe = tile.constrained ? static_cast<uint64_t>(tile.constraint_shape) : tensor_size_;
    // Summed term by term as Sparseloop sums it (not n·r/N), so the counts match its to the last bit; the
    // sum is remembered, since the analysis asks for the same tiles again and again.
    const auto [found, fresh] = expected_.try_emplace({total, shape, universe}, 0.0);
    if (!fresh) return found->second;
    double expected = 0.0;
    for (uint64_t occupancy = 0; occupancy <= std::min(shape, total); ++occupancy)
      expected += Probability(occupancy, total, shape, universe) * static_cast<double>(occupancy);
    found->second = expected;
    return expected;
  }

 private:
  // P(x nonzeros in n draws from N values of which r are nonzero), as Sparseloop computes it: Boost's pdf
  // (hypergeometric_pdf.h: equal to it, at a fraction of its cost), or the binomial coefficients directly
  // where Boost refuses.
  static double Probability(uint64_t x, uint64_t r, uint64_t n, uint64_t N) {
    if (((n + r > N) && (x < n + r - N)) | (x > r) | (x > n)) return 0;
    // Far in a tail the pdf is below the smallest double (e^-745) and Boost's pdf, the costly part of a
    // large tile's occupancy sum, returns 0: a log-gamma estimate (off by far less than the margin) says
    // so first. Every term Boost would make nonzero is still Boost's.
    if (LogProbability(x, r, n, N) < -800) return 0;
    try {
      return HypergeometricPdf(x, r, n, N);
    } catch (const std::exception&) {
      try {
        const long double r_choose_x = boost::math::binomial_coefficient<long double>(r, x);
        const long double rest = boost::math::binomial_coefficient<long double>(N - r, n - x);
        const long double all = boost::math::binomial_coefficient<long double>(N, n);
        return static_cast<double>((r_choose_x * rest) / all);
      } catch (const std::exception&) {
        throw SpecError({},
                        "the hypergeometric density model overflows for a tile of " + std::to_string(n) +
                            " values out of " + std::to_string(N),
                        "smaller tensors, or a fixed_structured density");
      }
    }
  }

  static double LogChoose(uint64_t n, uint64_t k) {
    const auto a = static_cast<double>(n), b = static_cast<double>(k);
    return std::lgamma(a + 1) - std::lgamma(b + 1) - std::lgamma(a - b + 1);
  }
  static double LogProbability(uint64_t x, uint64_t r, uint64_t n, uint64_t N) {
    return LogChoose(r, x) + LogChoose(N - r, n - x) - LogChoose(N, n);
  }

  double density_;
  uint64_t tensor_size_;
  double total_nnzs_;
  std::map<std::array<uint64_t, 3>, double> expected_;  // by (nonzeros, tile, universe)
};
CYCLOPS_REGISTER_DENSITY_MODEL("hypergeometric", Hypergeometric);

// A square matrix whose nonzeros are the diagonals |row - col| <= band_width. Occupancies come from
// counting the tiles of a tiling of the whole matrix (warm-up rows, steady state, cool-down rows).
class Banded : public DensityModel {
 public:
  Banded(const spec::DensitySpec& spec, const DataBox& tensor) : band_(spec.band_width) {
    rows_ = tensor.high[0] - tensor.low[0] + 1;
    cols_ = tensor.high[1] - tensor.low[1] + 1;
    const int64_t side = std::min(rows_, cols_);
    uint64_t total_nnzs = static_cast<uint64_t>(side);
    for (int64_t diagonal = 1; diagonal <= band_; ++diagonal)
      total_nnzs += static_cast<uint64_t>(side - diagonal) * 2;
    global_density_ = static_cast<double>(total_nnzs) / static_cast<double>(tensor.Size());
  }

  int64_t MaxOccupancy(const CoordinateTile& tile, double confidence) override {
    if (tile.shape == 0) return 0;
    const std::map<int64_t, double> distribution = Distribution(tile.box, false);
    double accumulated = 1.0;
    auto it = distribution.rbegin();
    while (it != distribution.rend() && accumulated > confidence) {
      ++it;
      if (it == distribution.rend()) break;
      accumulated -= it->second;
    }
    if (it == distribution.rend()) --it;
    return it->first;
  }
  double MinDensity(const CoordinateTile& tile) override {
    if (tile.shape == 0) return 0;
    return static_cast<double>(Distribution(tile.box, false).begin()->first) /
           static_cast<double>(tile.shape);
  }
  double OccupancyProbability(const CoordinateTile& tile, int64_t occupancy) override {
    if (tile.shape == 0) return occupancy == 0 ? 1.0 : 0;
    if (tile.constrained) {
      if (occupancy != 0)
        throw SpecError({}, "the banded density model only answers empty-tile questions inside a known tile");
      return ZeroProbabilityWithin(tile.box, Representative(tile.constraint_box, tile.constraint_occupancy));
    }
    const std::map<int64_t, double> distribution = Distribution(tile.box, false);
    auto it = distribution.find(occupancy);
    return it == distribution.end() ? 0 : it->second;
  }
  double ExpectedOccupancy(const CoordinateTile& tile) override {
    return static_cast<double>(tile.shape) * global_density_;
  }

 private:
  // A tile [row0, row1) × [col0, col1).
  struct Window {
    int64_t row0, col0, row1, col1;
  };

  int64_t NonZeros(const Window& window) const {
    int64_t nnz = 0;
    for (int64_t r = window.row0; r < window.row1; ++r) {
      const int64_t begin = std::max(window.col0, std::max(r - band_, int64_t{0}));
      const int64_t end = std::min(window.col1, r + band_ + 1);
      nnz += begin < end ? end - begin : 0;
    }
    return nnz;
  }

  static int64_t Extent(const DataBox& box, int rank) { return box.high[rank] - box.low[rank] + 1; }

  // Sparseloop's GetProbabilityDistributionForTileMold: occupancy → probability over a tiling of the matrix.
  std::map<int64_t, double> Distribution(const DataBox& mold, bool zero_only) const {
    const int64_t tile_rows = Extent(mold, 0), tile_cols = Extent(mold, 1);
    const int64_t col_groups = cols_ / tile_cols, row_groups = rows_ / tile_rows;
    const auto warm_up =
        static_cast<int64_t>(std::ceil(static_cast<double>(band_) / static_cast<double>(tile_rows)));
    const int64_t steady = std::max(row_groups - 2 * warm_up, int64_t{0});
    std::map<int64_t, uint64_t> counts{{0, 0}};
    int64_t row_offset = 0;
    for (int64_t group = 0; group < warm_up + 1 && group < row_groups; ++group, row_offset += tile_rows) {
      int64_t col_offset = 0;
      for (int64_t column = 0; column < col_groups; ++column, col_offset += tile_cols) {
        if (zero_only || col_offset > row_offset + tile_rows - 1 + band_) {
          const int64_t rest = col_groups - column;
          counts[0] += group >= warm_up ? rest * steady : (warm_up != row_groups ? rest * 2 : rest);
          break;
        }
        const int64_t occupancy =
            NonZeros({row_offset, col_offset, row_offset + tile_rows, col_offset + tile_cols});
        counts[occupancy] += group >= warm_up ? steady : (warm_up != row_groups ? 2 : 1);
      }
    }
    std::map<int64_t, double> probabilities;
    for (const auto& [occupancy, count] : counts)
      probabilities[occupancy] = static_cast<double>(count) / static_cast<double>(row_groups * col_groups);
    return probabilities;
  }

  // Sparseloop's GetReprPointSetForTileOccupancy: a tile of the mold's shape with that occupancy.
  Window Representative(const DataBox& mold, int64_t occupancy) const {
    const int64_t tile_rows = Extent(mold, 0), tile_cols = Extent(mold, 1);
    const int64_t col_groups = cols_ / tile_cols, row_groups = rows_ / tile_rows;
    const auto warm_up =
        static_cast<int64_t>(std::ceil(static_cast<double>(band_) / static_cast<double>(tile_rows)));
    int64_t row_offset = 0;
    for (int64_t group = 0; group < warm_up + 1 && group < row_groups; ++group, row_offset += tile_rows) {
      int64_t col_offset = 0;
      for (int64_t column = 0; column < col_groups; ++column, col_offset += tile_cols) {
        const Window window{row_offset, col_offset, row_offset + tile_rows, col_offset + tile_cols};
        if (col_offset > row_offset + tile_rows - 1 + band_) {
          if (occupancy == 0) return window;
          break;
        }
        if (NonZeros(window) == occupancy) return window;
      }
    }
    throw SpecError({},
                    "the banded density model has no tile with " + std::to_string(occupancy) + " nonzeros");
  }

  // Sparseloop's GetZeroOccupancyProbForConstrainedTileMold, offsets as it computes them.
  double ZeroProbabilityWithin(const DataBox& mold, const Window& constraint) const {
    if (constraint.row1 <= constraint.row0 || constraint.col1 <= constraint.col0) return 1.0;
    const int64_t tile_rows = Extent(mold, 0), tile_cols = Extent(mold, 1);
    const int64_t col_groups = (constraint.col1 - constraint.col0) / tile_cols;
    const int64_t row_groups = (constraint.row1 - constraint.row0) / tile_rows;
    uint64_t empty = 0;
    int64_t row_offset = constraint.row0;
    for (int64_t group = 0; group < row_groups; ++group, row_offset += tile_rows) {
      int64_t col_offset = constraint.col0;
      for (int64_t column = 0; column < col_groups; ++column, col_offset += tile_cols)
        if (NonZeros({constraint.row0 + row_offset, constraint.col0 + col_offset, tile_rows + row_offset,
                      tile_cols + col_offset}) == 0)
          ++empty;
    }
    return static_cast<double>(empty) / static_cast<double>(row_groups * col_groups);
  }

  int64_t band_;
  int64_t rows_ = 0, cols_ = 0;
  double global_density_ = 0;
};
CYCLOPS_REGISTER_DENSITY_MODEL("banded", Banded);

}  // namespace

}  // namespace cyclops::analysis
