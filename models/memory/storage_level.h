// The channel through which the accelerator's blocks reach one storage level: every physical instance of
// the level (owned by their StorageBlocks, or by the PEs for a level private to each PE) and, in the
// running layer, the TileBoard of each data space the level keeps. Fill engines and PE clusters bind one
// port per level to it (the accelerator does the binding, in one place).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <systemc>
#include <vector>

#include "models/memory/storage_instance.h"
#include "models/memory/tile_board.h"

namespace cyclops::models {

class StorageLevelIf : public virtual sc_core::sc_interface {
 public:
  virtual const std::string& level_name() const = 0;
  virtual int index() const = 0;  // the level's index in the architecture (innermost 0)
  virtual int64_t instances() const = 0;
  virtual StorageInstance& Instance(int64_t physical) = 0;
  // The running layer's hand-over of data space d's tiles; null when the level does not keep d.
  virtual TileBoard* Board(int d) = 0;
};

class StorageLevel : public StorageLevelIf {
 public:
  StorageLevel(std::string name, int index) : name_(std::move(name)), index_(index) {}

  // Elaboration: the instances, in physical order.
  void Attach(StorageInstance& instance) { instances_.push_back(&instance); }
  // Layer load: boards for the data spaces the level keeps (empty entries for the others).
  void LoadBoards(std::vector<std::unique_ptr<TileBoard>> boards) { boards_ = std::move(boards); }

  const std::string& level_name() const override { return name_; }
  int index() const override { return index_; }
  int64_t instances() const override { return static_cast<int64_t>(instances_.size()); }
  StorageInstance& Instance(int64_t physical) override {
    return *instances_.at(static_cast<size_t>(physical));
  }
  TileBoard* Board(int d) override {
    return static_cast<size_t>(d) < boards_.size() ? boards_[static_cast<size_t>(d)].get() : nullptr;
  }

 private:
  std::string name_;
  int index_;
  std::vector<StorageInstance*> instances_;
  std::vector<std::unique_ptr<TileBoard>> boards_;
};

// A shared storage instance (a global-buffer bank, DRAM) as a block of the accelerator: the module gives it
// its place in the hierarchy and its instance name; its behaviour is the StorageInstance's.
class StorageBlock : public sc_core::sc_module {
 public:
  StorageBlock(sc_core::sc_module_name name, int level, StorageConfig config)
      : sc_core::sc_module(name), instance_(this->name(), level, std::move(config)) {}
  StorageInstance& instance() { return instance_; }

 private:
  StorageInstance instance_;
};

}  // namespace cyclops::models
