// The off-chip memory interface. Implementations register by name (DESIGN.md decision 11):
//
//   CYCLOPS_REGISTER_DRAM("simple", SimpleDram);
//
// and the top level picks one with DramRegistry::Make(name, config). A detailed model (e.g. a Ramulator
// bridge) replaces "simple" without touching any caller. Plain C++: the StorageLevel module adds SystemC.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/memory/memory_backend.h"
#include "sim/core/registry.h"

namespace cyclops::models {

struct DramConfig {
  int64_t capacity = 0;          // values
  int word_bits = 16;            // bits per value; a transfer moves ceil(count * word_bits / 8) bytes
  double bytes_per_cycle = 16;   // sustained bandwidth at the accelerator clock
  Cycle first_word_latency = 0;  // cycles from a request's start to its first word
  std::vector<std::string> data_spaces;
};

class DramModel : public MemoryBackend {
 public:
  const DramConfig& config() const { return config_; }

 protected:
  explicit DramModel(DramConfig config) : config_(std::move(config)) {}
  DramConfig config_;
};

using DramRegistry = Registry<DramModel, const DramConfig&>;

}  // namespace cyclops::models

#define CYCLOPS_REGISTER_DRAM(name, Type)                                                           \
  [[maybe_unused]] static const bool kRegisteredDram_##Type = ::cyclops::models::DramRegistry::Add( \
      name, [](const ::cyclops::models::DramConfig& config) { return std::make_unique<Type>(config); })
