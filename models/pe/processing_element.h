// ProcessingElement: a set of spads (StorageCores), a MacUnit, and one input and one output link port per
// data space. It runs a loaded pe::Program in order; the program is immutable, the pc, loop counters, the
// carry-over of partly consumed packets and the spad contents are the PE's state.
//
// Timing (in-order, one instruction at a time):
//   - RECV waits for packets (one SystemC event per packet) and fills the spad on its calendar; the next
//     instruction starts when the fill is done.
//   - MAC_BURST is one calendar computation, no SystemC event: operand reads on the spad calendars, the
//     MAC pipeline (MacUnit). The next instruction may issue when the MAC unit can issue again, so
//     back-to-back bursts overlap their pipeline drain. Operands are held in a register while their address
//     does not change (weight/input reuse), so a spad is read only when the address changes; a psum is read
//     when the burst moves to a new psum address and written back (an update) when it leaves it.
//   - SEND waits for all MACs to drain, reads the spad, and pushes one packet (blocks on back-pressure).
// The PE is done when the last instruction has completed; DoneEvent() fires then.
#pragma once

#include <array>
#include <memory>
#include <string>
#include <systemc>
#include <vector>

#include "models/common/bounded_link.h"
#include "models/common/packet.h"
#include "models/common/watched.h"
#include "models/memory/storage_core.h"
#include "models/pe/mac_unit.h"
#include "models/pe/pe_isa.h"
#include "sim/stats/stats_tree.h"

namespace cyclops::models {

struct SpadConfig {
  std::string name;       // instance name under the PE, e.g. "ifmap_spad"
  StorageConfig storage;  // its data_spaces name the data spaces it may hold
};

struct PeConfig {
  int endpoint = 0;                      // this PE's network endpoint (Packet::source)
  std::vector<std::string> data_spaces;  // global data-space names, index = data-space id
  int input_space = 1;                   // MAC operand roles (Timeloop order: Weights, Inputs, Outputs)
  int weight_space = 0;
  int output_space = 2;
  std::vector<SpadConfig> spads;
  MacConfig mac;
};

class ProcessingElement : public sc_core::sc_module, public Watched {
 public:
  using InPort = sc_core::sc_port<LinkReadIf<Packet>, 1, sc_core::SC_ZERO_OR_MORE_BOUND>;
  using OutPort = sc_core::sc_port<LinkWriteIf<Packet>, 1, sc_core::SC_ZERO_OR_MORE_BOUND>;
  sc_core::sc_vector<InPort> in;    // [data space]; bind the ones the programs use
  sc_core::sc_vector<OutPort> out;  // [data space]

  SC_HAS_PROCESS(ProcessingElement);
  ProcessingElement(sc_core::sc_module_name name, PeConfig config);

  // Validates and loads a program (throws std::invalid_argument); it starts at the current time. Loading
  // while a program runs is a std::logic_error.
  void Load(std::shared_ptr<const pe::Program> program);
  bool done() const { return done_; }
  const sc_core::sc_event& DoneEvent() const { return done_event_; }
  Cycle finished_at() const { return finished_at_; }

  StorageCore& spad(int index) { return *spads_.at(static_cast<size_t>(index)); }
  MacUnit& mac() { return mac_; }
  const PeConfig& config() const { return config_; }
  void RegisterStats(stats::StatsTree& tree);

  std::string WatchName() const override { return name(); }
  uint64_t Progress() const override { return progress_; }
  std::string WaitingFor() const override { return waiting_for_; }

 private:
  struct LoopFrame {
    size_t body_pc;
    uint32_t count;
    uint32_t iteration;
  };

  void Run();
  void Execute(const pe::Recv& recv);
  void Execute(const pe::MacBurst& burst);
  void Execute(const pe::Send& send);
  int LocalSpace(int spad, int data_space) const;  // data-space index inside that spad's counters
  int64_t LoopIteration() const { return loops_.empty() ? 0 : loops_.back().iteration; }

  PeConfig config_;
  std::vector<std::unique_ptr<StorageCore>> spads_;
  std::vector<std::vector<int>> local_space_;  // [spad][global data space] → local index or -1
  MacUnit mac_;

  std::shared_ptr<const pe::Program> program_;
  size_t pc_ = 0;
  std::vector<LoopFrame> loops_;
  std::vector<std::vector<int64_t>> carry_;  // [data space] values received but not yet consumed
  Cycle ready_ = 0;                          // earliest start of the next instruction
  Cycle psum_ready_ = 0;                     // all issued MACs drained
  bool done_ = true;
  Cycle finished_at_ = 0;

  sc_core::sc_event start_event_;
  sc_core::sc_event done_event_;
  uint64_t progress_ = 0;
  std::string waiting_for_;
};

}  // namespace cyclops::models
