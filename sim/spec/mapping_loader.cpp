#include "sim/spec/mapping_loader.h"

#include <algorithm>

#include "sim/core/checked_math.h"
#include "sim/spec/loop_directives.h"

namespace cyclops::spec {

namespace {

const char* const kTypes = "temporal, spatial, bypass, dataspace, datatype";

struct LevelDirectives {
  std::optional<YamlNode> temporal;
  std::optional<YamlNode> spatial;
  std::optional<YamlNode> keep;
};

void ApplyLoop(const YamlNode& directive, const Workload& workload, std::vector<int64_t>& factors,
               std::vector<int64_t>& residuals, std::vector<int>& permutation) {
  if (auto factor_node = directive.Find("factors")) {
    const std::vector<Factor> parsed = ParseFactors(*factor_node, workload);
    for (const Factor& factor : parsed) factors[factor.dimension] = factor.value;
    for (const Factor& factor : parsed) {
      if (factor.residual == 0 || factor.residual == factor.value) continue;
      if (residuals.empty()) residuals = factors;  // a residual of its own only where one is written
      residuals[factor.dimension] = factor.residual;
    }
  }
  std::vector<int> partial;
  if (auto permutation_node = directive.Find("permutation"))
    partial = ParsePermutation(*permutation_node, workload);
  permutation = CompletePermutation(partial, static_cast<int>(workload.dimensions.size()));
}

void ApplyKeep(const YamlNode& directive, const Workload& workload, std::vector<bool>& keep) {
  std::vector<int> kept;
  if (auto keep_node = directive.Find("keep")) kept = ParseDataSpaceList(*keep_node, workload);
  if (auto bypass_node = directive.Find("bypass")) {
    for (int space : ParseDataSpaceList(*bypass_node, workload)) {
      if (std::count(kept.begin(), kept.end(), space))
        bypass_node->Fail("data space " + workload.data_spaces[space].name + " is both kept and bypassed",
                          "each data space in keep or in bypass, not both");
      keep[space] = false;
    }
  }
  for (int space : kept) keep[space] = true;
}

// Spatial factors must fit the fan-out from this level to the one below it, per mesh axis.
void CheckSpatialFit(const Mapping& mapping, const Architecture& architecture,
                     const std::vector<LevelDirectives>& directives) {
  for (size_t i = 0; i < architecture.storage.size(); ++i) {
    const StorageLevelSpec& level = architecture.storage[i];
    const LevelMapping& level_mapping = mapping.levels[i];
    int64_t inner_x = i == 0 ? architecture.arithmetic.mesh_x : architecture.storage[i - 1].mesh_x;
    int64_t inner_y = i == 0 ? architecture.arithmetic.mesh_y : architecture.storage[i - 1].mesh_y;
    int64_t fan_out[2] = {inner_x / level.mesh_x, inner_y / level.mesh_y};
    std::optional<int64_t> used[2] = {1, 1};  // nothing: beyond 2^63
    for (size_t position = 0; position < level_mapping.spatial_permutation.size(); ++position) {
      int dimension = level_mapping.spatial_permutation[position];
      std::optional<int64_t>& product =
          used[static_cast<int>(position) < level_mapping.spatial_split ? 0 : 1];
      if (product) product = CheckedMul(*product, level_mapping.spatial_factors[dimension]);
    }
    for (int axis = 0; axis < 2; ++axis) {
      if (used[axis] && *used[axis] <= fan_out[axis]) continue;
      const char* mesh = axis == 0 ? "X" : "Y";
      const std::string excess = used[axis] ? std::to_string(*used[axis]) + ", " +
                                                  std::to_string(*used[axis] - fan_out[axis]) + " more than"
                                            : std::string("more than 2^63, above");
      std::string problem = "spatial factors in " + std::string(mesh) + " multiply to " + excess +
                            " the mesh" + mesh + " fan-out " + std::to_string(fan_out[axis]) + " below " +
                            level.name;
      std::string valid = "a product <= " + std::to_string(fan_out[axis]) + " in " + mesh +
                          " (split: permutation positions before 'split' are X, the rest Y)";
      if (directives[i].spatial) directives[i].spatial->Fail(problem, valid);
      throw SpecError(level.where, problem, valid);
    }
  }
}

void CheckProducts(const YamlNode& node, const Mapping& mapping, const Workload& workload) {
  for (size_t d = 0; d < workload.dimensions.size(); ++d) {
    std::optional<int64_t> product = 1;  // nothing: beyond 2^63
    bool imperfect = false;
    for (const LevelMapping& level : mapping.levels) {
      if (product) product = CheckedMul(*product, level.temporal_factors[d]);
      if (product) product = CheckedMul(*product, level.spatial_factors[d]);
      imperfect = imperfect || level.TemporalResidual(static_cast<int>(d)) != level.temporal_factors[d] ||
                  level.SpatialResidual(static_cast<int>(d)) != level.spatial_factors[d];
    }
    const std::string& name = workload.dimensions[d];
    if (!imperfect && product != workload.bounds[d])
      node.Fail("factors of dimension " + name + " multiply to " +
                    (product ? std::to_string(*product) : std::string("more than 2^63")) +
                    " over all levels, but the problem bound is " + std::to_string(workload.bounds[d]),
                "temporal × spatial factors of " + name + " across all levels = " +
                    std::to_string(workload.bounds[d]) + " (or imperfect factors with residuals, 'Q=14,13')");
    const int64_t bound = mapping.Bound(static_cast<int>(d));
    if (imperfect && bound != workload.bounds[d])
      node.Fail("factors and residuals of dimension " + name + " make a bound of " + std::to_string(bound) +
                    ", but the problem bound is " + std::to_string(workload.bounds[d]),
                "outermost first, (residual - 1) × (product of the factors inside) summed over " + name +
                    "'s loops, plus 1, = " + std::to_string(workload.bounds[d]) +
                    " (Timeloop's rule; e.g. Q=27 as an outer Q=2 and an inner Q=14,13)");
  }
}

}  // namespace

Mapping LoadMapping(const YamlNode& node, const Architecture& architecture, const Workload& workload) {
  const size_t dimensions = workload.dimensions.size();
  Mapping mapping;
  mapping.where = node.Where();
  std::vector<int> identity = CompletePermutation({}, static_cast<int>(dimensions));
  for (const StorageLevelSpec& level : architecture.storage) {
    LevelMapping level_mapping;
    level_mapping.temporal_factors.assign(dimensions, 1);
    level_mapping.spatial_factors.assign(dimensions, 1);
    level_mapping.temporal_permutation = identity;
    level_mapping.spatial_permutation = identity;
    level_mapping.spatial_split = static_cast<int>(dimensions);
    // Without a bypass directive a real level keeps everything; a fan-out point holds nothing.
    level_mapping.keep.assign(workload.data_spaces.size(), !level.is_dummy);
    level_mapping.temporal_where = level_mapping.spatial_where = level_mapping.keep_where = level.where;
    mapping.levels.push_back(level_mapping);
  }

  std::vector<LevelDirectives> directives(architecture.storage.size());
  for (const YamlNode& directive : node.Items()) {
    directive.ExpectMap("a mapping directive {target, type, ...}");
    directive.CheckKeys({"target", "type", "factors", "permutation", "split", "keep", "bypass"});
    int level = ResolveTarget(directive.Require("target"), architecture);
    YamlNode type_node = directive.Require("type");
    std::string type = type_node.AsString();
    LevelMapping& level_mapping = mapping.levels[level];
    auto only_keys = [&](std::initializer_list<const char*> allowed) {
      std::vector<std::string> keys = {"target", "type"};
      keys.insert(keys.end(), allowed.begin(), allowed.end());
      directive.CheckKeys(keys);
    };
    auto first_of_kind = [&](std::optional<YamlNode>& slot) {
      if (slot)
        type_node.Fail("a second " + type + " directive for " + architecture.storage[level].name +
                           " (first at " + slot->Where().ToString() + ")",
                       "one directive of each kind per target");
      slot = directive;
    };
    if (type == "temporal") {
      only_keys({"factors", "permutation"});
      first_of_kind(directives[level].temporal);
      ApplyLoop(directive, workload, level_mapping.temporal_factors, level_mapping.temporal_residuals,
                level_mapping.temporal_permutation);
      level_mapping.temporal_where = directive.Where();
    } else if (type == "spatial") {
      only_keys({"factors", "permutation", "split"});
      first_of_kind(directives[level].spatial);
      ApplyLoop(directive, workload, level_mapping.spatial_factors, level_mapping.spatial_residuals,
                level_mapping.spatial_permutation);
      if (auto split = directive.Find("split")) {
        int64_t value = split->AsIntAtLeast(0);
        if (value > static_cast<int64_t>(dimensions))
          split->Fail("split " + std::to_string(value) + " is beyond the " + std::to_string(dimensions) +
                          " permutation positions",
                      "0.." + std::to_string(dimensions));
        level_mapping.spatial_split = static_cast<int>(value);
      }
      level_mapping.spatial_where = directive.Where();
    } else if (type == "bypass" || type == "dataspace" || type == "datatype") {
      only_keys({"keep", "bypass"});
      first_of_kind(directives[level].keep);
      ApplyKeep(directive, workload, level_mapping.keep);
      level_mapping.keep_where = directive.Where();
    } else {
      type_node.Fail("unknown mapping directive type '" + type + "'", kTypes);
    }
  }
  CheckProducts(node, mapping, workload);
  CheckSpatialFit(mapping, architecture, directives);
  return mapping;
}

}  // namespace cyclops::spec
