// The one stats tree of a run: StatGroups filed under hierarchical SystemC instance names
// ("accelerator.DRAM", "accelerator.cluster[3].pe[7].ifmap_spad"). Not global: the tree is an object the
// top level creates and passes to the blocks that file into it. Groups are either registered (owned by
// whoever registers them, which must outlive the tree's last use) or created by the tree and owned by it —
// what a layer's snapshot does, so the stats of one layer outlive the hardware's next layer.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <string>

#include "sim/stats/stat_group.h"

namespace cyclops::stats {

class StatsTree {
 public:
  // Files `group` under `path`. An empty or duplicate path, or one with an empty segment, is a
  // programming error (std::logic_error).
  void Register(const std::string& path, StatGroup& group);
  // A new group the tree owns, filed under `path` (same rules as Register).
  StatGroup& Create(const std::string& path);

  const StatGroup* Find(const std::string& path) const;  // nullptr when not registered
  // Counter value by "instance.counter" address, e.g. Value("top.glb", "reads_inputs");
  // std::out_of_range naming the path otherwise.
  uint64_t Value(const std::string& path, const std::string& counter) const;

  // Sorted by path, so every writer is deterministic without sorting again.
  const std::map<std::string, StatGroup*>& groups() const { return groups_; }

  void ResetAll();

 private:
  std::map<std::string, StatGroup*> groups_;
  std::deque<StatGroup> owned_;  // deque: groups never move, so the map's pointers stay valid
};

}  // namespace cyclops::stats
