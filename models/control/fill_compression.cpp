// FillEngine's compressed transfers (transfer_compression.h), apart from the dense path in fill_engine.cpp.
#include <algorithm>

#include "models/control/fill_engine.h"

namespace cyclops::models {

int64_t FillEngine::WordsMoved(int64_t dense, int64_t nonzeros) const {
  if (!compression_.compressed) return dense;
  return nonzeros + compression_.MetadataWords(dense, nonzeros);
}

Cycle FillEngine::ScheduleCompressed(StorageCore& core, Access access, Cycle at, int64_t start, int64_t dense,
                                     int64_t nonzeros, bool compressed_here, int level) {
  if (!compression_.compressed || !compressed_here) return core.Schedule(access, d_, at, start, dense);
  const int64_t words = WordsMoved(dense, nonzeros);
  const int64_t metadata = words - nonzeros;
  if (words == 0) {  // nothing stored: every value is an absent zero
    core.Slot(access, d_) += static_cast<uint64_t>(dense);
    core.SparseSlot(SparseAction::kAbsent, access, d_) += static_cast<uint64_t>(dense);
    return at;
  }
  // The words sit where the dense values would; a compressed run longer than them (metadata heavier than
  // the zeros it saves) is moved back to stay inside the layer's address space.
  const int64_t space = layer_.address_space[static_cast<size_t>(level)];
  start = std::clamp<int64_t>(start, 0, std::max<int64_t>(0, space - words));
  const Cycle done = core.Schedule(access, d_, at, start, std::min(words, space));
  // Counted as the dense accesses (the algorithmic count), the zeros absent, the metadata words apart.
  core.Slot(access, d_) += static_cast<uint64_t>(dense) - static_cast<uint64_t>(std::min(words, space));
  core.SparseSlot(SparseAction::kAbsent, access, d_) += static_cast<uint64_t>(dense - nonzeros);
  core.MetadataSlot(access, d_) += static_cast<uint64_t>(metadata);
  return done;
}

}  // namespace cyclops::models
