#include "noc/bus/fanout_buses.h"

namespace cyclops::noc {

void FanoutBuses::Load(std::vector<std::vector<int64_t>> group_sizes) {
  group_sizes_ = std::move(group_sizes);
  buses_.clear();
  for (const auto& sizes : group_sizes_)
    buses_.push_back(sizes.empty() ? nullptr : std::make_unique<FanoutBus>(width_, latency_));
}

models::Cycle FanoutBuses::Fill(int d, int group, models::Cycle at, int64_t values, models::Cycle) {
  return buses_.at(static_cast<size_t>(d))
      ->Transfer(at, values, group_sizes_[static_cast<size_t>(d)].at(static_cast<size_t>(group)));
}

models::Cycle FanoutBuses::WriteBack(int d, int, models::Cycle at, int64_t values) {
  return buses_.at(static_cast<size_t>(d))->Transfer(at, values, 1);
}

void FanoutBuses::FileStats(stats::StatsTree& tree, const std::string& prefix,
                            const std::vector<std::string>& names) {
  for (size_t d = 0; d < buses_.size(); ++d)
    if (buses_[d]) buses_[d]->FileStats(tree.Create(prefix + ".bus_" + names[d]));
}

}  // namespace cyclops::noc
