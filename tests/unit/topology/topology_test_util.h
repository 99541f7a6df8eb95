// Helpers shared by the topology tests: building by name with integer parameters, and node lookup by name.
#pragma once

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <utility>

#include "noc/topology/topology_builder.h"

namespace cyclops::noc::topology::test {

inline Topology Build(const std::string& builder,
                      std::initializer_list<std::pair<const char*, std::int64_t>> values = {}) {
  TopologyParams params;
  for (const auto& [name, value] : values) params.values[name] = value;
  return BuildTopology(builder, params);
}

inline NodeId Id(const Topology& topology, const std::string& name) {
  const std::optional<NodeId> id = topology.FindNode(name);
  EXPECT_TRUE(id.has_value()) << "no node " << name;
  return id.value_or(0);
}

}  // namespace cyclops::noc::topology::test
