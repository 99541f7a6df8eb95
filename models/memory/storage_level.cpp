#include "models/memory/storage_level.h"

#include <stdexcept>

#include "models/common/cycle_time.h"

namespace cyclops::models {

StorageLevel::StorageLevel(sc_core::sc_module_name name, MemoryBackend& backend, std::size_t max_outstanding)
    : sc_core::sc_module(name), backend_(backend), max_outstanding_(max_outstanding) {
  if (max_outstanding_ == 0) throw std::invalid_argument("StorageLevel: max_outstanding must be >= 1");
  SC_THREAD(AcceptLoop);
  SC_THREAD(RespondLoop);
}

void StorageLevel::RegisterStats(stats::StatsTree& tree) {
  tree.Register(name(), backend_.stats());
}

void StorageLevel::AcceptLoop() {
  for (;;) {
    while (pending_.size() >= max_outstanding_) sc_core::wait(pending_removed_);
    MemRequest request = requests->Pop();
    const bool write = request.access != Access::kRead;
    if (write && static_cast<int64_t>(request.values.size()) != request.count) {
      throw std::invalid_argument(std::string(name()) + ": write request carries " +
                                  std::to_string(request.values.size()) + " values, count is " +
                                  std::to_string(request.count));
    }
    Pending pending{{request.id, {}, 0}, 0};
    pending.done = backend_.Schedule(request.access, request.data_space, Now(), request.address,
                                     request.count, request.stride);
    for (int64_t i = 0; i < request.count; ++i) {
      const int64_t address = request.address + i * request.stride;
      if (write) {
        backend_.Write(address, request.values[static_cast<size_t>(i)]);
      } else {
        pending.response.values.push_back(backend_.Read(address));
      }
    }
    pending.response.completed = pending.done;
    pending_.push_back(std::move(pending));
    ++progress_;
    pending_added_.notify(sc_core::SC_ZERO_TIME);
  }
}

void StorageLevel::RespondLoop() {
  for (;;) {
    while (pending_.empty()) {
      waiting_for_.clear();  // idle: nothing owed to anyone
      sc_core::wait(pending_added_);
    }
    waiting_for_ = "calendar until cycle " + std::to_string(pending_.front().done);
    WaitUntil(pending_.front().done);
    waiting_for_ = "response link full (request " + std::to_string(pending_.front().response.id) + ")";
    responses->Push(pending_.front().response);
    pending_.pop_front();
    ++progress_;
    pending_removed_.notify(sc_core::SC_ZERO_TIME);
  }
}

}  // namespace cyclops::models
