// The sparse optimizations of a spec resolved for the hardware running one layer: what the PEs do with
// zeros (models/pe/pe_sparsity.h). Checks that the simulator can carry them out and says, with the spec's
// location, what it cannot (a located SpecError: the sparse analytical model, `cyclops analyze`, still can).
#pragma once

#include <memory>

#include "models/control/transfer_compression.h"
#include "models/pe/pe_sparsity.h"
#include "sim/mapping/layer_program.h"
#include "sim/spec/specs.h"

namespace cyclops::top {

// Null without sparse optimizations (zeros then flow as plain values, counted as dense accesses).
std::shared_ptr<const models::PeSparsity> PlanPeSparsity(const spec::Architecture& architecture,
                                                         const spec::Workload& workload,
                                                         const spec::SparseOptimizations* sparse,
                                                         const mapping::LayerProgram& layer);

// Which of the layer's transfers move compressed data; null without sparse optimizations or when none does.
std::shared_ptr<const models::FillSparsity> PlanFillSparsity(const spec::Architecture& architecture,
                                                             const spec::SparseOptimizations* sparse,
                                                             const mapping::LayerProgram& layer);

}  // namespace cyclops::top
