// Presents an analytical-model result: a compact per-level table for people (like Timeloop's summary)
// and JSON for tools. Levels are listed outermost first, the way a loop nest reads.
#pragma once

#include <string>

#include "sim/analysis/analysis.h"
#include "sim/spec/specs.h"

namespace cyclops::analysis {

std::string AnalysisText(const spec::Architecture& architecture, const spec::Workload& workload,
                         const AnalysisResult& result);

// Deterministic (keys in a fixed order, numbers printed the same way every time).
std::string AnalysisJson(const spec::Architecture& architecture, const spec::Workload& workload,
                         const AnalysisResult& result);

}  // namespace cyclops::analysis
