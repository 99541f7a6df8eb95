// A bounded, latency >= 1 channel (BookSim2 style: a zero-delay channel is refused, so evaluation order
// cannot change results). Capacity counts every entry pushed and not yet popped, in flight or waiting, so a
// full link back-pressures the writer. Event-driven: one timed notify per entry, nothing polls.
//
// Contract: one writer process and one reader process per link. Push/Pop block (SC_THREAD only);
// TryPush/TryPop never block and pair with SpaceEvent()/DataEvent() for SC_METHODs.
#pragma once

#include <cstddef>
#include <deque>
#include <stdexcept>
#include <string>
#include <systemc>
#include <utility>

#include "models/common/cycle_time.h"

namespace cyclops::models {

template <typename T>
class LinkWriteIf : public virtual sc_core::sc_interface {
 public:
  virtual bool CanPush() const = 0;
  virtual bool TryPush(const T& value) = 0;
  virtual void Push(const T& value) = 0;
  virtual const sc_core::sc_event& SpaceEvent() const = 0;  // notified when an entry is popped
};

template <typename T>
class LinkReadIf : public virtual sc_core::sc_interface {
 public:
  virtual bool CanPop() const = 0;  // an entry has arrived
  virtual bool TryPop(T& value) = 0;
  virtual T Pop() = 0;
  virtual const sc_core::sc_event& DataEvent() const = 0;  // notified when an entry arrives
};

template <typename T>
class BoundedLink : public sc_core::sc_prim_channel, public LinkWriteIf<T>, public LinkReadIf<T> {
 public:
  BoundedLink(const char* name, std::size_t capacity, Cycle latency)
      : sc_core::sc_prim_channel(name), capacity_(capacity), latency_(latency) {
    if (capacity == 0) throw std::invalid_argument(std::string("link '") + name + "': capacity must be >= 1");
    if (latency == 0)
      throw std::invalid_argument(std::string("link '") + name + "': latency must be >= 1 cycle");
  }

  bool CanPush() const override { return entries_.size() < capacity_; }
  bool TryPush(const T& value) override {
    if (!CanPush()) return false;
    entries_.emplace_back(Now() + latency_, value);
    if (entries_.size() > max_occupancy_) max_occupancy_ = entries_.size();
    ++pushed_;
    data_event_.notify(Cycles(latency_));  // keeps the earliest pending notification
    return true;
  }
  void Push(const T& value) override {
    while (!TryPush(value)) sc_core::wait(space_event_);
  }
  const sc_core::sc_event& SpaceEvent() const override { return space_event_; }

  bool CanPop() const override { return !entries_.empty() && entries_.front().first <= Now(); }
  bool TryPop(T& value) override {
    if (!CanPop()) return false;
    value = std::move(entries_.front().second);
    entries_.pop_front();
    space_event_.notify(sc_core::SC_ZERO_TIME);
    // The head's own arrival notification may have been merged into an earlier one: re-arm for it.
    if (!entries_.empty()) {
      const Cycle now = Now();
      const Cycle head = entries_.front().first;
      data_event_.notify(head > now ? Cycles(head - now) : sc_core::SC_ZERO_TIME);
    }
    return true;
  }
  T Pop() override {
    T value;
    while (!TryPop(value)) sc_core::wait(data_event_);
    return value;
  }
  const sc_core::sc_event& DataEvent() const override { return data_event_; }

  std::size_t capacity() const { return capacity_; }
  Cycle latency() const { return latency_; }
  std::size_t occupancy() const { return entries_.size(); }
  std::size_t max_occupancy() const { return max_occupancy_; }
  uint64_t pushed() const { return pushed_; }
  const char* kind() const override { return "cyclops_bounded_link"; }

 private:
  std::size_t capacity_;
  Cycle latency_;
  std::deque<std::pair<Cycle, T>> entries_;  // (arrival cycle, value); arrivals are non-decreasing
  std::size_t max_occupancy_ = 0;
  uint64_t pushed_ = 0;
  sc_core::sc_event data_event_;
  sc_core::sc_event space_event_;
};

}  // namespace cyclops::models
