// The analytical model's NoC bound (DESIGN.md decision 15; Eyexam's step 6, MAESTRO's traffic ÷
// bandwidth): every transfer over the on-chip network — a data space filled into a level from its parent
// keeper, or psums written back up and reduced on the way — is bounded by its most loaded link. A link here
// is an out port (the wires a word is driven on: a bus, or a router output fanning out to PEs); it moves
// ⌊width ÷ value bits⌋ values per cycle. Each multicast (or reduction) group crosses each out port of its
// tree once, so the load of a port is the words per group × the groups whose tree uses it:
//   cycles(transfer) = (words ÷ groups) × max over ports (groups through the port ÷ its values per cycle).
// The per-port part depends on the topology and the mapping's spatial loops only; sim/top/noc_bound_model
// resolves it from the NoC into the plain struct below, so the analysis does not depend on noc/. Without a
// NoC nothing changes: AnalysisResult::cycles stays Timeloop's, exact.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/analysis/analysis.h"
#include "sim/spec/specs.h"

namespace cyclops::analysis {

// The links of one transfer, for one mapping's spatial loops.
struct NocTransferLinks {
  int level = 0;  // the level filled (down) or writing back (up); the other end is its parent keeper
  int data_space = 0;
  bool upward = false;               // psums written back, reduced on the way
  std::string network;               // iact, weight, psum
  std::string link;                  // the most loaded out port and what it drives, for reports
  int64_t groups = 0;                // multicast or reduction groups over all parent instances
  double cycles_per_group_word = 0;  // max over out ports of (groups through it ÷ its values per cycle)
};

struct NocLinks {
  std::string topology;
  std::vector<NocTransferLinks> transfers;
};

// Fills result.noc_bounds and result.noc_cycles from the counts already in `result`: the words of a
// downward transfer are the parent keeper's reads (the child's fills per group, for psums read back; only
// when there are any), of an upward one the parent's updates.
void ApplyNocBound(const NocLinks& links, const spec::Architecture& architecture,
                   const spec::Workload& workload, AnalysisResult& result);

// max(Timeloop's cycles, the NoC bound).
int64_t BoundedCycles(const AnalysisResult& result);
// The energy with leakage (per instance and cycle) paid over BoundedCycles instead of Timeloop's cycles.
double BoundedEnergy(const AnalysisResult& result);

}  // namespace cyclops::analysis
