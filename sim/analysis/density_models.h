// Sparseloop's density models: for a tile of a tensor, the probability of each occupancy (number of
// nonzeros), its expected and maximum occupancy. Each distribution of spec::DensitySpec registers here by
// its name (fixed_structured, hypergeometric, banded). The arithmetic follows Sparseloop's
// (src/workload/density-models/) operation for operation, floating-point quirks included, because the
// sparse counts round those values up or down.
#pragma once

#include <cstdint>
#include <memory>

#include "sim/analysis/loop_nest.h"
#include "sim/core/registry.h"
#include "sim/spec/specs.h"

namespace cyclops::analysis {

// A tile in a tensor's coordinate space (Sparseloop's CoordinateSpaceTileInfo): its size and its box at
// the origin, optionally known to lie in an enclosing tile of `constraint_shape` values that holds exactly
// `constraint_occupancy` nonzeros.
struct CoordinateTile {
  int64_t shape = 0;
  DataBox box;
  bool constrained = false;
  int64_t constraint_shape = 0;
  int64_t constraint_occupancy = 0;
  DataBox constraint_box;

  static CoordinateTile Of(const DataBox& box);
  CoordinateTile WithConstraint(int64_t shape, int64_t occupancy, const DataBox& box) const;
};

class DensityModel {
 public:
  virtual ~DensityModel() = default;
  // The occupancy a tile does not exceed with probability `confidence`.
  virtual int64_t MaxOccupancy(const CoordinateTile& tile, double confidence = 1.0) = 0;
  virtual double MinDensity(const CoordinateTile& tile) = 0;
  virtual double OccupancyProbability(const CoordinateTile& tile, int64_t occupancy) = 0;
  virtual double ExpectedOccupancy(const CoordinateTile& tile) = 0;
};

// What a model needs to know about the whole tensor besides its spec: its box (ranks and extents).
using DensityModelRegistry = Registry<DensityModel, const spec::DensitySpec&, const DataBox&>;

// Throws SpecError when the distribution is not registered (the loader only admits registered names).
std::unique_ptr<DensityModel> MakeDensityModel(const spec::DensitySpec& spec, const DataBox& tensor);

}  // namespace cyclops::analysis
