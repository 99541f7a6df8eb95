#include "sim/cli/resource_options.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>

#include "sim/cli/option_checks.h"

namespace cyclops::cli {

void AddResourceOptions(CLI::App& command, ResourceOptions& options) {
  char macs[32];
  std::snprintf(macs, sizeof macs, "%.0e", mapping::kDefaultMaxMacs);
  command
      .add_option("--max-memory", options.max_memory,
                  "Refuse a run whose estimated memory is above SIZE (e.g. 8G; default: half the physical "
                  "memory, " +
                      mapping::FormatBytes(mapping::DefaultMaxMemoryBytes()) + " here)")
      ->check(CLI::Validator(
          [](std::string& text) {
            return mapping::ParseByteSize(text) ? std::string()
                                                : "'" + text + "' is not a size like 8G or 512M";
          },
          "SIZE"));
  command
      .add_option("--max-macs", options.max_macs,
                  std::string("Refuse to simulate a layer of more than N MACs (default ") + macs + ")")
      ->check(FiniteAtLeast(1));
}

namespace {
mapping::ResourceLimits Limits(const ResourceOptions& options) {
  mapping::ResourceLimits limits;
  if (!options.max_memory.empty()) limits.max_memory_bytes = *mapping::ParseByteSize(options.max_memory);
  limits.max_macs = options.max_macs;
  return limits;
}
}  // namespace

void GuardHardware(const spec::Spec& spec, const ResourceOptions& options) {
  mapping::ResourceLimits limits = Limits(options);
  limits.max_macs = 1e300;  // the work is judged once the mapping is known
  mapping::CheckResourceLimits(
      mapping::EstimateHardware(*spec.architecture), limits, spec.architecture->where,
      "elaborating this architecture (" + std::to_string(spec.architecture->arithmetic.instances) + " PEs)");
}

void GuardLayerRun(const spec::Spec& spec, const spec::Mapping& mapping,
                   const analysis::AnalysisResult& analysis, const ResourceOptions& options, bool use_noc) {
  const mapping::ResourceEstimate estimate =
      mapping::EstimateLayerRun(*spec.architecture, *spec.workload, mapping, analysis, use_noc);
  if (isatty(STDERR_FILENO)) std::cerr << mapping::EstimateLine(estimate) << "\n";
  mapping::CheckResourceLimits(estimate, Limits(options), spec.workload->where,
                               "simulating " + spec.workload->name);
}

std::vector<std::string> ResourceArguments(const ResourceOptions& options) {
  std::vector<std::string> arguments;
  if (!options.max_memory.empty()) arguments.insert(arguments.end(), {"--max-memory", options.max_memory});
  if (options.max_macs > 0) {
    char macs[32];
    std::snprintf(macs, sizeof macs, "%.17g", options.max_macs);
    arguments.insert(arguments.end(), {"--max-macs", macs});
  }
  return arguments;
}

}  // namespace cyclops::cli
