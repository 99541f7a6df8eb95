// Everything the simulator's processes share for one layer: the plan, and per storage level the storage
// cores (timing + counters), the tile buffers (values), the version boards and the fan-out networks. Built by
// LayerSimulation (the one place that instantiates and wires); the controllers and PEs only use it.
#pragma once

#include <exception>
#include <memory>
#include <string>
#include <vector>

#include "models/memory/storage_core.h"
#include "sim/mapping/layer_plan.h"
#include "sim/mapping/tensor_data.h"
#include "sim/top/fanout_network.h"
#include "sim/top/tile_buffer.h"
#include "sim/top/version_board.h"

namespace cyclops::top {

// Why a PE waited for an operand: the stage that delivered it last (kNetwork: the bus or NoC links).
enum class StallKind { kParentTile, kParentRead, kNetwork, kChildWrite, kCount };

struct LevelState {
  bool in_use = false;                                      // keeps at least one data space
  std::vector<std::unique_ptr<models::StorageCore>> cores;  // per instance
  std::vector<std::vector<TileBuffer>> buffers;             // [data space][instance]
  std::vector<std::unique_ptr<VersionBoard>> boards;        // per data space (kept ones)
  std::vector<std::unique_ptr<FanoutNetwork>> networks;    // per data space: parent → this level
  std::vector<int64_t> offset;                              // per data space: address region in a core
};

struct LayerContext {
  const mapping::LayerPlan* plan = nullptr;
  mapping::OperandRoles roles;
  std::vector<LevelState> levels;  // indexed like Architecture::storage
  int psum_bits = 32;
  int prefetch_depth = 1;
  std::vector<std::string> stall_causes;  // index = Cause(level, d, kind)
  // The first error a process hit: SystemC would turn it into an opaque report, so the process stores it,
  // stops the simulation, and LayerSimulation::Run rethrows it.
  std::exception_ptr failure;

  bool ReadWrite(int d) const { return plan->workload().data_spaces[d].read_write; }
  int Cause(int level, int d, StallKind kind) const {
    return (level * plan->num_data_spaces() + d) * static_cast<int>(StallKind::kCount) +
           static_cast<int>(kind);
  }
};

}  // namespace cyclops::top
