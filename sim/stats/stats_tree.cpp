#include "sim/stats/stats_tree.h"

#include <stdexcept>

namespace cyclops::stats {

void StatsTree::Register(const std::string& path, StatGroup& group) {
  if (path.empty() || path.front() == '.' || path.back() == '.' || path.find("..") != std::string::npos) {
    throw std::logic_error("bad stats path '" + path + "'");
  }
  if (!groups_.emplace(path, &group).second) {
    throw std::logic_error("stats path '" + path + "' registered twice");
  }
}

StatGroup& StatsTree::Create(const std::string& path) {
  owned_.emplace_back();
  try {
    Register(path, owned_.back());
  } catch (...) {
    owned_.pop_back();
    throw;
  }
  return owned_.back();
}

const StatGroup* StatsTree::Find(const std::string& path) const {
  auto it = groups_.find(path);
  return it == groups_.end() ? nullptr : it->second;
}

uint64_t StatsTree::Value(const std::string& path, const std::string& counter) const {
  const StatGroup* group = Find(path);
  if (group == nullptr) throw std::out_of_range("no stats group '" + path + "'");
  const Counter* found = group->FindCounter(counter);
  if (found == nullptr) throw std::out_of_range("no counter '" + counter + "' in '" + path + "'");
  return found->value();
}

void StatsTree::ResetAll() {
  for (auto& [path, group] : groups_) group->Reset();
}

}  // namespace cyclops::stats
