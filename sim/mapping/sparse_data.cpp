#include "sim/mapping/sparse_data.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <stdexcept>

#include "sim/analysis/loop_nest.h"

namespace cyclops::mapping {

namespace {

// One generator per data space, so adding a data space does not move the zeros of another.
std::mt19937_64 GeneratorFor(uint64_t seed, int data_space) {
  return std::mt19937_64(seed ^ (0x9E3779B97F4A7C15ull * static_cast<uint64_t>(data_space + 1)));
}

// Marks `count` of the `positions` nonzero, drawn uniformly (partial Fisher-Yates; the modulo is done by
// hand because std::uniform_int_distribution is not the same on every standard library).
void DrawNonzeros(std::vector<int64_t>& positions, int64_t count, std::mt19937_64& generator,
                  std::vector<bool>& nonzero) {
  const auto n = static_cast<int64_t>(positions.size());
  for (int64_t i = 0; i < count && i < n; ++i) {
    const int64_t j = i + static_cast<int64_t>(generator() % static_cast<uint64_t>(n - i));
    std::swap(positions[i], positions[j]);
    nonzero[positions[i]] = true;
  }
}

// The addresses of the tile whose first corner is `corner` (clipped at the tensor's edges), row-major.
std::vector<int64_t> TileAddresses(const Tensor& tensor, const std::vector<int64_t>& corner,
                                   const std::vector<int64_t>& extent) {
  const size_t ranks = tensor.rank_extent.size();
  std::vector<int64_t> size(ranks);
  for (size_t r = 0; r < ranks; ++r) size[r] = std::min(extent[r], tensor.rank_extent[r] - corner[r]);
  std::vector<int64_t> addresses;
  std::vector<int64_t> offset(ranks, 0), coordinate(ranks);
  while (true) {
    for (size_t r = 0; r < ranks; ++r) coordinate[r] = corner[r] + offset[r];
    addresses.push_back(tensor.Address(coordinate));
    size_t r = ranks;
    while (r-- > 0) {
      if (++offset[r] < size[r]) break;
      offset[r] = 0;
    }
    if (r == static_cast<size_t>(-1)) break;
  }
  return addresses;
}

std::vector<bool> FixedStructured(const Tensor& tensor, const std::vector<int64_t>& extent, double density,
                                  std::mt19937_64& generator) {
  const size_t ranks = tensor.rank_extent.size();
  std::vector<bool> nonzero(tensor.values.size(), false);
  std::vector<int64_t> corner(ranks, 0);
  int64_t before = 0;  // values in the tiles already placed
  auto rounded = [&](int64_t values) {
    return static_cast<int64_t>(std::floor(density * static_cast<double>(values) + 0.5));
  };
  while (true) {
    std::vector<int64_t> tile = TileAddresses(tensor, corner, extent);
    const auto size = static_cast<int64_t>(tile.size());
    DrawNonzeros(tile, rounded(before + size) - rounded(before), generator, nonzero);
    before += size;
    size_t r = ranks;
    while (r-- > 0) {
      corner[r] += extent[r];
      if (corner[r] < tensor.rank_extent[r]) break;
      corner[r] = 0;
    }
    if (r == static_cast<size_t>(-1)) break;
  }
  return nonzero;
}

std::vector<bool> Hypergeometric(const Tensor& tensor, double density, std::mt19937_64& generator) {
  std::vector<bool> nonzero(tensor.values.size(), false);
  std::vector<int64_t> positions(tensor.values.size());
  std::iota(positions.begin(), positions.end(), 0);
  const auto count = static_cast<int64_t>(std::ceil(density * static_cast<double>(positions.size())));
  DrawNonzeros(positions, count, generator, nonzero);
  return nonzero;
}

std::vector<bool> Banded(const Tensor& tensor, int64_t band) {
  std::vector<bool> nonzero(tensor.values.size(), false);
  for (size_t address = 0; address < nonzero.size(); ++address) {
    const std::vector<int64_t> coordinate = tensor.Coordinate(static_cast<int64_t>(address));
    nonzero[address] = std::abs(coordinate[0] - coordinate[1]) <= band;
  }
  return nonzero;
}

}  // namespace

std::vector<int64_t> DensityTileExtent(const spec::Workload& workload, const spec::Mapping* mapping,
                                       int data_space) {
  const Tensor shape = ShapeTensors(workload)[data_space];
  if (mapping == nullptr) return shape.rank_extent;
  const analysis::LoopNest nest(workload, *mapping);
  const int ranks = static_cast<int>(shape.rank_extent.size());
  for (const analysis::Loop& loop : nest.loops()) {  // innermost first
    const auto& shift = nest.UnitShift(data_space, loop.dimension);
    if (std::all_of(shift.begin(), shift.begin() + ranks, [](int64_t s) { return s == 0; })) continue;
    std::vector<int64_t> extent(workload.dimensions.size(), 1);
    extent[loop.dimension] = loop.stride * loop.factor;
    const analysis::DataBox box =
        nest.Project(data_space, std::vector<int64_t>(workload.dimensions.size(), 0), extent);
    std::vector<int64_t> tile(ranks);
    for (int r = 0; r < ranks; ++r) tile[r] = box.high[r] - box.low[r] + 1;
    return tile;
  }
  return shape.rank_extent;
}

void ApplyDensities(const spec::Workload& workload, const spec::Mapping* mapping, uint64_t seed,
                    std::vector<Tensor>& tensors) {
  for (size_t d = 0; d < workload.data_spaces.size(); ++d) {
    const spec::DensitySpec density = workload.Density(static_cast<int>(d));
    if (workload.data_spaces[d].read_write || density.IsDense()) continue;
    Tensor& tensor = tensors[d];
    std::mt19937_64 generator = GeneratorFor(seed, static_cast<int>(d));
    std::vector<bool> nonzero;
    if (density.distribution == "banded") {
      nonzero = Banded(tensor, density.band_width);
    } else if (density.distribution == "hypergeometric") {
      nonzero = Hypergeometric(tensor, density.density, generator);
    } else {
      nonzero = FixedStructured(tensor, DensityTileExtent(workload, mapping, static_cast<int>(d)),
                                density.density, generator);
    }
    for (size_t i = 0; i < tensor.values.size(); ++i)
      tensor.values[i] = nonzero[i] ? (tensor.values[i] == 0 ? 1 : tensor.values[i]) : 0;
  }
}

void PruneSmallest(Tensor& tensor, double density) {
  if (!(density >= 0.0 && density <= 1.0))
    throw std::invalid_argument("a pruning density must be between 0 and 1, got " + std::to_string(density));
  const auto keep =
      static_cast<size_t>(std::floor(density * static_cast<double>(tensor.values.size()) + 0.5));
  std::vector<size_t> order(tensor.values.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return std::abs(tensor.values[a]) > std::abs(tensor.values[b]);
  });
  for (size_t i = keep; i < order.size(); ++i) tensor.values[order[i]] = 0;
}

double MeasuredDensity(const Tensor& tensor) {
  if (tensor.values.empty()) return 0;
  const auto nonzeros =
      std::count_if(tensor.values.begin(), tensor.values.end(), [](int64_t v) { return v != 0; });
  return static_cast<double>(nonzeros) / static_cast<double>(tensor.values.size());
}

std::vector<double> MeasuredDensities(const std::vector<Tensor>& tensors, int result,
                                      const Tensor& computed) {
  std::vector<double> densities;
  for (size_t d = 0; d < tensors.size(); ++d)
    densities.push_back(MeasuredDensity(d == static_cast<size_t>(result) ? computed : tensors[d]));
  return densities;
}

}  // namespace cyclops::mapping
