// Why a PE waited for an operand: the stage that delivered it last. Causes are numbered per (level, data
// space, kind) in the running layer, plus one last slot for the pipeline filling up at the start.
#pragma once

namespace cyclops::models {

// kMacRead: the MACs' own reads of the level (its read bandwidth, shared by the MACs under an instance).
enum class StallKind { kParentTile, kParentRead, kNetwork, kChildWrite, kMacRead, kCount };

inline int StallCause(int level, int data_space, int data_spaces, StallKind kind) {
  return (level * data_spaces + data_space) * static_cast<int>(StallKind::kCount) + static_cast<int>(kind);
}
inline int StallCauses(int levels, int data_spaces) {
  return levels * data_spaces * static_cast<int>(StallKind::kCount) + 1;
}
inline int FillStallCause(int levels, int data_spaces) {
  return StallCauses(levels, data_spaces) - 1;
}

}  // namespace cyclops::models
