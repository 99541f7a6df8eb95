#include "sim/mapping/hardware_layout.h"

#include <algorithm>

namespace cyclops::mapping {

HardwareLayout::HardwareLayout(const spec::Architecture& architecture) {
  const spec::ArithmeticSpec& mac = architecture.arithmetic;
  macs_ = {mac.instances, std::max<int64_t>(mac.mesh_x, 1), std::max<int64_t>(mac.mesh_y, 1), true, true};
  if (macs_.mesh_x * macs_.mesh_y != macs_.instances) macs_.mesh_x = macs_.instances, macs_.mesh_y = 1;
  const int top = static_cast<int>(architecture.storage.size()) - 1;
  for (int level = 0; level <= top; ++level) {
    const spec::StorageLevelSpec& spec = architecture.storage[level];
    Level entry{spec.instances, std::max<int64_t>(spec.mesh_x, 1), std::max<int64_t>(spec.mesh_y, 1)};
    if (entry.mesh_x * entry.mesh_y != entry.instances) entry.mesh_x = entry.instances, entry.mesh_y = 1;
    entry.private_to_pe = level != top && entry.instances == macs_.instances && entry.mesh_x == macs_.mesh_x;
    levels_.push_back(entry);
  }
  // The innermost shared level below the top whose mesh tiles the MACs' mesh evenly defines the clusters.
  for (int level = 0; level < top; ++level) {
    const Level& entry = levels_[level];
    if (entry.private_to_pe) continue;
    if (macs_.mesh_x % entry.mesh_x == 0 && macs_.mesh_y % entry.mesh_y == 0) {
      cluster_level_ = level;
      clusters_x_ = entry.mesh_x, clusters_y_ = entry.mesh_y;
    }
    break;
  }
  pe_x_ = macs_.mesh_x / clusters_x_, pe_y_ = macs_.mesh_y / clusters_y_;
  for (int level = 0; level < top; ++level) {
    Level& entry = levels_[level];
    entry.in_cluster = entry.private_to_pe ||
                       (cluster_level_ >= 0 && entry.mesh_x == clusters_x_ && entry.mesh_y == clusters_y_);
  }
}

int64_t HardwareLayout::Instances(int level) const {
  return level < 0 ? macs_.instances : levels_[level].instances;
}
int64_t HardwareLayout::MeshX(int level) const {
  return level < 0 ? macs_.mesh_x : levels_[level].mesh_x;
}
int64_t HardwareLayout::MeshY(int level) const {
  return level < 0 ? macs_.mesh_y : levels_[level].mesh_y;
}

int64_t HardwareLayout::ClusterOf(int64_t mac) const {
  const MeshPoint p = Point(-1, mac);
  return (p.y / pe_y_) * clusters_x_ + p.x / pe_x_;
}

int64_t HardwareLayout::LocalPe(int64_t mac) const {
  const MeshPoint p = Point(-1, mac);
  return (p.y % pe_y_) * pe_x_ + p.x % pe_x_;
}

int64_t HardwareLayout::Mac(int64_t cluster, int64_t local) const {
  const int64_t x = (cluster % clusters_x_) * pe_x_ + local % pe_x_;
  const int64_t y = (cluster / clusters_x_) * pe_y_ + local / pe_x_;
  return y * macs_.mesh_x + x;
}

}  // namespace cyclops::mapping
