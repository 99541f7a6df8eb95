#include "models/pe/processing_element.h"

#include <algorithm>
#include <stdexcept>

#include "models/common/cycle_time.h"

namespace cyclops::models {

ProcessingElement::ProcessingElement(sc_core::sc_module_name name, PeConfig config)
    : sc_core::sc_module(name),
      in("in", config.data_spaces.size()),
      out("out", config.data_spaces.size()),
      config_(std::move(config)),
      mac_(config_.mac),
      carry_(config_.data_spaces.size()) {
  for (const SpadConfig& spad : config_.spads) {
    spads_.push_back(std::make_unique<StorageCore>(spad.storage));
    std::vector<int> map(config_.data_spaces.size(), -1);
    const auto& held = spads_.back()->config().data_spaces;
    for (size_t g = 0; g < config_.data_spaces.size(); ++g) {
      auto it = std::find(held.begin(), held.end(), config_.data_spaces[g]);
      if (it != held.end()) map[g] = static_cast<int>(it - held.begin());
    }
    local_space_.push_back(std::move(map));
  }
  SC_THREAD(Run);
}

void ProcessingElement::RegisterStats(stats::StatsTree& tree) {
  for (size_t i = 0; i < spads_.size(); ++i) {
    tree.Register(std::string(name()) + "." + config_.spads[i].name, spads_[i]->stats());
  }
  tree.Register(std::string(name()) + ".mac", mac_.stats());
}

void ProcessingElement::Load(std::shared_ptr<const pe::Program> program) {
  if (!done_) throw std::logic_error(std::string(name()) + ": Load while a program is running");
  program->Validate(static_cast<int>(spads_.size()));
  program_ = std::move(program);
  pc_ = 0;
  loops_.clear();
  done_ = false;
  start_event_.notify(sc_core::SC_ZERO_TIME);
}

int ProcessingElement::LocalSpace(int spad, int data_space) const {
  const int local = data_space >= 0 && data_space < static_cast<int>(config_.data_spaces.size())
                        ? local_space_[static_cast<size_t>(spad)][static_cast<size_t>(data_space)]
                        : -1;
  if (local < 0) {
    throw std::invalid_argument(std::string(name()) + ": spad '" + config_.spads[spad].name +
                                "' does not hold data space " + std::to_string(data_space));
  }
  return local;
}

void ProcessingElement::Run() {
  for (;;) {
    while (done_) {
      waiting_for_.clear();
      sc_core::wait(start_event_);
    }
    ready_ = psum_ready_ = std::max(ready_, Now());
    const std::vector<pe::Instruction>& code = program_->code;
    while (pc_ < code.size()) {
      const pe::Instruction& instruction = code[pc_];
      if (const auto* loop = std::get_if<pe::Loop>(&instruction)) {
        loops_.push_back({pc_ + 1, loop->count, 0});
      } else if (std::holds_alternative<pe::End>(instruction)) {
        LoopFrame& frame = loops_.back();
        if (++frame.iteration < frame.count) {
          pc_ = frame.body_pc;
          continue;
        }
        loops_.pop_back();
      } else {
        std::visit(
            [this](const auto& op) {
              if constexpr (!std::is_same_v<std::decay_t<decltype(op)>, pe::Loop> &&
                            !std::is_same_v<std::decay_t<decltype(op)>, pe::End>) {
                Execute(op);
              }
            },
            instruction);
        ++progress_;
      }
      ++pc_;
    }
    waiting_for_ = "last MACs to drain";
    WaitUntil(std::max(ready_, psum_ready_));
    finished_at_ = Now();
    done_ = true;
    ++progress_;
    done_event_.notify(sc_core::SC_ZERO_TIME);
  }
}

void ProcessingElement::Execute(const pe::Recv& recv) {
  WaitUntil(ready_);
  StorageCore& spad = *spads_[static_cast<size_t>(recv.to.spad)];
  const int local = LocalSpace(recv.to.spad, recv.data_space);
  std::vector<int64_t>& carry = carry_[static_cast<size_t>(recv.data_space)];
  Cycle filled = Now();
  uint32_t received = 0;
  while (received < recv.count) {
    if (carry.empty()) {
      waiting_for_ = "RECV " + config_.data_spaces[recv.data_space] + " at pc " + std::to_string(pc_) + " (" +
                     std::to_string(received) + " of " + std::to_string(recv.count) + " values)";
      if (in[recv.data_space].size() == 0) {
        // Unbound input: this PE can never receive; stay stuck so the watchdog names it.
        sc_core::wait(start_event_);
        continue;
      }
      carry = in[recv.data_space]->Pop().values;
      continue;
    }
    const uint32_t take = std::min<uint32_t>(recv.count - received, static_cast<uint32_t>(carry.size()));
    std::vector<int64_t> addresses;
    for (uint32_t i = 0; i < take; ++i) {
      std::array<int64_t, pe::kBurstLevels> index{received + i, 0, 0, 0};
      addresses.push_back(recv.to.Address(index, LoopIteration()));
      spad.Write(addresses.back(), carry[i]);
    }
    filled = std::max(filled, spad.ScheduleAddresses(Access::kFill, local, Now(), addresses));
    carry.erase(carry.begin(), carry.begin() + take);
    received += take;
    ++progress_;
  }
  waiting_for_.clear();
  ready_ = filled;
}

void ProcessingElement::Execute(const pe::MacBurst& burst) {
  const int64_t outer = LoopIteration();
  StorageCore& in_spad = *spads_[static_cast<size_t>(burst.input.spad)];
  StorageCore& w_spad = *spads_[static_cast<size_t>(burst.weight.spad)];
  StorageCore& p_spad = *spads_[static_cast<size_t>(burst.psum.spad)];
  std::vector<int64_t> in_reads, w_reads, p_reads, p_writes;
  int64_t in_reg = 0, w_reg = 0, acc = 0;
  int64_t in_at = -1, w_at = -1, p_at = -1;  // addresses currently held in the operand registers
  std::array<int64_t, pe::kBurstLevels> index{};
  const uint64_t macs = burst.Macs();
  for (uint64_t n = 0; n < macs; ++n) {
    const int64_t ia = burst.input.Address(index, outer);
    const int64_t wa = burst.weight.Address(index, outer);
    const int64_t pa = burst.psum.Address(index, outer);
    if (ia != in_at) in_reg = in_spad.Read(in_at = ia), in_reads.push_back(ia);
    if (wa != w_at) w_reg = w_spad.Read(w_at = wa), w_reads.push_back(wa);
    if (pa != p_at) {
      if (p_at >= 0) p_spad.Write(p_at, acc), p_writes.push_back(p_at);
      acc = p_spad.Read(p_at = pa);
      p_reads.push_back(pa);
    }
    acc = mac_.Mac(acc, in_reg, w_reg);
    for (int l = 0; l < pe::kBurstLevels && ++index[l] == burst.counts[l]; ++l) index[l] = 0;
  }
  p_spad.Write(p_at, acc);
  p_writes.push_back(p_at);

  const Cycle start = ready_;
  const Cycle latency = config_.mac.pipeline_latency;
  Cycle done = mac_.ScheduleBurst(start, macs);
  const Cycle reads_done =
      std::max({in_spad.ScheduleAddresses(Access::kRead, LocalSpace(burst.input.spad, config_.input_space),
                                          start, in_reads),
                w_spad.ScheduleAddresses(Access::kRead, LocalSpace(burst.weight.spad, config_.weight_space),
                                         start, w_reads),
                p_spad.ScheduleAddresses(Access::kRead, LocalSpace(burst.psum.spad, config_.output_space),
                                         start, p_reads)});
  done = std::max(done, reads_done + latency - 1);
  done = std::max(done,
                  p_spad.ScheduleAddresses(Access::kUpdate, LocalSpace(burst.psum.spad, config_.output_space),
                                           start, p_writes));
  ready_ = std::max(ready_, mac_.next_issue());
  psum_ready_ = std::max(psum_ready_, done);
}

void ProcessingElement::Execute(const pe::Send& send) {
  WaitUntil(std::max(ready_, psum_ready_));
  StorageCore& spad = *spads_[static_cast<size_t>(send.from.spad)];
  Packet packet;
  packet.source = config_.endpoint;
  packet.destinations = program_->routes[static_cast<size_t>(send.route)];
  packet.data_space = send.data_space;
  std::vector<int64_t> addresses;
  for (uint32_t i = 0; i < send.count; ++i) {
    addresses.push_back(send.from.Address({i, 0, 0, 0}, LoopIteration()));
    packet.values.push_back(spad.Read(addresses.back()));
    if (send.clear) spad.Write(addresses.back(), 0);
  }
  WaitUntil(
      spad.ScheduleAddresses(Access::kRead, LocalSpace(send.from.spad, send.data_space), Now(), addresses));
  waiting_for_ = "SEND " + config_.data_spaces[send.data_space] + " at pc " + std::to_string(pc_) +
                 " (output link full)";
  if (out[send.data_space].size() == 0) {
    throw std::logic_error(std::string(name()) + ": SEND on unbound output " +
                           std::to_string(send.data_space));
  }
  out[send.data_space]->Push(packet);
  waiting_for_.clear();
  ready_ = psum_ready_ = Now();
}

}  // namespace cyclops::models
