#include "sim/network/analytical_layer.h"

#include <algorithm>
#include <cmath>

#include "sim/analysis/analysis.h"
#include "sim/mapping/tensor_data.h"
#include "sim/spec/loader.h"

namespace cyclops::network {

AnalyticalLayer AnalyzeLayer(const std::vector<std::string>& spec_files, uint64_t seed,
                             const std::vector<int64_t>& inputs, const std::vector<int64_t>& weights,
                             int value_bits, int psum_bits, int64_t dram_word_bits) {
  spec::Spec spec = spec::LoadSpecFiles(spec_files);
  const spec::EnergyTable* energy = spec.energy ? &*spec.energy : nullptr;
  AnalyticalLayer layer;
  if (!spec.mapping)
    throw SpecError(spec.workload->where, "an analytical network layer needs its mapping",
                    "the runner's mapping file");
  const analysis::AnalysisResult result =
      analysis::Analyze(*spec.architecture, *spec.workload, *spec.mapping, energy);
  LayerRecord& record = layer.record;
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
    int64_t accesses = 0;
    for (const analysis::DataSpaceAccesses& d : result.storage[level].data_spaces) {
      level_pj += d.energy_total_pj;
      accesses += (d.reads + d.fills + d.updates) * d.utilized_instances;
    }
    if (level + 1 == result.storage.size())
      record.dram_bytes = static_cast<int64_t>(std::ceil(accesses * dram_word_bits / 8.0));
    storage_pj += level_pj;
    record.level_energy_pj.emplace_back(result.storage[level].name, level_pj);
  }
  record.level_energy_pj.emplace_back("mac", record.energy_pj - storage_pj);
  for (int64_t factor : spec.mapping->levels.back().temporal_factors) record.tiles *= factor;

  std::vector<mapping::Tensor> tensors = mapping::ShapeTensors(*spec.workload);
  mapping::FillOperands(*spec.workload, seed, value_bits, tensors);
  const mapping::OperandRoles roles = mapping::RolesOf(*spec.workload);
  if (tensors[roles.second].values.size() != inputs.size())
    throw SpecError(spec.workload->where, "the given inputs do not fit the problem's Inputs");
  tensors[roles.second].values = inputs;
  if (!weights.empty()) {
    if (tensors[roles.first].values.size() != weights.size())
      throw SpecError(spec.workload->where, "the given weights do not fit the problem's Weights");
    tensors[roles.first].values = weights;
  }
  layer.psums = mapping::ReferenceResult(*spec.workload, tensors, psum_bits).values;
  return layer;
}

}  // namespace cyclops::network
