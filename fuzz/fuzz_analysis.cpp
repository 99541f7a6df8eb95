// The analytical model on arbitrary specs: whatever loads with an architecture, a problem and a mapping
// is analysed, and the result written as the text report and as JSON, which must parse back. Only
// SpecError may come out (e.g. a tile over a level's capacity, counts beyond 2^63).
#include <nlohmann/json.hpp>

#include "fuzz/fuzz_input.h"
#include "sim/analysis/analysis.h"
#include "sim/analysis/analysis_writer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cyclops;
  fuzz::ExpectOnlySpecErrors([&] {
    const spec::Spec spec = spec::LoadSpecDocuments(fuzz::SplitDocuments(data, size));
    if (!spec.architecture || !spec.workload || !spec.mapping) return;
    const analysis::AnalysisResult result =
        analysis::Analyze(*spec.architecture, *spec.workload, *spec.mapping,
                          spec.energy ? &*spec.energy : nullptr, spec.sparse ? &*spec.sparse : nullptr);
    analysis::AnalysisText(*spec.architecture, *spec.workload, result);
    const std::string json = analysis::AnalysisJson(*spec.architecture, *spec.workload, result);
    if (!nlohmann::json::accept(json)) {
      std::fprintf(stderr, "finding: analysis.json does not parse back\n");
      std::abort();
    }
  });
  return 0;
}
