// The one stats tree of a run: StatGroups filed under hierarchical SystemC-style instance names
// ("top.glb", "top.pe_3_4.ifmap_spad"). Not global: the tree is an object the top level creates and passes
// to the modules that register into it. The tree does not own the groups; a group must outlive the tree's
// last use (modules own their groups and live for the whole process).
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "sim/stats/stat_group.h"

namespace cyclops::stats {

class StatsTree {
 public:
  // Files `group` under `path`. An empty or duplicate path, or one with an empty segment, is a
  // programming error (std::logic_error).
  void Register(const std::string& path, StatGroup& group);

  const StatGroup* Find(const std::string& path) const;  // nullptr when not registered
  // Counter value by "instance.counter" address, e.g. Value("top.glb", "reads_inputs");
  // std::out_of_range naming the path otherwise.
  uint64_t Value(const std::string& path, const std::string& counter) const;

  // Sorted by path, so every writer is deterministic without sorting again.
  const std::map<std::string, StatGroup*>& groups() const { return groups_; }

  void ResetAll();

 private:
  std::map<std::string, StatGroup*> groups_;
};

}  // namespace cyclops::stats
