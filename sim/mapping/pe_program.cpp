#include "sim/mapping/pe_program.h"

#include <algorithm>

namespace cyclops::mapping {

PeProgram CompilePeProgram(const LayerPlan& plan) {
  PeProgram program;
  const analysis::LoopNest& nest = plan.nest();
  int split = static_cast<int>(nest.loops().size());
  for (int d = 0; d < plan.num_data_spaces(); ++d) {
    program.operand_level.push_back(plan.Chain(d).front());
    program.acquire_at.push_back(plan.FirstMovingLoop(d, program.operand_level.back()));
    split = std::min(split, program.acquire_at.back());
  }
  // Loops inside the first tile move form the burst: no operand tile changes during it.
  for (int p = 0; p < static_cast<int>(nest.loops().size()); ++p) {
    if (nest.loops()[p].spatial) continue;
    if (p < split) {
      program.burst.push_back(p);
      program.burst_macs *= nest.loops()[p].factor;
    } else {
      program.outer.push_back(p);
      program.bursts *= nest.loops()[p].factor;
    }
  }
  return program;
}

std::string PeProgram::Listing(const LayerPlan& plan) const {
  const analysis::LoopNest& nest = plan.nest();
  const spec::Workload& workload = plan.workload();
  const auto& storage = plan.architecture().storage;
  auto loop_text = [&](int p) {
    const analysis::Loop& loop = nest.loops()[p];
    return workload.dimensions[loop.dimension] + " " + std::to_string(loop.factor);
  };
  std::string out = "PE program: " + std::to_string(plan.Instances(-1)) + " PEs, " + std::to_string(bursts) +
                    " bursts of " + std::to_string(burst_macs) + " MACs each\n";
  std::string indent = "  ";
  auto acquires = [&](int p) {
    std::string text;
    for (int d = 0; d < plan.num_data_spaces(); ++d)
      if (acquire_at[d] == p || (p == -1 && acquire_at[d] >= static_cast<int>(nest.loops().size())))
        text += (text.empty() ? "" : ", ") + workload.data_spaces[d].name + " from " +
                storage[operand_level[d]].name;
    return text;
  };
  if (!acquires(-1).empty()) out += indent + "acquire once: " + acquires(-1) + "\n";
  for (auto it = outer.rbegin(); it != outer.rend(); ++it) {
    std::string line =
        indent + "loop " + loop_text(*it) + "   [" + storage[nest.loops()[*it].level].name + "]";
    // A tile whose first moving loop is this one gets a new version at every iteration of it.
    const std::string acquired = acquires(*it);
    if (!acquired.empty()) line += "   next tile: " + acquired;
    out += line + "\n";
    indent += "  ";
  }
  std::string burst_text;
  for (auto it = burst.rbegin(); it != burst.rend(); ++it)
    burst_text += (burst_text.empty() ? "" : " x ") + loop_text(*it);
  out += indent + "mac_burst " + std::to_string(burst_macs) + (burst_text.empty() ? "" : " = " + burst_text) +
         "   ";
  for (int d = 0; d < plan.num_data_spaces(); ++d)
    out += (d ? ", " : "") + workload.data_spaces[d].name + "@" + storage[operand_level[d]].name +
           (workload.data_spaces[d].read_write ? " (read-modify-write)" : "");
  out += "\n" + indent + "release tiles at their next version; write back departing psums\n";
  return out;
}

}  // namespace cyclops::mapping
