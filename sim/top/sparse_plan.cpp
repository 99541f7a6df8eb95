#include "sim/top/sparse_plan.h"

#include "sim/core/error.h"

namespace cyclops::top {

namespace {

const std::string kValid =
    "gating or skipping of an operand or the result at the level the MACs read it from, "
    "with one option, conditioned on the multiplied operands (or cyclops analyze)";

// The level an optimization written at `level` acts on for `data_space`: the nearest at or above it that
// keeps the data space (Sparseloop's target tile).
int TargetLevel(const mapping::LayerProgram& layer, int data_space, int level) {
  for (int kept : layer.chains[data_space])
    if (kept >= level) return kept;
  return -1;
}

void AddOptimization(const spec::Architecture& architecture, const spec::Workload& workload,
                     const mapping::LayerProgram& layer, int level,
                     const spec::ActionOptimizationSpec& action, models::PeSparsity& sparsity) {
  const std::string kind = action.skipping ? "skipping" : "gating";
  if (action.options.size() != 1)
    throw SpecError(
        action.where,
        "cyclops run: " + kind + " with " + std::to_string(action.options.size()) +
            " options (Sparseloop keeps the one saving most energy; the simulator does not choose)",
        kValid);
  const spec::ConditionedOnSpec& option = action.options.front();
  const std::string& target = workload.data_spaces[option.target].name;
  const int target_level = TargetLevel(layer, option.target, level);
  if (target_level != layer.pe.operand_level[option.target])
    throw SpecError(option.where,
                    "cyclops run: " + kind + " of " + target + " at '" + architecture.storage[level].name +
                        "' acts on a level the MACs do not read " + target + " from",
                    kValid);
  for (int condition : option.condition_on)
    if (condition != layer.roles.first && condition != layer.roles.second)
      throw SpecError(option.where,
                      "cyclops run: " + kind + " of " + target + " conditioned on " +
                          workload.data_spaces[condition].name + ", which the MACs do not multiply",
                      kValid);
  auto& slot = sparsity.reads[option.target];
  if (slot)
    throw SpecError(option.where, "cyclops run: " + target + " is gated or skipped twice at its PE level",
                    kValid);
  slot = models::PeSparsity::Optimized{option.condition_on, action.skipping};
}

}  // namespace

std::shared_ptr<const models::PeSparsity> PlanPeSparsity(const spec::Architecture& architecture,
                                                         const spec::Workload& workload,
                                                         const spec::SparseOptimizations* sparse,
                                                         const mapping::LayerProgram& layer) {
  if (sparse == nullptr) return nullptr;
  auto sparsity = std::make_shared<models::PeSparsity>();
  const size_t spaces = workload.data_spaces.size();
  sparsity->reads.resize(spaces);
  sparsity->compressed.assign(spaces, false);
  sparsity->has_metadata.assign(spaces, false);
  for (size_t d = 0; d < spaces; ++d) {
    const spec::DataSpaceFormatSpec* format = sparse->Format(layer.pe.operand_level[d], static_cast<int>(d));
    sparsity->compressed[d] = format != nullptr && format->Compressed();
    sparsity->has_metadata[d] = format != nullptr && format->HasMetadata();
  }
  for (const spec::StorageSparseSpec& level : sparse->levels) {
    for (const spec::ActionOptimizationSpec& action : level.gating)
      AddOptimization(architecture, workload, layer, level.level, action, *sparsity);
    for (const spec::ActionOptimizationSpec& action : level.skipping)
      AddOptimization(architecture, workload, layer, level.level, action, *sparsity);
  }
  if (sparse->compute) {
    sparsity->gate_compute = sparse->compute->gate_on_zero_operand;
    sparsity->skip_compute = sparse->compute->skip_on_not_aligned_operands;
  }
  sparsity->Resolve(layer.roles.first, layer.roles.second, layer.roles.result);
  return sparsity;
}

std::shared_ptr<const models::FillSparsity> PlanFillSparsity(const spec::Architecture& architecture,
                                                             const spec::SparseOptimizations* sparse,
                                                             const mapping::LayerProgram& layer) {
  if (sparse == nullptr) return nullptr;
  auto sparsity = std::make_shared<models::FillSparsity>();
  bool any = false;
  for (const mapping::TransferProgram& transfer : layer.transfers) {
    models::TransferCompression compression;
    const spec::DataSpaceFormatSpec* parent = sparse->Format(transfer.parent, transfer.data_space);
    if (parent != nullptr && parent->Compressed() && !parent->ranks.empty()) {
      const spec::DataSpaceFormatSpec* own = sparse->Format(transfer.level, transfer.data_space);
      const spec::RankFormatSpec& innermost = parent->ranks.front();
      compression.compressed = true;
      compression.child_compressed = own != nullptr && own->Compressed();
      compression.metadata_per_value = innermost.format == "b" || innermost.format == "ub";
      compression.metadata_bits = innermost.format == "uop" ? 0 : innermost.metadata_word_bits;
      compression.word_bits = architecture.storage[transfer.parent].word_bits;
      any = true;
    }
    sparsity->transfers.push_back(compression);
  }
  return any ? sparsity : nullptr;
}

}  // namespace cyclops::top
