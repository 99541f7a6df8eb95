// Flattens Timeloop's architecture tree into a list of components, outermost first, with instance
// counts and meshes resolved. Two written forms are read:
//   - v0.4 `nodes:` with !Container / !Component / !Parallel / !Hierarchical / !Nothing tags. A container
//     with `spatial: {meshX, meshY}` fans out: as Timeloop's front end does, a dummy storage level
//     `inter_<container>_spatial` is inserted (instances = those above the fan-out) and everything below
//     is multiplied. Container attributes are inherited by what follows unless overridden.
//   - the `subtree:` / `local:` form the front end dumps (parsed-processed-input.yaml), where names like
//     `ifmap_spad[1..168]` carry the instance count and meshX/meshY are attributes.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sim/spec/yaml_reader.h"

namespace cyclops::spec {

struct FlatComponent {
  explicit FlatComponent(YamlNode written) : node(std::move(written)) {}

  std::string name;
  std::string component_class;
  std::string subclass;
  bool is_dummy = false;
  int64_t instances = 1;
  int64_t mesh_x = 1;
  int64_t mesh_y = 1;
  std::map<std::string, YamlNode> attributes;  // effective: inherited ones overridden by the component's own
  std::optional<YamlNode> constraints;
  std::optional<YamlNode> sparse_optimizations;  // Sparseloop's per-component block (sim/spec/sparse_loader)
  YamlNode node;                                 // where the component was written
};

std::vector<FlatComponent> FlattenArchitecture(const YamlNode& architecture);

}  // namespace cyclops::spec
