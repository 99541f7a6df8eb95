// Topology builders register themselves by name (DESIGN.md decision 11), one line in their own .cpp:
//
//   CYCLOPS_REGISTER_TOPOLOGY("mesh2d", Mesh2dBuilder);
//
// and specs choose one by that name through BuildTopology. Adding a topology touches no other file.
#pragma once

#include <memory>
#include <string>

#include "noc/topology/topology.h"
#include "noc/topology/topology_params.h"
#include "sim/core/registry.h"

namespace cyclops::noc::topology {

class TopologyBuilder {
 public:
  virtual ~TopologyBuilder() = default;
  // SpecError (naming the builder and the parameter) on a missing, mistyped, out-of-range or unknown
  // parameter.
  virtual Topology Build(const TopologyParams& params) const = 0;
};

using TopologyRegistry = Registry<TopologyBuilder>;

// The topology made by the builder registered as `builder`. SpecError listing the known builders if there
// is none by that name.
Topology BuildTopology(const std::string& builder, const TopologyParams& params);

}  // namespace cyclops::noc::topology

#define CYCLOPS_REGISTER_TOPOLOGY(name, Type)                     \
  [[maybe_unused]] static const bool kRegisteredTopology_##Type = \
      ::cyclops::noc::topology::TopologyRegistry::Add(name, [] { return std::make_unique<Type>(); })
