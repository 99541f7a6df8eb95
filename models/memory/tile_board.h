// Hand-over of tile versions between the fill engine of a storage level (the producer) and the consumers of
// that level's tiles (the PE clusters for the innermost level, the next fill engine down otherwise), for
// one data space in the running layer. A version is published when its fill has been issued; consumers
// acquire it (make it current) and later release it. The producer waits until every consumer acquired
// version v − depth before filling v (depth versions staged ahead), and, for read-write data, until every
// consumer released a version before writing it back.
// Event-driven: a waiter is woken once per version, not per consumer. A PE cluster reports all of its PEs at
// once (`count`), at the time the last of them got there.
#pragma once

#include <cstdint>
#include <string>
#include <systemc>
#include <vector>

#include "models/common/cycle.h"

namespace cyclops::models {

class TileBoard {
 public:
  TileBoard(std::string name, int64_t consumers);

  const std::string& name() const { return name_; }
  int64_t published() const { return published_; }
  // `at`: the layer cycle of the publication, which consumers that arrive later still see.
  void Publish(int64_t version, Cycle at);
  void WaitPublished(int64_t version);
  Cycle published_at(int64_t version) const { return published_at_[static_cast<size_t>(version)]; }

  void Acquired(int64_t version, int64_t count = 1) { Count(acquired_, acquired_event_, version, count); }
  void Released(int64_t version, int64_t count = 1) { Count(released_, released_event_, version, count); }
  void WaitAllAcquired(int64_t version) { WaitAll(acquired_, acquired_event_, version); }
  void WaitAllReleased(int64_t version) { WaitAll(released_, released_event_, version); }
  bool AllReleased(int64_t version) const { return Done(released_, version); }

 private:
  void Count(std::vector<int64_t>& counts, sc_core::sc_event& event, int64_t version, int64_t count);
  bool Done(const std::vector<int64_t>& counts, int64_t version) const;
  void WaitAll(const std::vector<int64_t>& counts, sc_core::sc_event& event, int64_t version);

  std::string name_;
  int64_t consumers_;
  int64_t published_ = -1;
  std::vector<Cycle> published_at_;
  std::vector<int64_t> acquired_;  // per version: consumers that acquired it
  std::vector<int64_t> released_;
  sc_core::sc_event published_event_;
  sc_core::sc_event acquired_event_;
  sc_core::sc_event released_event_;
};

}  // namespace cyclops::models
