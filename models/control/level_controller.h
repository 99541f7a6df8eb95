// The fill engine block of one storage level (its DMA): elaborated once, it runs a FillEngine per data
// space the level keeps in each layer, over its ports: every storage level (it reads from the level above
// in each data space's chain, which bypass makes layer-dependent) and the fan-out network into its level.
#pragma once

#include <memory>
#include <string>
#include <systemc>
#include <vector>

#include "models/common/fanout_if.h"
#include "models/common/layer_processes.h"
#include "models/control/fill_engine.h"
#include "models/control/transfer_compression.h"

namespace cyclops::models {

class LevelController : public sc_core::sc_module {
 public:
  LevelController(sc_core::sc_module_name name, int level, const LayerClock& clock);

  sc_core::sc_port<StorageLevelIf, 0, sc_core::SC_ZERO_OR_MORE_BOUND> levels;  // every level, in index order
  sc_core::sc_port<FanoutIf> network;                                          // into this level

  int level() const { return level_; }
  // The running layer's transfers into this level; the engines start in `processes`.
  // `sparsity`, when given, says which transfers move compressed data (transfer_compression.h).
  void Load(const mapping::LayerProgram& layer, int prefetch_depth, const FillSparsity* sparsity = nullptr);
  void Start(LayerProcesses& processes);
  void Unload() { engines_.clear(); }
  const std::vector<std::unique_ptr<FillEngine>>& engines() const { return engines_; }

 private:
  int level_;
  const LayerClock& clock_;
  std::vector<std::unique_ptr<FillEngine>> engines_;
};

}  // namespace cyclops::models
