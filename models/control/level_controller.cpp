#include "models/control/level_controller.h"

namespace cyclops::models {

LevelController::LevelController(sc_core::sc_module_name name, int level, const LayerClock& clock)
    : sc_core::sc_module(name), levels("levels"), network("network"), level_(level), clock_(clock) {}

void LevelController::Load(const mapping::LayerProgram& layer, int prefetch_depth,
                           const FillSparsity* sparsity) {
  engines_.clear();
  for (size_t t = 0; t < layer.transfers.size(); ++t) {
    const mapping::TransferProgram& transfer = layer.transfers[t];
    if (transfer.level != level_) continue;
    const std::string name = std::string(this->name()) + "." + layer.data_spaces[transfer.data_space];
    engines_.push_back(std::make_unique<FillEngine>(name, layer, transfer, *levels[transfer.level],
                                                    *levels[transfer.parent], *network.operator->(), clock_,
                                                    prefetch_depth));
    if (sparsity && sparsity->transfers[t].compressed)
      engines_.back()->SetCompression(sparsity->transfers[t]);
  }
}

void LevelController::Start(LayerProcesses& processes) {
  for (const auto& engine : engines_) {
    FillEngine* running = engine.get();
    processes.Spawn(std::string(basename()) + "_run", [running] { running->Run(); });
  }
}

}  // namespace cyclops::models
