// What the mapping compiler emits for one layer and the elaborated accelerator runs (DESIGN.md decisions 3
// and 6): an immutable program in loop form, whose size grows with the loop nest and the multicast
// groups, never with the MAC count.
//   - One TransferProgram per (storage level, data space) below the top: the fill engine's microcode — the
//     loops it walks, its tile, the multicast groups it serves (physical instances), how psums go back up.
//   - One PeProgram run by every PE: the temporal loops that step from burst to burst, where each operand's
//     tile moves on (acquire its next version), and the MAC burst inside (loop order, address steps).
//   - Per PE, where it sits and which storage instances hold its operands.
// The blocks that run it never see the LayerPlan; they read only this.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sim/analysis/loop_nest.h"
#include "sim/mapping/hardware_layout.h"
#include "sim/mapping/layer_plan.h"
#include "sim/mapping/tensor_data.h"

namespace cyclops::mapping {

// One multicast group (fills) and spatial-reduction group (write-backs): children of one parent instance
// that hold the same tile.
struct TransferGroup {
  int64_t parent = 0;             // physical instance of the parent level
  std::vector<int64_t> children;  // physical instances of this level, the leader first
  // Where the group's tile sits relative to the tile at the walk's temporal origin alone: the projection
  // of its spatial origin (projection is linear, so every version moves all groups alike).
  std::array<int64_t, analysis::kMaxRanks> shift{};
  // Imperfect mappings only (LayerProgram::imperfect): per member (leader first) its spatial origin in the
  // problem space, one value per dimension, so the fill engine clips each member's tile at the bounds.
  std::vector<int64_t> member_origins;
};

struct TransferProgram {
  int data_space = 0;
  int level = 0;
  int parent = 0;  // the next level up keeping the data space
  bool read_write = false;
  bool parent_is_top = false;
  bool innermost = false;            // its consumers are the PEs
  std::vector<int> walk;             // temporal loop positions walked, innermost first
  int64_t inner_stay = 1;            // iterations of the loops inside the first moving one (the tile stays)
  int first_moving = 0;              // loop position of the first loop that moves the tile
  int parent_moving = 0;             // the same for the parent's tile
  std::vector<int64_t> tile_extent;  // per problem dimension
  std::vector<TransferGroup> groups;
  std::vector<int64_t> parents;      // physical parent instances in use (each commits its versions)
  int64_t consumers = 1;             // acquisitions per version: the MACs, or the fill engine below
  int64_t region_offset = 0;         // where the data space's values start in a child instance
  int64_t parent_region_offset = 0;  // ... and in a parent instance
  bool share_store = false;          // read-only: a group's members hold one store
  // Innermost levels: per physical instance of the level, the PE clusters whose MACs read its tile,
  // ascending (empty: none). A cluster steps through the versions on its own, so every one of them gets
  // its own copy of the tile to commit (read-only data; psums are read by one cluster, CheckPeClusters).
  std::vector<std::vector<int64_t>> consumer_clusters;
};

// The PE instruction stream, in loop form.
struct PeProgram {
  std::vector<int> outer;          // temporal loop positions stepping bursts, innermost first
  std::vector<int> burst;          // temporal loop positions inside one burst, innermost first
  std::vector<int> operand_level;  // per data space: the innermost level keeping it (where the MACs read it)
  std::vector<int> acquire_at;     // per data space: the first loop position that moves that tile
  int64_t burst_macs = 1;          // MACs per burst
  int64_t bursts = 1;              // bursts per PE
  // The burst's loops in the order the MAC kernel runs them (innermost first: the longest, preferring one
  // that leaves the psum in place), with each operand's address step per loop in its tile.
  std::vector<int64_t> burst_factors;
  std::vector<std::vector<int64_t>> burst_steps;  // [data space][burst loop]
  // The address of a burst's first MAC in an operand's tile is linear in the burst's origin:
  // origin · weights[d] − low(tile) · rank_stride[d].
  std::vector<std::vector<int64_t>> weights;      // [data space][problem dimension]
  std::vector<std::vector<int64_t>> rank_stride;  // [data space][rank]
  // Per burst loop, in burst_factors' order: its problem dimension and stride (imperfect mappings clip the
  // burst's MACs at the bounds with them).
  std::vector<int> burst_dimensions;
  std::vector<int64_t> burst_strides;
};

struct PeAssignment {
  int64_t mac = 0;                        // physical MAC index
  std::vector<int64_t> spatial_origin;    // per problem dimension
  std::vector<int64_t> operand_instance;  // per data space: physical instance of its operand level
  // Per data space: which copy of that instance's tile the PE reads (its cluster's place in the
  // instance's consumer_clusters; 0 at the outermost level, which is never copied).
  std::vector<int64_t> operand_copy;
  // Per data space: 1 when the PE leads its MAC group (LayerPlan::MacGroups) and so counts the group's
  // accesses — one read of a shared operand, one reduced psum update — and 0 for the group's other MACs.
  std::vector<uint8_t> counts_accesses;
};

struct LayerProgram {
  // The tiles' geometry (problem dimensions, projections): the compiled nest the programs index.
  std::shared_ptr<const analysis::LoopNest> nest;
  std::vector<std::string> data_spaces;
  std::vector<bool> read_write;  // per data space
  OperandRoles roles;
  std::vector<std::vector<int>> chains;  // per data space: keeping levels, innermost first
  std::vector<int64_t> address_space;    // per storage level: values one instance holds for the layer
  std::vector<TransferProgram> transfers;
  PeProgram pe;
  std::vector<PeAssignment> pes;  // per PE in use, by logical MAC index
  // Per data space and physical instance of its operand level: the MAC groups reading it, i.e. its reads
  // per MAC step (what its read bandwidth paces; psum reads are fewer where a psum starts from zero).
  std::vector<std::vector<int64_t>> mac_groups_at;
  int psum_bits = spec::CyclopsSettings::kDefaultPsumBits;
  // Imperfect factors (spec/specs.h): the programs walk the perfect super-nest of the factors, and every
  // tile, fill and MAC burst is clipped at the workload's bounds (a tile clipped to nothing does nothing).
  bool imperfect = false;
  std::string pe_listing;  // what `cyclops run --dump-programs` prints
  std::string transfer_listing;

  int levels() const { return static_cast<int>(address_space.size()); }
};

// The program for `plan` on hardware laid out as `layout`. The program's nest refers to the plan's
// workload, which must outlive it.
LayerProgram CompileLayer(const LayerPlan& plan, const HardwareLayout& layout, int psum_bits);
// Only the program's transfers (with its nest, chains and address spaces; no PEs, no listings), and the
// same SpecErrors: what the mapper's NoC bound needs of each candidate, at a fraction of the cost.
LayerProgram CompileTransfers(const LayerPlan& plan, const HardwareLayout& layout);
// Throws SpecError when the MACs updating one instance of a psum level (below the outermost) sit in
// several PE clusters: the clusters step independently and each would need its own copy of psums that
// are one value. CompileLayer checks it too; cheap enough for the simulatability check (MACs × data spaces).
void CheckPeClusters(const LayerPlan& plan, const HardwareLayout& layout);

}  // namespace cyclops::mapping
