#include "sim/mapping/layer_plan.h"

#include <algorithm>
#include <map>
#include <unordered_map>

#include "sim/core/error.h"

namespace cyclops::mapping {

LayerPlan::LayerPlan(const spec::Architecture& architecture, const spec::Workload& workload,
                     const spec::Mapping& mapping)
    : architecture_(&architecture), workload_(&workload), where_(mapping.where), nest_(workload, mapping) {
  for (int level = -1; level < nest_.levels(); ++level) {
    std::vector<int> spatial, temporal;
    for (int p = Boundary(level); p < static_cast<int>(nest_.loops().size()); ++p)
      (nest_.loops()[p].spatial ? spatial : temporal).push_back(p);
    int64_t instances = 1;
    for (int p : spatial) instances *= nest_.loops()[p].factor;
    spatial_above_.push_back(std::move(spatial));
    temporal_above_.push_back(std::move(temporal));
    instances_.push_back(instances);
  }
  for (const analysis::Loop& loop : nest_.loops()) imperfect_ = imperfect_ || loop.residual != loop.factor;
  chains_.resize(workload.data_spaces.size());
  for (size_t d = 0; d < workload.data_spaces.size(); ++d) {
    for (size_t level = 0; level < mapping.levels.size(); ++level)
      if (mapping.levels[level].keep[d]) chains_[d].push_back(static_cast<int>(level));
    if (chains_[d].empty() || chains_[d].back() != nest_.levels() - 1)
      throw SpecError(mapping.where,
                      "data space '" + workload.data_spaces[d].name +
                          "' is not kept at the outermost level '" + architecture.storage.back().name + "'",
                      "the outermost level keeps every data space");
  }
}

bool ClippedExtent(const std::vector<int64_t>& bounds, const std::vector<int64_t>& origin,
                   const std::vector<int64_t>& extent, std::vector<int64_t>& clipped) {
  clipped.resize(extent.size());
  for (size_t d = 0; d < extent.size(); ++d) {
    clipped[d] = std::min(extent[d], bounds[d] - origin[d]);
    if (clipped[d] <= 0) return false;
  }
  return true;
}

int LayerPlan::Parent(int d, int level) const {
  const std::vector<int>& chain = chains_[d];
  for (size_t i = 0; i + 1 < chain.size(); ++i)
    if (chain[i] == level) return chain[i + 1];
  return -1;
}

std::vector<int64_t> LayerPlan::SpatialOrigin(int level, int64_t instance) const {
  std::vector<int64_t> origin(workload_->dimensions.size(), 0);
  for (int p : SpatialLoopsAbove(level)) {  // innermost first = least significant digit
    const analysis::Loop& loop = nest_.loops()[p];
    origin[loop.dimension] += (instance % loop.factor) * loop.stride;
    instance /= loop.factor;
  }
  return origin;
}

LayerPlan::MeshPosition LayerPlan::PositionInMesh(int level, int64_t instance) const {
  const spec::Architecture& arch = *architecture_;
  auto mesh = [&](int l) -> std::pair<int64_t, int64_t> {
    if (l < 0) return {arch.arithmetic.mesh_x, arch.arithmetic.mesh_y};
    return {arch.storage[l].mesh_x, arch.storage[l].mesh_y};
  };
  const auto [mesh_x, mesh_y] = mesh(level);
  MeshPosition position;
  // Spatial loops come innermost first; within one fan-out, an inner loop along an axis is the less
  // significant digit of that axis.
  int owner = -2;
  int64_t x_stride = 1, y_stride = 1;
  for (int p : SpatialLoopsAbove(level)) {
    const analysis::Loop& loop = nest_.loops()[p];
    if (loop.level != owner) {
      owner = loop.level;
      // The fan-out owned by level f feeds level f - 1; its instances sit mesh(level) / mesh(f - 1) apart.
      const auto [child_x, child_y] = mesh(owner - 1);
      x_stride = std::max<int64_t>(mesh_x / std::max<int64_t>(child_x, 1), 1);
      y_stride = std::max<int64_t>(mesh_y / std::max<int64_t>(child_y, 1), 1);
    }
    const int64_t index = instance % loop.factor;
    instance /= loop.factor;
    if (loop.y_axis) {
      position.y += index * y_stride;
      y_stride *= loop.factor;
    } else {
      position.x += index * x_stride;
      x_stride *= loop.factor;
    }
  }
  return position;
}

int64_t LayerPlan::Ancestor(int level, int64_t instance, int upper) const {
  for (int p : SpatialLoopsAbove(level))
    if (p < Boundary(upper)) instance /= nest_.loops()[p].factor;
  return instance;
}

bool LayerPlan::Indexes(int d, int dimension) const {
  for (const spec::ProjectionExpression& expression : workload_->data_spaces[d].projection)
    for (const spec::ProjectionTerm& term : expression)
      if (term.dimension == dimension && workload_->Coefficient(term) != 0) return true;
  return false;
}

int LayerPlan::FirstMovingLoop(int d, int level) const {
  for (int p : TemporalLoopsAbove(level))
    if (Indexes(d, nest_.loops()[p].dimension)) return p;
  return static_cast<int>(nest_.loops().size());
}

std::vector<ChildGroup> LayerPlan::Groups(int d, int level) const {
  return GroupsUnder(d, level, Parent(d, level));
}

std::vector<ChildGroup> LayerPlan::MacGroups(int d) const {
  return GroupsUnder(d, -1, chains_[d].front());
}

std::vector<ChildGroup> LayerPlan::GroupsUnder(int d, int level, int parent) const {
  const auto& projection = workload_->data_spaces[d].projection;
  const std::vector<int>& spatial = SpatialLoopsAbove(level);
  // Per spatial loop between the two tiles, how much one step of it moves each data-space rank.
  std::vector<std::vector<int64_t>> step;
  for (int p : spatial) {
    if (p >= Boundary(parent)) break;
    const analysis::Loop& loop = nest_.loops()[p];
    std::vector<int64_t> moves(projection.size(), 0);
    for (size_t r = 0; r < projection.size(); ++r)
      for (const spec::ProjectionTerm& term : projection[r])
        if (term.dimension == loop.dimension) moves[r] += workload_->Coefficient(term) * loop.stride;
    step.push_back(std::move(moves));
  }
  // Key: the parent, then per fan-out level between the two tiles, the data-space offset of the child.
  // Looked up by hash (a 16,384-PE array has as many children), the keys kept flat.
  const size_t width = 1 + projection.size() * step.size();
  std::vector<int64_t> keys;  // [group][width]
  std::unordered_multimap<uint64_t, size_t> by_hash;
  std::vector<ChildGroup> groups;
  std::vector<int64_t> key(width), offset(projection.size());
  for (int64_t child = 0; child < Instances(level); ++child) {
    std::fill(key.begin(), key.end(), 0);
    key[0] = Ancestor(level, child, parent);
    int64_t rest = child;
    int owner = -2;
    size_t at = 1;
    std::fill(offset.begin(), offset.end(), 0);
    for (size_t s = 0; s < step.size(); ++s) {
      const analysis::Loop& loop = nest_.loops()[spatial[s]];
      const int64_t index = rest % loop.factor;
      rest /= loop.factor;
      if (loop.level != owner) {  // a new fan-out level: close the previous one's offset
        if (owner != -2)
          std::copy(offset.begin(), offset.end(), key.begin() + static_cast<int64_t>(at)),
              at += offset.size();
        std::fill(offset.begin(), offset.end(), 0);
        owner = loop.level;
      }
      for (size_t r = 0; r < offset.size(); ++r) offset[r] += step[s][r] * index;
    }
    if (owner != -2) std::copy(offset.begin(), offset.end(), key.begin() + static_cast<int64_t>(at));
    uint64_t hash = 14695981039346656037ull;
    for (int64_t value : key) hash = (hash ^ static_cast<uint64_t>(value)) * 1099511628211ull;
    size_t group = groups.size();
    auto [first, last] = by_hash.equal_range(hash);
    for (auto it = first; it != last; ++it)
      if (std::equal(key.begin(), key.end(), keys.begin() + static_cast<int64_t>(it->second * width)))
        group = it->second;
    if (group == groups.size()) {
      by_hash.emplace(hash, group);
      keys.insert(keys.end(), key.begin(), key.end());
      groups.push_back({key[0], {}});
    }
    groups[group].children.push_back(child);
  }
  return groups;
}

std::string LayerPlan::TransferListing() const {
  const auto& storage = architecture_->storage;
  std::string out = "Transfer schedules (one fill engine per level and data space; loops outermost first):\n";
  for (int d = 0; d < num_data_spaces(); ++d) {
    const std::string& name = workload_->data_spaces[d].name;
    for (int level : chains_[d]) {
      const int parent = Parent(d, level);
      if (parent < 0) {
        out += "  " + storage[level].name + " holds all of " + name + " from the start\n";
        continue;
      }
      const std::vector<int64_t> origin(workload_->dimensions.size(), 0);
      const int64_t tile = nest_.Project(d, origin, nest_.TileExtent(level)).Size();
      const std::vector<ChildGroup> groups = Groups(d, level);
      out += "  " + storage[parent].name + " -> " + storage[level].name + " (" + name + "): tile of " +
             std::to_string(tile) + " values in each of " + std::to_string(Instances(level)) +
             " instances, " + std::to_string(groups.size()) + " multicast group(s) of " +
             std::to_string(groups.front().children.size());
      if (workload_->data_spaces[d].read_write) out += ", departing psums written back reduced per group";
      out += "\n    walks:";
      const int first_moving = FirstMovingLoop(d, level);
      const std::vector<int> loops = TemporalLoopsAbove(level);
      for (auto it = loops.rbegin(); it != loops.rend(); ++it) {
        const analysis::Loop& loop = nest_.loops()[*it];
        out += " " + workload_->dimensions[loop.dimension] + std::to_string(loop.factor) +
               (*it < first_moving ? "(stays)" : "");
      }
      if (loops.empty()) out += " nothing (one tile for the whole layer)";
      out += "\n";
    }
  }
  return out;
}

Odometer::Odometer(const analysis::LoopNest& nest, std::vector<int> positions)
    : nest_(&nest),
      positions_(std::move(positions)),
      index_(positions_.size(), 0),
      origin_(nest.workload().dimensions.size(), 0) {}

int Odometer::Advance() {
  for (size_t i = 0; i < positions_.size(); ++i) {
    const analysis::Loop& loop = nest_->loops()[positions_[i]];
    origin_[loop.dimension] += loop.stride;
    if (++index_[i] < loop.factor) return positions_[i];
    origin_[loop.dimension] -= loop.stride * loop.factor;
    index_[i] = 0;
  }
  return -1;
}

int64_t Odometer::Iterations() const {
  int64_t iterations = 1;
  for (int p : positions_) iterations *= nest_->loops()[p].factor;
  return iterations;
}

}  // namespace cyclops::mapping
