// --max-memory and --max-macs for the commands that simulate a layer, and the guard they run once the
// mapping is known and before anything is allocated or elaborated: it prints the work estimate when
// stderr is a terminal and refuses a run above either limit (sim/mapping/resource_estimate.h).
#pragma once

#include <string>
#include <vector>

#include "sim/analysis/analysis.h"
#include "sim/mapping/resource_estimate.h"
#include "sim/spec/specs.h"

namespace CLI {
class App;
}

namespace cyclops::cli {

struct ResourceOptions {
  std::string max_memory;  // as given ("8G"); empty: half the physical memory
  double max_macs = 0;     // 0: mapping::kDefaultMaxMacs
};

void AddResourceOptions(CLI::App& command, ResourceOptions& options);

// Before mapping: throws SpecError when the architecture alone (its PEs and storage instances) would pass
// --max-memory.
void GuardHardware(const spec::Spec& spec, const ResourceOptions& options);

// Throws SpecError when the run would pass a limit.
void GuardLayerRun(const spec::Spec& spec, const spec::Mapping& mapping,
                   const analysis::AnalysisResult& analysis, const ResourceOptions& options, bool use_noc);

// The options as arguments, for child `cyclops run` processes (sweeps).
std::vector<std::string> ResourceArguments(const ResourceOptions& options);

}  // namespace cyclops::cli
