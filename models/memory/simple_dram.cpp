#include "models/memory/simple_dram.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace cyclops::models {

SimpleDram::SimpleDram(DramConfig config)
    : DramModel(std::move(config)), store_(std::max<int64_t>(config_.capacity, 0), "dram") {
  if (config_.capacity <= 0) throw std::invalid_argument("dram capacity must be > 0 values");
  if (!(config_.bytes_per_cycle > 0)) throw std::invalid_argument("dram bytes_per_cycle must be > 0");
  if (config_.word_bits <= 0) throw std::invalid_argument("dram word_bits must be > 0");
  if (config_.data_spaces.empty()) config_.data_spaces = {"data"};
  for (int a = 0; a < 3; ++a) {
    for (const std::string& ds : config_.data_spaces) {
      counters_.push_back(&stats_.AddCounter(std::string(AccessName(static_cast<Access>(a))) + "_" + ds,
                                             "values", ds + " values " + AccessName(static_cast<Access>(a))));
    }
  }
  bytes_read_ = &stats_.AddCounter("bytes_read", "bytes", "bytes moved out of DRAM");
  bytes_written_ = &stats_.AddCounter("bytes_written", "bytes", "bytes moved into DRAM");
  busy_cycles_ = &stats_.AddCounter("busy_cycles", "cycles", "cycles the channel spent transferring");
}

Cycle SimpleDram::Schedule(Access access, int data_space, Cycle at, int64_t start, int64_t count,
                           int64_t stride) {
  if (data_space < 0 || data_space >= static_cast<int>(config_.data_spaces.size())) {
    throw std::out_of_range("dram: data space " + std::to_string(data_space) + " not declared");
  }
  if (count <= 0) return at;
  store_.Check(start);
  store_.Check(start + (count - 1) * stride);
  counters_[static_cast<size_t>(static_cast<int>(access)) * config_.data_spaces.size() + data_space]->Add(
      count);
  const uint64_t bytes = static_cast<uint64_t>((count * config_.word_bits + 7) / 8);
  (access == Access::kRead ? bytes_read_ : bytes_written_)->Add(bytes);

  const double begin = std::max(static_cast<double>(at), channel_free_at_);
  const double transfer = static_cast<double>(bytes) / config_.bytes_per_cycle;
  channel_free_at_ = begin + transfer;
  busy_cycles_->Add(static_cast<uint64_t>(std::ceil(transfer)));
  return static_cast<Cycle>(std::ceil(begin)) + config_.first_word_latency +
         std::max<Cycle>(1, static_cast<Cycle>(std::ceil(transfer)));
}


int64_t SimpleDram::Read(int64_t address) const { return store_.Read(address); }

void SimpleDram::Write(int64_t address, int64_t value) { store_.Write(address, value); }

CYCLOPS_REGISTER_DRAM("simple", SimpleDram);

}  // namespace cyclops::models
