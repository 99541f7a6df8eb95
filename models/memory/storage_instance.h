// One instance of a storage level as the running layer sees it (plain C++): its calendar and counters
// (StorageCore) and, per data space it keeps in this layer, the TileStore holding its values — its own, or
// the one store a multicast group's members share (they always hold the same values; each member still
// books its own write port and counts its own fills). An instance whose tile several PE clusters read holds
// one copy of it per cluster beyond the first (same values, staged alike): each cluster commits its own
// copy when it moves on, so one cluster ahead never changes the tile under another.
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
  // Copy k of d's tile (0 = Tile(d)); copies beyond the first are the instance's own or a group's.
  TileStore& OwnCopy(int d, bool read_write);
  void ShareCopy(int d, TileStore& store) { copies_[static_cast<size_t>(d)].push_back(&store); }
  int64_t copies(int d) const { return 1 + static_cast<int64_t>(copies_[static_cast<size_t>(d)].size()); }
  TileStore& Copy(int d, int64_t k) { return k == 0 ? Tile(d) : *copies_[static_cast<size_t>(d)][k - 1]; }
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
  std::vector<std::vector<TileStore*>> copies_;  // per data space: copies 1, 2, ...
  std::vector<std::unique_ptr<TileStore>> own_copies_;
  bool used_ = false;
};

}  // namespace cyclops::models
