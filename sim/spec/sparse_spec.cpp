#include "sim/spec/sparse_spec.h"

#include "sim/spec/specs.h"

namespace cyclops::spec {

bool DataSpaceFormatSpec::Compressed() const {
  for (const RankFormatSpec& rank : ranks)
    if (rank.compressed) return true;
  return false;
}

bool DataSpaceFormatSpec::HasMetadata() const {
  if (Compressed() || ranks.size() > 1) return true;
  return !ranks.empty() && ranks[0].format != "u";
}

const StorageSparseSpec* SparseOptimizations::Level(int level) const {
  for (const StorageSparseSpec& spec : levels)
    if (spec.level == level) return &spec;
  return nullptr;
}

const DataSpaceFormatSpec* SparseOptimizations::Format(int level, int data_space) const {
  const StorageSparseSpec* spec = Level(level);
  if (spec == nullptr) return nullptr;
  for (const DataSpaceFormatSpec& format : spec->formats)
    if (format.data_space == data_space) return &format;
  return nullptr;
}

DensitySpec Workload::Density(int data_space) const {
  if (static_cast<size_t>(data_space) < densities.size()) return densities[data_space];
  return DensitySpec{};
}

bool Workload::HasSparseDensities() const {
  for (const DensitySpec& density : densities)
    if (!density.IsDense()) return true;
  return false;
}

}  // namespace cyclops::spec
