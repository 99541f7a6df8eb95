// One instance of a storage level as the running layer sees it (plain C++): its calendar and counters
// (StorageCore) and, per data space it keeps in this layer, the TileStore holding its values — its own, or
// the one store a multicast group's members share (they always hold the same values; each member still
// books its own write port and counts its own fills).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "models/memory/storage_core.h"
#include "models/memory/tile_store.h"

namespace cyclops::models {

class StorageInstance {
 public:
  StorageInstance(std::string name, int level, StorageConfig config)
      : name_(std::move(name)), level_(level), core_(std::move(config)) {}

  const std::string& name() const { return name_; }  // the hierarchical instance name (stats key)
  int level() const { return level_; }
  StorageCore& core() { return core_; }
  const StorageCore& core() const { return core_; }

  // A new layer with `data_spaces` data spaces and `address_space` values of tiles: no stores yet.
  void ResetLayer(int data_spaces, int64_t address_space);
  // This instance's own store for d (new for the layer), or the store of the group it shares.
  TileStore& OwnStore(int d, bool read_write);
  void ShareStore(int d, TileStore& store) {
    tiles_[static_cast<size_t>(d)] = &store;
    used_ = true;
  }
  bool Keeps(int d) const { return tiles_[static_cast<size_t>(d)] != nullptr; }
  TileStore& Tile(int d) { return *tiles_[static_cast<size_t>(d)]; }
  const TileStore& Tile(int d) const { return *tiles_[static_cast<size_t>(d)]; }
  bool used() const { return used_; }  // kept something in this layer

 private:
  std::string name_;
  int level_;
  StorageCore core_;
  std::vector<TileStore*> tiles_;                // per data space; null = not kept here
  std::vector<std::unique_ptr<TileStore>> own_;  // per data space
  bool used_ = false;
};

}  // namespace cyclops::models
