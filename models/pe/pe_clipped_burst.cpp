// Imperfect factors (LayerProgram::imperfect): a PE's MAC burst clipped at the workload's bounds. The PE
// program walks the perfect super-nest of the factors; the points of a burst at or past a bound are not
// MACs of the layer, and the operand tiles are clipped the same way (FillEngine::ClipGroups), so their
// layout is the clipped box's, not the full tile's the fast burst's address steps assume.
#include "models/pe/pe_cluster.h"

namespace cyclops::models {

Cycle PeCluster::RunClippedBurst(Slot& slot) {
  const mapping::LayerProgram& layer = *layer_;
  const mapping::PeProgram& program = layer.pe;
  const mapping::OperandRoles& roles = layer.roles;
  const spec::Workload& workload = layer.nest->workload();
  const std::vector<int64_t>& bounds = workload.bounds;
  const size_t dims = bounds.size();
  const std::vector<int64_t>& origin = *step_origin_;
  const std::vector<int64_t>& spatial = *slot.spatial_origin;
  const size_t loops = program.burst_factors.size();
  std::vector<int64_t> point(dims), reach(dims, 1);
  for (size_t l = 0; l < loops; ++l)
    reach[program.burst_dimensions[l]] += (program.burst_factors[l] - 1) * program.burst_strides[l];
  bool whole = true;
  for (size_t k = 0; k < dims; ++k) {
    point[k] = origin[k] + spatial[k];
    if (point[k] >= bounds[k]) return 0;  // the whole burst lies past a bound
    whole = whole && point[k] + reach[k] <= bounds[k];
  }
  const int operands[3] = {roles.first, roles.second, roles.result};
  bool full_tiles = true;
  for (int d : operands) {
    const analysis::DataBox& box = slot.store[d]->box();
    const std::vector<int64_t>& shape = full_shape_[static_cast<size_t>(d)];
    full_tiles = full_tiles && box.ranks == static_cast<int>(shape.size());
    for (int r = 0; full_tiles && r < box.ranks; ++r) full_tiles = box.high[r] - box.low[r] + 1 == shape[r];
  }
  if (whole && full_tiles) {
    RunBurst(slot);
    return program.burst_macs;
  }
  // Each operand's address is linear in the point: base + point · weight, from its store's own layout.
  int64_t address[3] = {0, 0, 0};
  std::vector<int64_t> weight(3 * dims, 0);
  for (int i = 0; i < 3; ++i) {
    const int d = operands[i];
    const analysis::DataBox& box = slot.store[d]->box();
    const auto& projection = workload.data_spaces[d].projection;
    int64_t stride = 1;
    for (int r = box.ranks - 1; r >= 0; --r) {
      for (const spec::ProjectionTerm& term : projection[r])
        weight[i * dims + term.dimension] += workload.Coefficient(term) * stride;
      address[i] -= box.low[r] * stride;
      stride *= box.high[r] - box.low[r] + 1;
    }
    for (size_t k = 0; k < dims; ++k) address[i] += point[k] * weight[i * dims + k];
  }
  // Per burst loop, how one step moves each address.
  std::vector<int64_t> step(3 * loops);
  for (size_t l = 0; l < loops; ++l)
    for (int i = 0; i < 3; ++i)
      step[i * loops + l] = weight[i * dims + program.burst_dimensions[l]] * program.burst_strides[l];
  TileStore& out_store = *slot.store[roles.result];
  const int64_t* av = slot.store[roles.first]->values().data();
  const int64_t* bv = slot.store[roles.second]->values().data();
  int64_t* ov = out_store.values().data();
  uint8_t* fresh = FreshFlags(slot, out_store);
  std::vector<int64_t> index(loops, 0);
  int64_t macs = 0, first_touches = 0;
  while (true) {
    bool inside = true;
    for (size_t k = 0; inside && k < dims; ++k) inside = point[k] < bounds[k];
    if (inside) {
      first_touches += fresh[address[2]];
      fresh[address[2]] = 0;
      ov[address[2]] += av[address[0]] * bv[address[1]];
      ++macs;
    }
    size_t l = 0;
    for (; l < loops; ++l) {
      const int dim = program.burst_dimensions[l];
      point[dim] += program.burst_strides[l];
      for (int i = 0; i < 3; ++i) address[i] += step[i * loops + l];
      if (++index[l] < program.burst_factors[l]) break;
      point[dim] -= program.burst_strides[l] * index[l];
      for (int i = 0; i < 3; ++i) address[i] -= step[i * loops + l] * index[l];
      index[l] = 0;
    }
    if (l == loops) break;
  }
  const auto counted = static_cast<uint64_t>(macs);
  *slot.first_reads += counted;
  *slot.second_reads += counted;
  *slot.result_updates += counted;
  *slot.result_reads += counted - static_cast<uint64_t>(first_touches);
  return macs;
}

}  // namespace cyclops::models
