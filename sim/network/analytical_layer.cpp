#include "sim/network/analytical_layer.h"

#include <algorithm>
#include <cmath>

#include "sim/analysis/analysis.h"
#include "sim/mapping/sparse_data.h"
#include "sim/mapping/tensor_data.h"
#include "sim/network/layer_densities.h"
#include "sim/network/layer_execution.h"

namespace cyclops::network {

namespace {

// The layer's operands as the simulator would hold them: seeded, the given ones in place, pruned.
std::vector<mapping::Tensor> LayerOperands(const spec::Workload& workload, const AnalyticalInputs& in) {
  std::vector<mapping::Tensor> tensors = mapping::ShapeTensors(workload);
  mapping::FillOperands(workload, in.seed, in.value_bits, tensors);
  const mapping::OperandRoles roles = mapping::RolesOf(workload);
  if (tensors[roles.second].values.size() != in.inputs.size())
    throw SpecError(workload.where, "the given inputs do not fit the problem's Inputs");
  tensors[roles.second].values = in.inputs;
  if (!in.weights.empty()) {
    if (tensors[roles.first].values.size() != in.weights.size())
      throw SpecError(workload.where, "the given weights do not fit the problem's Weights");
    tensors[roles.first].values = in.weights;
  } else if (in.prune_density) {
    mapping::PruneSmallest(tensors[roles.first], *in.prune_density);
  }
  return tensors;
}

void RecordAnalysis(const analysis::AnalysisResult& result, int64_t dram_word_bits, LayerRecord& record) {
  record.macs = result.arithmetic.computes;
  record.cycles = result.cycles;
  record.analytical_cycles = result.cycles;
  record.compute_cycles =
      std::min(result.cycles, (record.macs + result.arithmetic.utilized_instances - 1) /
                                  std::max<int64_t>(1, result.arithmetic.utilized_instances));
  record.energy_pj = result.energy_pj;
  double storage_pj = 0;
  for (size_t level = result.storage.size(); level-- > 0;) {
    double level_pj = 0;
    double accesses = 0;
    for (const analysis::DataSpaceAccesses& d : result.storage[level].data_spaces) {
      level_pj += d.energy_total_pj;
      // With sparse optimizations the words that move are the actual ones plus the metadata.
      if (d.sparse)
        accesses +=
            static_cast<double>(d.sparse->reads.actual + d.sparse->fills.actual + d.sparse->updates.actual) *
                static_cast<double>(d.utilized_instances) +
            static_cast<double>(d.sparse->metadata_reads.actual_bits + d.sparse->metadata_fills.actual_bits +
                                d.sparse->metadata_updates.actual_bits) *
                static_cast<double>(d.utilized_instances) / static_cast<double>(dram_word_bits);
      else
        accesses += static_cast<double>((d.reads + d.fills + d.updates) * d.utilized_instances);
    }
    if (level + 1 == result.storage.size())
      record.dram_bytes =
          static_cast<int64_t>(std::ceil(accesses * static_cast<double>(dram_word_bits) / 8.0));
    storage_pj += level_pj;
    record.level_energy_pj.emplace_back(result.storage[level].name, level_pj);
  }
  record.level_energy_pj.emplace_back("mac", record.energy_pj - storage_pj);
}

}  // namespace

AnalyticalLayer AnalyzeLayer(const std::vector<std::string>& spec_files, const AnalyticalInputs& in,
                             int psum_bits, int64_t dram_word_bits) {
  spec::Spec spec = LoadLayerFiles(spec_files);
  if (!spec.mapping)
    throw SpecError(spec.workload->where, "an analytical network layer needs its mapping",
                    "the runner's mapping file");
  const std::vector<mapping::Tensor> tensors = LayerOperands(*spec.workload, in);
  const mapping::OperandRoles roles = mapping::RolesOf(*spec.workload);
  AnalyticalLayer layer;
  const mapping::Tensor psums = mapping::ReferenceResult(*spec.workload, tensors, psum_bits);
  const spec::SparseOptimizations* sparse = spec.sparse ? &*spec.sparse : nullptr;
  std::vector<double> measured;
  if (sparse) {  // the sparse model sees the densities of the data (the problem declares none)
    measured = mapping::MeasuredDensities(tensors, roles.result, psums);
    spec.workload = WithMeasuredDensities(*spec.workload, measured);
  }
  const analysis::AnalysisResult result = analysis::Analyze(*spec.architecture, *spec.workload, *spec.mapping,
                                                            spec.energy ? &*spec.energy : nullptr, sparse);
  RecordAnalysis(result, dram_word_bits, layer.record);
  for (int64_t factor : spec.mapping->levels.back().temporal_factors) layer.record.tiles *= factor;
  if (const auto& computes = result.arithmetic.sparse_computes) {
    LayerRecord::Sparse fields;
    for (size_t d = 0; d < measured.size(); ++d)
      fields.densities.emplace_back(spec.workload->data_spaces[d].name, measured[d]);
    fields.actual_macs = computes->actual, fields.gated_macs = computes->gated;
    fields.skipped_macs = computes->skipped;
    layer.record.sparse = std::move(fields);
  }
  layer.psums = psums.values;
  return layer;
}

}  // namespace cyclops::network
