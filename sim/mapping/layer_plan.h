// The mapping compiler's view of one layer: which storage levels keep each data space, how the spatial
// loops number the instances of every level, which children of a level receive identical data (one
// multicast, or one spatial reduction on the way back), and which loops move each tile. Everything the
// simulator's controllers and PEs need is derived here, once, before anything runs.
//
// Instance numbering: the instances of level L in use are numbered by the indices of the spatial loops
// above L (positions >= Boundary(L)), the outermost loop most significant. Level -1 stands for the MACs.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/analysis/loop_nest.h"
#include "sim/core/error.h"
#include "sim/spec/specs.h"

namespace cyclops::mapping {

// One multicast group: children of one parent instance that receive the same values.
struct ChildGroup {
  int64_t parent = 0;
  std::vector<int64_t> children;
};

class LayerPlan {
 public:
  // Throws SpecError when a data space is not kept at the outermost level.
  LayerPlan(const spec::Architecture& architecture, const spec::Workload& workload,
            const spec::Mapping& mapping);

  const analysis::LoopNest& nest() const { return nest_; }
  const spec::Workload& workload() const { return *workload_; }
  const spec::Architecture& architecture() const { return *architecture_; }
  const SourceLocation& where() const { return where_; }  // the mapping's, for located refusals
  int num_data_spaces() const { return static_cast<int>(workload_->data_spaces.size()); }
  // Some loop's residual differs from its factor: the nest is the perfect super-nest of the factors,
  // clipped at the workload's bounds (ClippedExtent).
  bool imperfect() const { return imperfect_; }

  // Storage levels keeping data space d, innermost first; back() holds the whole tensor.
  const std::vector<int>& Chain(int d) const { return chains_[d]; }
  // The next keeping level above `level` in d's chain (-1 for the top).
  int Parent(int d, int level) const;

  // First loop position above `level`'s tile (0 for the MACs, level -1).
  int Boundary(int level) const { return level < 0 ? 0 : nest_.EndLoop(level); }
  int64_t Instances(int level) const { return instances_[level + 1]; }
  // The operation-space origin contributed by the spatial loops above `level` for one instance.
  std::vector<int64_t> SpatialOrigin(int level, int64_t instance) const;
  // Where an instance sits in the hardware: its column (x) and row (y) in the mesh of all of `level`'s
  // instances (Timeloop's meshX × meshY of that level), from the spatial loops' X/Y split.
  struct MeshPosition {
    int64_t x = 0;
    int64_t y = 0;
  };
  MeshPosition PositionInMesh(int level, int64_t instance) const;
  // The instance of `upper` whose tile contains instance `instance` of `level`.
  int64_t Ancestor(int level, int64_t instance, int upper) const;
  // Children (instances of `level`) grouped by identical data at every fan-out between `level` and its
  // parent in d's chain, in a fixed order.
  std::vector<ChildGroup> Groups(int d, int level) const;
  // The MACs (level -1) under each instance of d's innermost keeping level, grouped the same way: the
  // MACs of one group read (or, for psums, update) the same value at every step — one access between
  // them (a broadcast to, or a spatial reduction of, a vector of MACs), as Timeloop counts it.
  std::vector<ChildGroup> MacGroups(int d) const;

  // Temporal loop positions above `level`'s tile, innermost first.
  const std::vector<int>& TemporalLoopsAbove(int level) const { return temporal_above_[level + 1]; }
  // The first temporal loop above `level` whose dimension moves d's tile (loops().size() if none): loops
  // inside it leave the tile where it is.
  int FirstMovingLoop(int d, int level) const;
  bool Indexes(int d, int dimension) const;

  // What every level's fill engine does, readable (`cyclops run --dump-programs`): per level and data space
  // the loops it walks, its tile, and the multicast groups it serves from the level above.
  std::string TransferListing() const;

 private:
  // Spatial loop positions above `level`, innermost first.
  const std::vector<int>& SpatialLoopsAbove(int level) const { return spatial_above_[level + 1]; }
  std::vector<ChildGroup> GroupsUnder(int d, int level, int parent) const;

  const spec::Architecture* architecture_;
  const spec::Workload* workload_;
  SourceLocation where_;
  analysis::LoopNest nest_;
  std::vector<std::vector<int>> chains_;
  // Per level + 1 (level -1, the MACs, first), computed once: every per-instance question walks them.
  std::vector<std::vector<int>> spatial_above_, temporal_above_;
  std::vector<int64_t> instances_;
  bool imperfect_ = false;
};

// The extent of the problem box [origin, origin + extent) clipped at the workload's bounds, per dimension;
// false (and `clipped` unspecified) when the clipped box is empty. An imperfect nest's loops of a dimension
// count in mixed radix up to its bound (spec/specs.h), so the points they run are exactly those of the
// perfect super-nest below the bound.
bool ClippedExtent(const std::vector<int64_t>& bounds, const std::vector<int64_t>& origin,
                   const std::vector<int64_t>& extent, std::vector<int64_t>& clipped);

// Counts through the temporal loops at the given positions (innermost first), outermost slowest.
class Odometer {
 public:
  Odometer(const analysis::LoopNest& nest, std::vector<int> positions);
  // Moves to the next iteration; returns the position of the outermost loop that advanced, or -1 at the end.
  int Advance();
  // The operation-space origin of the current iteration (temporal part only).
  const std::vector<int64_t>& origin() const { return origin_; }
  int64_t Iterations() const;

 private:
  const analysis::LoopNest* nest_;
  std::vector<int> positions_;
  std::vector<int64_t> index_;
  std::vector<int64_t> origin_;
};

}  // namespace cyclops::mapping
