#include "sim/mapping/layer_program.h"

#include <algorithm>

#include "sim/core/error.h"
#include "sim/mapping/tensor_data.h"

namespace cyclops::mapping {

namespace {

int64_t PhysicalInstance(const LayerPlan& plan, const HardwareLayout& layout, int level, int64_t logical) {
  const LayerPlan::MeshPosition p = plan.PositionInMesh(level, logical);
  return layout.Physical(level, {p.x, p.y});
}

// Per data space and physical instance of its operand level (the innermost keeping it), the PE clusters
// whose MACs read that instance's tile, ascending.
using ClusterLists = std::vector<std::vector<int64_t>>;
std::vector<ClusterLists> ConsumerClusters(const LayerPlan& plan, const HardwareLayout& layout) {
  const int data_spaces = plan.num_data_spaces();
  std::vector<ClusterLists> consumers(static_cast<size_t>(data_spaces));
  for (int d = 0; d < data_spaces; ++d)
    consumers[d].resize(static_cast<size_t>(layout.Instances(plan.Chain(d).front())));
  for (int64_t i = 0; i < plan.Instances(-1); ++i) {
    const int64_t cluster = layout.ClusterOf(PhysicalInstance(plan, layout, -1, i));
    for (int d = 0; d < data_spaces; ++d) {
      const int level = plan.Chain(d).front();
      std::vector<int64_t>& list =
          consumers[d]
                   [static_cast<size_t>(PhysicalInstance(plan, layout, level, plan.Ancestor(-1, i, level)))];
      if (std::find(list.begin(), list.end(), cluster) == list.end()) list.push_back(cluster);
    }
  }
  for (ClusterLists& lists : consumers)
    for (std::vector<int64_t>& list : lists) std::sort(list.begin(), list.end());
  return consumers;
}

void CheckPsumClusters(const LayerPlan& plan, const HardwareLayout& layout,
                       const std::vector<ClusterLists>& consumers) {
  const int top = plan.nest().levels() - 1;
  for (int d = 0; d < plan.num_data_spaces(); ++d) {
    const int level = plan.Chain(d).front();
    if (!plan.workload().data_spaces[d].read_write || level == top) continue;
    for (const std::vector<int64_t>& list : consumers[d]) {
      if (list.size() <= 1) continue;
      const auto& storage = plan.architecture().storage;
      // The level that holds one instance per cluster, named by a real buffer rather than a fan-out's
      // dummy level where there is one.
      std::string cluster_level = "the outermost level";
      if (layout.cluster_level() >= 0) {
        int named = layout.cluster_level();
        for (int l = named; l < top; ++l)
          if (layout.InCluster(l) && !storage[l].is_dummy) {
            named = l;
            break;
          }
        cluster_level = "'" + storage[named].name + "'";
      }
      throw SpecError(plan.where(),
                      "the cycle-level simulator needs the MACs that update one '" + storage[level].name +
                          "' instance with '" + plan.workload().data_spaces[d].name +
                          "' in one PE cluster (this mapping spreads them over " +
                          std::to_string(list.size()) + " clusters)",
                      "keep " + plan.workload().data_spaces[d].name + " at or below " + cluster_level +
                          " (one PE cluster per instance), or at the outermost level");
    }
  }
}

// A listing a person can read (`cyclops run --dump-programs`).
std::string PeListing(const LayerPlan& plan, const PeProgram& program) {
  const analysis::LoopNest& nest = plan.nest();
  const spec::Workload& workload = plan.workload();
  const auto& storage = plan.architecture().storage;
  auto loop_text = [&](int p) {
    const analysis::Loop& loop = nest.loops()[p];
    return workload.dimensions[loop.dimension] + " " + std::to_string(loop.factor);
  };
  std::string out = "PE program: " + std::to_string(plan.Instances(-1)) + " PEs, " +
                    std::to_string(program.bursts) + " bursts of " + std::to_string(program.burst_macs) +
                    " MACs each\n";
  std::string indent = "  ";
  auto acquires = [&](int p) {
    std::string text;
    for (int d = 0; d < plan.num_data_spaces(); ++d)
      if (program.acquire_at[d] == p ||
          (p == -1 && program.acquire_at[d] >= static_cast<int>(nest.loops().size())))
        text += (text.empty() ? "" : ", ") + workload.data_spaces[d].name + " from " +
                storage[program.operand_level[d]].name;
    return text;
  };
  if (!acquires(-1).empty()) out += indent + "acquire once: " + acquires(-1) + "\n";
  for (auto it = program.outer.rbegin(); it != program.outer.rend(); ++it) {
    std::string line =
        indent + "loop " + loop_text(*it) + "   [" + storage[nest.loops()[*it].level].name + "]";
    // A tile whose first moving loop is this one gets a new version at every iteration of it.
    const std::string acquired = acquires(*it);
    if (!acquired.empty()) line += "   next tile: " + acquired;
    out += line + "\n";
    indent += "  ";
  }
  std::string burst_text;
  for (auto it = program.burst.rbegin(); it != program.burst.rend(); ++it)
    burst_text += (burst_text.empty() ? "" : " x ") + loop_text(*it);
  out += indent + "mac_burst " + std::to_string(program.burst_macs) +
         (burst_text.empty() ? "" : " = " + burst_text) + "   ";
  for (int d = 0; d < plan.num_data_spaces(); ++d)
    out += (d ? ", " : "") + workload.data_spaces[d].name + "@" + storage[program.operand_level[d]].name +
           (workload.data_spaces[d].read_write ? " (read-modify-write)" : "");
  out += "\n" + indent + "release tiles at their next version; write back departing psums\n";
  return out;
}

PeProgram CompilePe(const LayerPlan& plan) {
  PeProgram program;
  const analysis::LoopNest& nest = plan.nest();
  const int data_spaces = plan.num_data_spaces();
  int split = static_cast<int>(nest.loops().size());
  for (int d = 0; d < data_spaces; ++d) {
    program.operand_level.push_back(plan.Chain(d).front());
    program.acquire_at.push_back(plan.FirstMovingLoop(d, program.operand_level.back()));
    split = std::min(split, program.acquire_at.back());
  }
  // Loops inside the first tile move form the burst: no operand tile changes during it.
  for (int p = 0; p < static_cast<int>(nest.loops().size()); ++p) {
    if (nest.loops()[p].spatial) continue;
    if (p < split) {
      program.burst.push_back(p);
      program.burst_macs *= nest.loops()[p].factor;
    } else {
      program.outer.push_back(p);
      program.bursts *= nest.loops()[p].factor;
    }
  }
  // Address arithmetic per operand: every version of a level's tile has the same shape.
  const spec::Workload& workload = plan.workload();
  const std::vector<int64_t> origin(workload.dimensions.size(), 0);
  std::vector<std::vector<int64_t>> steps(data_spaces);
  program.weights.assign(data_spaces, std::vector<int64_t>(workload.dimensions.size(), 0));
  program.rank_stride.resize(data_spaces);
  for (int d = 0; d < data_spaces; ++d) {
    const analysis::DataBox box = nest.Project(d, origin, nest.TileExtent(program.operand_level[d]));
    std::vector<int64_t> rank_stride(box.ranks, 1);
    for (int r = box.ranks - 1; r > 0; --r)
      rank_stride[r - 1] = rank_stride[r] * (box.high[r] - box.low[r] + 1);
    const auto& projection = workload.data_spaces[d].projection;
    for (size_t r = 0; r < projection.size(); ++r)
      for (const spec::ProjectionTerm& term : projection[r])
        program.weights[d][term.dimension] += workload.Coefficient(term) * rank_stride[r];
    for (int p : program.burst) {
      const analysis::Loop& loop = nest.loops()[p];
      steps[d].push_back(program.weights[d][loop.dimension] * loop.stride);
    }
    program.rank_stride[d] = std::move(rank_stride);
  }
  // Integer psums sum exactly in any order, so the burst loops run in the order that suits the tight loop:
  // innermost the longest loop, preferring one that leaves the psum in place (it accumulates in a register).
  const int result = RolesOf(workload).result;
  std::vector<size_t> order(program.burst.size());
  for (size_t l = 0; l < order.size(); ++l) order[l] = l;
  auto score = [&](size_t l) {
    return nest.loops()[program.burst[l]].factor * (steps[result][l] == 0 ? 2 : 1);
  };
  if (!order.empty()) {
    const auto best =
        std::max_element(order.begin(), order.end(), [&](size_t x, size_t y) { return score(x) < score(y); });
    std::rotate(order.begin(), best, best + 1);
  }
  program.burst_steps.assign(data_spaces, {});
  for (size_t l : order) {
    program.burst_factors.push_back(nest.loops()[program.burst[l]].factor);
    program.burst_dimensions.push_back(nest.loops()[program.burst[l]].dimension);
    program.burst_strides.push_back(nest.loops()[program.burst[l]].stride);
    for (int d = 0; d < data_spaces; ++d) program.burst_steps[d].push_back(steps[d][l]);
  }
  return program;
}

TransferProgram CompileTransfer(const LayerPlan& plan, const HardwareLayout& layout, int d, int level,
                                const std::vector<int64_t>& region_offset) {
  const analysis::LoopNest& nest = plan.nest();
  const int top = nest.levels() - 1;
  TransferProgram program;
  program.data_space = d;
  program.level = level;
  program.parent = plan.Parent(d, level);
  program.read_write = plan.workload().data_spaces[d].read_write;
  program.parent_is_top = program.parent == top;
  program.innermost = plan.Chain(d).front() == level;
  program.first_moving = plan.FirstMovingLoop(d, level);
  program.parent_moving = plan.FirstMovingLoop(d, program.parent);
  // Loops inside the first moving one leave the tile in place: they only add a "stay" to the reuse
  // state after every step, which is what makes Timeloop refill a halo after such a loop.
  for (int p : plan.TemporalLoopsAbove(level)) {
    if (p >= program.first_moving)
      program.walk.push_back(p);
    else
      program.inner_stay *= nest.loops()[p].factor;
  }
  program.tile_extent = nest.TileExtent(level);
  const std::vector<ChildGroup> groups = plan.Groups(d, level);
  const std::vector<int64_t> unit(nest.workload().dimensions.size(), 1);
  std::vector<char> parent_seen(static_cast<size_t>(plan.Instances(program.parent)), 0);
  for (const ChildGroup& group : groups) {
    TransferGroup out;
    out.parent = PhysicalInstance(plan, layout, program.parent, group.parent);
    for (int64_t child : group.children) out.children.push_back(PhysicalInstance(plan, layout, level, child));
    const analysis::DataBox at = nest.Project(d, plan.SpatialOrigin(level, group.children.front()), unit);
    for (int r = 0; r < at.ranks; ++r) out.shift[r] = at.low[r];
    if (plan.imperfect())
      for (int64_t child : group.children) {
        const std::vector<int64_t> member = plan.SpatialOrigin(level, child);
        out.member_origins.insert(out.member_origins.end(), member.begin(), member.end());
      }
    if (!parent_seen[static_cast<size_t>(group.parent)]) {
      parent_seen[static_cast<size_t>(group.parent)] = 1;
      program.parents.push_back(out.parent);
    }
    program.groups.push_back(std::move(out));
  }
  program.consumers = program.innermost ? plan.Instances(-1) : 1;
  program.region_offset = region_offset[level];
  program.parent_region_offset = region_offset[program.parent];
  program.share_store = !program.read_write;
  return program;
}

}  // namespace

void CheckPeClusters(const LayerPlan& plan, const HardwareLayout& layout) {
  CheckPsumClusters(plan, layout, ConsumerClusters(plan, layout));
}

namespace {

// The program's nest, data spaces, address spaces and transfers, with CompileLayer's check that psums sit
// in one cluster; returns the consumer clusters the rest of CompileLayer needs.
std::vector<ClusterLists> CompileTransfersInto(const LayerPlan& plan, const HardwareLayout& layout,
                                               LayerProgram& program) {
  const spec::Workload& workload = plan.workload();
  const analysis::LoopNest& nest = plan.nest();
  const int levels = nest.levels();
  const int data_spaces = plan.num_data_spaces();
  program.nest = std::make_shared<const analysis::LoopNest>(nest);
  program.roles = RolesOf(workload);
  program.imperfect = plan.imperfect();
  for (const spec::DataSpaceSpec& space : workload.data_spaces) {
    program.data_spaces.push_back(space.name);
    program.read_write.push_back(space.read_write);
  }
  // Each level lays out the tiles it keeps one after another (where a value sits decides its bank).
  std::vector<std::vector<int64_t>> offset(data_spaces, std::vector<int64_t>(levels, 0));
  program.address_space.assign(levels, 0);
  const std::vector<int64_t> origin(workload.dimensions.size(), 0);
  for (int level = 0; level < levels; ++level)
    for (int d = 0; d < data_spaces; ++d) {
      const auto& chain = plan.Chain(d);
      if (std::find(chain.begin(), chain.end(), level) == chain.end()) continue;
      offset[d][level] = program.address_space[level];
      program.address_space[level] += nest.Project(d, origin, nest.TileExtent(level)).Size();
    }
  for (int d = 0; d < data_spaces; ++d) {
    program.chains.push_back(plan.Chain(d));
    for (int level : plan.Chain(d))
      if (level != levels - 1)
        program.transfers.push_back(CompileTransfer(plan, layout, d, level, offset[d]));
  }
  std::vector<ClusterLists> consumers = ConsumerClusters(plan, layout);
  CheckPsumClusters(plan, layout, consumers);
  return consumers;
}

}  // namespace

LayerProgram CompileTransfers(const LayerPlan& plan, const HardwareLayout& layout) {
  LayerProgram program;
  CompileTransfersInto(plan, layout, program);
  return program;
}

LayerProgram CompileLayer(const LayerPlan& plan, const HardwareLayout& layout, int psum_bits) {
  const int levels = plan.nest().levels();
  const int data_spaces = plan.num_data_spaces();
  LayerProgram program;
  program.psum_bits = psum_bits;
  const std::vector<ClusterLists> consumers = CompileTransfersInto(plan, layout, program);
  program.pe = CompilePe(plan);
  for (TransferProgram& transfer : program.transfers)
    if (transfer.innermost) transfer.consumer_clusters = consumers[transfer.data_space];
  const int64_t macs = plan.Instances(-1);
  for (int64_t i = 0; i < macs; ++i) {
    PeAssignment pe;
    pe.mac = PhysicalInstance(plan, layout, -1, i);
    pe.spatial_origin = plan.SpatialOrigin(-1, i);
    const int64_t cluster = layout.ClusterOf(pe.mac);
    for (int d = 0; d < data_spaces; ++d) {
      const int level = program.pe.operand_level[d];
      const int64_t instance = PhysicalInstance(plan, layout, level, plan.Ancestor(-1, i, level));
      pe.operand_instance.push_back(instance);
      const std::vector<int64_t>& list = consumers[d][static_cast<size_t>(instance)];
      pe.operand_copy.push_back(
          level == levels - 1 ? 0 : std::find(list.begin(), list.end(), cluster) - list.begin());
    }
    pe.counts_accesses.assign(static_cast<size_t>(data_spaces), 0);
    program.pes.push_back(std::move(pe));
  }
  program.mac_groups_at.resize(static_cast<size_t>(data_spaces));
  for (int d = 0; d < data_spaces; ++d) {
    program.mac_groups_at[d].assign(static_cast<size_t>(layout.Instances(program.pe.operand_level[d])), 0);
    for (const ChildGroup& group : plan.MacGroups(d)) {
      PeAssignment& leader = program.pes[static_cast<size_t>(group.children.front())];
      leader.counts_accesses[d] = 1;
      ++program.mac_groups_at[d][static_cast<size_t>(leader.operand_instance[d])];
    }
  }
  program.pe_listing = PeListing(plan, program.pe);
  program.transfer_listing = plan.TransferListing();
  return program;
}

}  // namespace cyclops::mapping
