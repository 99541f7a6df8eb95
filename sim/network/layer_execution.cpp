#include "sim/network/layer_execution.h"

#include <filesystem>

#include "sim/analysis/analysis.h"
#include "sim/core/atomic_file.h"
#include "sim/core/error.h"
#include "sim/energy/primitive_energy.h"
#include "sim/network/activation.h"
#include "sim/network/layer_densities.h"
#include "sim/network/layer_record.h"
#include "sim/spec/loader.h"
#include "sim/top/layer_simulation.h"
#include "sim/top/run_summary.h"
#include "sim/trace/trace_recorder.h"

namespace cyclops::network {

spec::Spec LoadLayerFiles(const std::vector<std::string>& files) {
  spec::Spec spec = spec::LoadSpecFiles(files);
  if (!spec.energy && spec.architecture)
    spec.energy = energy::EstimateEnergyTable(*spec.architecture, spec.component_classes).table;
  return spec;
}

void ExecuteLayer(top::Accelerator& accelerator, const LayerTask& task, const ExecutionSettings& settings) {
  spec::Spec spec = LoadLayerFiles(task.spec_files);
  if (!spec.workload || !spec.mapping)
    throw SpecError({task.dir, 0, 0, ""}, "a network layer needs a problem and a mapping",
                    "the runner's layer files");
  top::LayerOptions options;
  options.seed = task.seed;
  options.value_bits = settings.value_bits;
  options.psum_bits = settings.psum_bits;
  options.run = settings.run;
  options.sparse = spec.sparse ? &*spec.sparse : nullptr;  // the zeros in the data gate and skip, as in `run`
  options.prune_density = task.prune_density;
  options.second_operand = ReadValuesFile(task.dir + "/input.bin");
  if (std::filesystem::exists(task.dir + "/weights.bin"))
    options.first_operand = ReadValuesFile(task.dir + "/weights.bin");
  // With a trace, the layer goes on the network's timeline after the layers run before it.
  if (settings.run.trace) settings.run.trace->BeginLayer(task.name.empty() ? task.dir : task.name);
  const top::SimulationResult result =
      top::SimulateLayer(accelerator, *spec.workload, *spec.mapping, options);
  if (settings.run.trace) settings.run.trace->EndLayer(result.cycles);
  // The sparse model is told the densities of the data that flowed (the problem declares none).
  if (options.sparse) spec.workload = WithMeasuredDensities(*spec.workload, result.measured_density);
  const analysis::AnalysisResult analysis =
      analysis::Analyze(*spec.architecture, *spec.workload, *spec.mapping,
                        spec.energy ? &*spec.energy : nullptr, options.sparse);
  const top::RunSummary summary = top::Summarize(spec, analysis, result);
  WriteFileAtomically(task.dir + "/summary.json", summary.ToJson());
  WriteValuesFile(task.dir + "/output.bin", result.outputs);
  if (result.mismatch)  // no record: a resumed run computes the layer again
    throw OutputMismatchError("simulated outputs differ from the reference kernel at " + *result.mismatch);
  LayerRecord record = RecordFromSummary(summary, settings.dram_word_bits);
  record.key = task.key;
  WriteFileAtomically(task.dir + "/record.json", RecordJson(record));
}

}  // namespace cyclops::network
