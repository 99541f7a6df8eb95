// Hand-over of tile versions between the controller that fills a level and the consumers of that level
// (the PEs for the innermost level, the next controller down otherwise). A version is published when its
// fill has been issued; each consumer acquires it (makes it current) and later releases it. The controller
// waits until every consumer acquired version v − 1 before filling v (one version staged ahead), and, for
// read-write data, until every consumer released a version before writing it back.
// Event-driven: a waiter is woken once per version, not per consumer.
#pragma once

#include <cstdint>
#include <string>
#include <systemc>
#include <vector>

namespace cyclops::top {

class VersionBoard {
 public:
  VersionBoard(std::string name, int64_t consumers);

  const std::string& name() const { return name_; }
  int64_t published() const { return published_; }
  void Publish(int64_t version);
  void WaitPublished(int64_t version);

  void Acquired(int64_t version) { Count(acquired_, acquired_event_, version); }
  void Released(int64_t version) { Count(released_, released_event_, version); }
  void WaitAllAcquired(int64_t version) { WaitAll(acquired_, acquired_event_, version); }
  void WaitAllReleased(int64_t version) { WaitAll(released_, released_event_, version); }
  bool AllReleased(int64_t version) const { return Done(released_, version); }

 private:
  void Count(std::vector<int64_t>& counts, sc_core::sc_event& event, int64_t version);
  bool Done(const std::vector<int64_t>& counts, int64_t version) const;
  void WaitAll(const std::vector<int64_t>& counts, sc_core::sc_event& event, int64_t version);

  std::string name_;
  int64_t consumers_;
  int64_t published_ = -1;
  std::vector<int64_t> acquired_;  // per version: consumers that acquired it
  std::vector<int64_t> released_;
  sc_core::sc_event published_event_;
  sc_core::sc_event acquired_event_;
  sc_core::sc_event released_event_;
};

}  // namespace cyclops::top
