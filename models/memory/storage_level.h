// StorageLevel: the SystemC face of a MemoryBackend (a StorageCore or a DramModel). A transfer engine
// pushes MemRequests into `requests` and pops one MemResponse per request, in request order, from
// `responses`; both are bounded links, so a slow level back-pressures its clients.
//
// Timing: a request is accepted the cycle it arrives (if fewer than max_outstanding are pending), booked on
// the backend's calendar, and its response is pushed at the completion cycle the calendar returns.
// Functionally the values are read/written at acceptance, so a read after a write in request order sees
// the written values.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <systemc>
#include <vector>

#include "models/common/bounded_link.h"
#include "models/common/watched.h"
#include "models/memory/memory_backend.h"
#include "sim/stats/stats_tree.h"

namespace cyclops::models {

struct MemRequest {
  uint64_t id = 0;  // echoed in the response
  Access access = Access::kRead;
  int data_space = 0;
  int64_t address = 0;
  int64_t count = 0;
  int64_t stride = 1;
  std::vector<int64_t> values;  // writes (kFill, kUpdate): exactly `count` values
};

struct MemResponse {
  uint64_t id = 0;
  std::vector<int64_t> values;  // reads: `count` values; writes: empty
  Cycle completed = 0;
};

class StorageLevel : public sc_core::sc_module, public Watched {
 public:
  sc_core::sc_port<LinkReadIf<MemRequest>> requests;
  sc_core::sc_port<LinkWriteIf<MemResponse>> responses;

  SC_HAS_PROCESS(StorageLevel);
  // `backend` must outlive the module.
  StorageLevel(sc_core::sc_module_name name, MemoryBackend& backend, std::size_t max_outstanding = 4);

  // Files the backend's counters under this module's instance name.
  void RegisterStats(stats::StatsTree& tree);

  std::string WatchName() const override { return name(); }
  uint64_t Progress() const override { return progress_; }
  std::string WaitingFor() const override { return waiting_for_; }

 private:
  struct Pending {
    MemResponse response;
    Cycle done;
  };
  void AcceptLoop();
  void RespondLoop();

  MemoryBackend& backend_;
  std::size_t max_outstanding_;
  std::deque<Pending> pending_;
  sc_core::sc_event pending_added_;
  sc_core::sc_event pending_removed_;
  uint64_t progress_ = 0;
  std::string waiting_for_;
};

}  // namespace cyclops::models
