// Where every instance of every level sits in the elaborated accelerator — the mapping compiler's target
// description, shared by the compiler (which emits physical instance numbers into the layer program) and by
// the accelerator (which elaborates exactly these instances). Derived from the Architecture alone.
//
// Conventions:
//   - A level's instances are laid out as its mesh_x × mesh_y (Timeloop's meshX × meshY); the physical
//     index of the instance at (x, y) is y · mesh_x + x. The MACs are level -1.
//   - A storage level with one instance per MAC is private to a PE; the others are shared.
//   - A PE cluster is the set of MACs under one instance of the innermost shared level (the "cluster
//     level"); levels with as many instances as the cluster level belong to their cluster, the others
//     (and always the outermost level) stand alone at the top of the accelerator.
//   - Instances under one parent are a contiguous block of the mesh (Timeloop's fan-out layout), so the
//     cluster of the MAC at (x, y) is (x / (MACs per cluster in x), y / (... in y)).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/spec/specs.h"

namespace cyclops::mapping {

struct MeshPoint {
  int64_t x = 0;
  int64_t y = 0;
};

class HardwareLayout {
 public:
  explicit HardwareLayout(const spec::Architecture& architecture);

  int levels() const { return static_cast<int>(levels_.size()); }
  int64_t Instances(int level) const;  // level -1: the MACs
  int64_t MeshX(int level) const;
  int64_t MeshY(int level) const;
  int64_t Physical(int level, MeshPoint point) const { return point.y * MeshX(level) + point.x; }
  MeshPoint Point(int level, int64_t physical) const {
    return {physical % MeshX(level), physical / MeshX(level)};
  }

  bool PrivateToPe(int level) const { return levels_[level].private_to_pe; }
  bool InCluster(int level) const { return levels_[level].in_cluster; }
  int cluster_level() const { return cluster_level_; }  // -1: one cluster, no shared level below the top
  int64_t clusters() const { return clusters_x_ * clusters_y_; }
  int64_t pes_per_cluster() const { return pe_x_ * pe_y_; }
  // The cluster a MAC (physical index) belongs to, and its index inside the cluster.
  int64_t ClusterOf(int64_t mac) const;
  int64_t LocalPe(int64_t mac) const;
  // The physical MAC index of PE `local` in cluster `cluster` (inverse of the two above).
  int64_t Mac(int64_t cluster, int64_t local) const;
  // A shared level InCluster has the clusters' mesh: its instance k belongs to cluster k.

 private:
  struct Level {
    int64_t instances = 1, mesh_x = 1, mesh_y = 1;
    bool private_to_pe = false;
    bool in_cluster = false;
  };
  std::vector<Level> levels_;  // storage levels, innermost first
  Level macs_;
  int cluster_level_ = -1;
  int64_t clusters_x_ = 1, clusters_y_ = 1;  // clusters laid out like the cluster level's instances
  int64_t pe_x_ = 1, pe_y_ = 1;              // MACs per cluster along x and y
};

}  // namespace cyclops::mapping
