#include "sim/top/layer_simulation.h"

#include <algorithm>
#include <chrono>

#include "sim/core/error.h"
#include "sim/mapping/layer_plan.h"
#include "sim/mapping/layer_program.h"
#include "sim/mapping/sparse_data.h"
#include "sim/top/simulatable.h"
#include "sim/top/sparse_plan.h"

namespace cyclops::top {

int OperandBits(const spec::Architecture& architecture) {
  const spec::StorageLevelSpec* innermost = architecture.InnermostDataLevel();
  const int64_t bits = innermost ? innermost->word_bits : spec::CyclopsSettings::kDefaultOperandBits;
  return static_cast<int>(std::min<int64_t>(bits, spec::CyclopsSettings::kMaxOperandBits));
}

SimulationResult SimulateLayer(Accelerator& accelerator, const spec::Workload& workload,
                               const spec::Mapping& mapping, const LayerOptions& options) {
  RefuseImperfectSparse(workload, mapping, options.sparse != nullptr);
  const mapping::LayerPlan plan(accelerator.architecture(), workload, mapping);
  RefuseSharedOptimizedReads(accelerator.architecture(), workload, plan, options.sparse);
  const mapping::LayerProgram program = mapping::CompileLayer(plan, accelerator.layout(), options.psum_bits);
  std::vector<mapping::Tensor> tensors = mapping::ShapeTensors(workload);
  mapping::FillOperands(workload, options.seed, options.value_bits, tensors);
  mapping::ApplyDensities(workload, &mapping, options.seed, tensors);
  const mapping::OperandRoles& roles = program.roles;
  for (const auto& [given, role] :
       {std::pair{&options.second_operand, roles.second}, std::pair{&options.first_operand, roles.first}}) {
    if (given->empty()) continue;
    std::vector<int64_t>& operand = tensors[role].values;
    if (given->size() != operand.size())
      throw SpecError(workload.where, "the given " + workload.data_spaces[role].name + " hold " +
                                          std::to_string(given->size()) + " values, the problem needs " +
                                          std::to_string(operand.size()));
    operand = *given;
  }
  if (options.prune_density) mapping::PruneSmallest(tensors[roles.first], *options.prune_density);
  mapping::Tensor computed;
  mapping::Tensor& expected = options.reference ? *options.reference : computed;
  if (expected.values.empty()) expected = mapping::ReferenceResult(workload, tensors, options.psum_bits);
  const auto begin = std::chrono::steady_clock::now();
  SimulationResult result;
  result.measured_density = mapping::MeasuredDensities(tensors, roles.result, expected);
  RunSettings settings = options.run;
  settings.pe_sparsity = PlanPeSparsity(accelerator.architecture(), workload, options.sparse, program);
  settings.fill_sparsity = PlanFillSparsity(accelerator.architecture(), options.sparse, program);
  if (program.imperfect && (settings.pe_sparsity || settings.fill_sparsity))
    throw SpecError(mapping.where,
                    "imperfect factors are simulated on dense data only (this layer counts zeros)",
                    "factors that divide the bounds, or dense operands");
  static_cast<LayerRun&>(result) = accelerator.RunLayer(workload, program, tensors, settings);
  result.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  result.pe_program = program.pe_listing;
  result.transfer_listing = program.transfer_listing;
  result.mismatch = mapping::FirstMismatch(workload, roles.result, expected, tensors[roles.result]);
  result.outputs = std::move(tensors[roles.result].values);
  return result;
}

LayerSimulation::LayerSimulation(const spec::Architecture& architecture, const spec::Workload& workload,
                                 const spec::Mapping& mapping, SimulationOptions options)
    : workload_(workload),
      mapping_(mapping),
      options_(std::move(options)),
      accelerator_(std::make_unique<Accelerator>(architecture, options_)) {}

LayerSimulation::~LayerSimulation() = default;

SimulationResult LayerSimulation::Run() {
  return SimulateLayer(*accelerator_, workload_, mapping_, options_);
}

}  // namespace cyclops::top
