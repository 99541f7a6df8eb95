#include "models/memory/storage_instance.h"

namespace cyclops::models {

void StorageInstance::ResetLayer(int data_spaces, int64_t address_space) {
  core_.Reset(data_spaces, address_space);
  tiles_.assign(static_cast<size_t>(data_spaces), nullptr);
  own_.clear();
  own_.resize(static_cast<size_t>(data_spaces));
  copies_.assign(static_cast<size_t>(data_spaces), {});
  own_copies_.clear();
  used_ = false;
}

TileStore& StorageInstance::OwnStore(int d, bool read_write) {
  auto& own = own_[static_cast<size_t>(d)];
  own = std::make_unique<TileStore>(read_write);
  tiles_[static_cast<size_t>(d)] = own.get();
  used_ = true;
  return *own;
}

TileStore& StorageInstance::OwnCopy(int d, bool read_write) {
  own_copies_.push_back(std::make_unique<TileStore>(read_write));
  copies_[static_cast<size_t>(d)].push_back(own_copies_.back().get());
  return *own_copies_.back();
}

}  // namespace cyclops::models
