#include "sim/analysis/noc_bound.h"

#include <algorithm>
#include <cmath>

namespace cyclops::analysis {

namespace {

// The next level above `level` that keeps data space d (-1 if none).
int ParentKeeper(const spec::Architecture& architecture, const AnalysisResult& result, int level, int d) {
  for (int above = level + 1; above < static_cast<int>(result.storage.size()); ++above)
    if (!architecture.storage[above].is_dummy && result.storage[above].data_spaces[d].kept) return above;
  return -1;
}

}  // namespace

void ApplyNocBound(const NocLinks& links, const spec::Architecture& architecture,
                   const spec::Workload& workload, AnalysisResult& result) {
  result.noc_bounds.clear();
  result.noc_cycles = 0;
  for (const NocTransferLinks& transfer : links.transfers) {
    const int m = transfer.level, d = transfer.data_space;
    const int p = ParentKeeper(architecture, result, m, d);
    if (p < 0 || transfer.groups <= 0) continue;
    const DataSpaceAccesses& child = result.storage[m].data_spaces[d];
    const DataSpaceAccesses& parent = result.storage[p].data_spaces[d];
    int64_t words = 0;
    if (transfer.upward)
      words = parent.updates_total;
    else if (!workload.data_spaces[d].read_write)
      words = parent.reads_total;
    else if (child.fills_total > 0)  // partial sums read back down: every group gets one child's fills
      words =
          child.utilized_instances > 0 ? child.fills_total / child.utilized_instances * transfer.groups : 0;
    if (words <= 0) continue;
    NocTransferBound bound;
    bound.data_space = workload.data_spaces[d].name;
    bound.from = architecture.storage[transfer.upward ? m : p].name;
    bound.to = architecture.storage[transfer.upward ? p : m].name;
    bound.network = transfer.network;
    bound.link = transfer.link;
    bound.words = words;
    bound.groups = transfer.groups;
    bound.cycles = static_cast<int64_t>(std::ceil(
        static_cast<double>(words) / static_cast<double>(transfer.groups) * transfer.cycles_per_group_word));
    result.noc_cycles = std::max(result.noc_cycles, bound.cycles);
    result.noc_bounds.push_back(std::move(bound));
  }
}

int64_t BoundedCycles(const AnalysisResult& result) {
  return std::max(result.cycles, result.noc_cycles);
}

double BoundedEnergy(const AnalysisResult& result) {
  const int64_t bounded = BoundedCycles(result);
  if (bounded == result.cycles || result.cycles <= 0) return result.energy_pj;
  double leakage = 0;
  for (const StorageLevelResult& level : result.storage) leakage += level.leakage_energy_pj;
  return result.energy_pj +
         leakage * static_cast<double>(bounded - result.cycles) / static_cast<double>(result.cycles);
}

}  // namespace cyclops::analysis
