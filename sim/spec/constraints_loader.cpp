#include "sim/spec/constraints_loader.h"

#include <algorithm>

#include "sim/spec/loop_directives.h"

namespace cyclops::spec {

namespace {

// Reads `keep` / `bypass` from a map (a component's `dataspace:` or a top-level bypass target).
void ReadKeepBypass(const YamlNode& node, const Workload& workload, LevelConstraints& constraints) {
  if (auto keep = node.Find("keep")) constraints.keep = ParseDataSpaceList(*keep, workload);
  if (auto bypass = node.Find("bypass")) {
    constraints.bypass = ParseDataSpaceList(*bypass, workload);
    for (int space : constraints.bypass)
      if (std::count(constraints.keep.begin(), constraints.keep.end(), space))
        bypass->Fail("data space " + workload.data_spaces[space].name + " is both kept and bypassed",
                     "each data space in keep or bypass, not both");
  }
}

// Factors may be 0 in constraints (Timeloop: "whatever remains").
std::vector<std::pair<int, int64_t>> ReadFactors(const YamlNode& node, const Workload& workload) {
  std::vector<std::pair<int, int64_t>> result;
  for (const Factor& factor : ParseFactors(node, workload, 0))
    result.emplace_back(factor.dimension, factor.value);
  return result;
}

void ReadTemporal(const YamlNode& node, const Workload& workload, LevelConstraints& constraints) {
  if (auto f = node.Find("factors")) constraints.temporal_factors = ReadFactors(*f, workload);
  if (auto p = node.Find("permutation")) constraints.temporal_permutation = ParsePermutation(*p, workload);
}

void ReadSpatial(const YamlNode& node, const Workload& workload, LevelConstraints& constraints) {
  if (auto f = node.Find("factors")) constraints.spatial_factors = ReadFactors(*f, workload);
  if (auto p = node.Find("permutation")) constraints.spatial_permutation = ParsePermutation(*p, workload);
  if (auto split = node.Find("split")) {
    // Timeloop's constraints write 999 for "every dimension along X": beyond the rank means all of it,
    // clamped before narrowing to int.
    const int64_t value =
        std::min<int64_t>(split->AsIntAtLeast(0), static_cast<int64_t>(workload.dimensions.size()));
    constraints.spatial_split = static_cast<int>(value);
  }
}

// Adds one constraint's part to what a level already has, refusing what Timeloop calls a
// "re-specification": a factor of the same dimension, a second permutation or split, or the same data
// space kept or bypassed twice (architecture, architecture_constraints and mapspace constraints all
// constrain the same mapspace, so they may complement each other but not overlap).
void MergeInto(LevelConstraints& into, const LevelConstraints& part, const YamlNode& at,
               const std::string& level, const Workload& workload) {
  auto twice = [&](const std::string& what) {
    at.Fail(what + " of " + level + " is constrained twice (also at " + into.where.ToString() + ")",
            "each factor, permutation, split and data space constrained once per level");
  };
  auto merge_factors = [&](std::vector<std::pair<int, int64_t>>& to,
                           const std::vector<std::pair<int, int64_t>>& from, const std::string& kind) {
    for (const auto& factor : from) {
      for (const auto& earlier : to)
        if (earlier.first == factor.first) twice(kind + " factor " + workload.dimensions[factor.first]);
      to.push_back(factor);
    }
  };
  merge_factors(into.temporal_factors, part.temporal_factors, "the temporal");
  merge_factors(into.spatial_factors, part.spatial_factors, "the spatial");
  if (!part.temporal_permutation.empty()) {
    if (!into.temporal_permutation.empty()) twice("the temporal permutation");
    into.temporal_permutation = part.temporal_permutation;
  }
  if (!part.spatial_permutation.empty()) {
    if (!into.spatial_permutation.empty()) twice("the spatial permutation");
    into.spatial_permutation = part.spatial_permutation;
  }
  if (part.spatial_split) {
    if (into.spatial_split) twice("the spatial split");
    into.spatial_split = part.spatial_split;
  }
  auto listed = [&](int space) {
    return std::count(into.keep.begin(), into.keep.end(), space) ||
           std::count(into.bypass.begin(), into.bypass.end(), space);
  };
  for (int space : part.keep) {
    if (listed(space)) twice("keep/bypass of " + workload.data_spaces[space].name);
    into.keep.push_back(space);
  }
  for (int space : part.bypass) {
    if (listed(space)) twice("keep/bypass of " + workload.data_spaces[space].name);
    into.bypass.push_back(space);
  }
}

}  // namespace

LevelConstraints LoadComponentConstraints(const YamlNode& node, int level, const Workload& workload) {
  node.ExpectMap("constraints {dataspace, temporal, spatial}");
  node.CheckKeys({"dataspace", "temporal", "spatial"});
  LevelConstraints constraints;
  constraints.level = level;
  constraints.where = node.Where();
  if (auto dataspace = node.Find("dataspace")) {
    dataspace->ExpectMap("{keep, bypass}");
    dataspace->CheckKeys({"keep", "bypass"});
    ReadKeepBypass(*dataspace, workload, constraints);
  }
  if (auto temporal = node.Find("temporal")) {
    temporal->ExpectMap("{factors, permutation}");
    temporal->CheckKeys({"factors", "permutation"});
    ReadTemporal(*temporal, workload, constraints);
  }
  if (auto spatial = node.Find("spatial")) {
    spatial->ExpectMap("{factors, permutation, split}");
    spatial->CheckKeys({"factors", "permutation", "split"});
    ReadSpatial(*spatial, workload, constraints);
  }
  return constraints;
}

void LoadConstraintTargets(const YamlNode& targets, const Workload& workload, Architecture& architecture) {
  targets.ExpectList("a list of constraints {target, type, ...}");
  for (const YamlNode& target : targets.Items()) {
    target.ExpectMap("a constraint {target, type, ...}");
    target.CheckKeys({"target", "type", "factors", "permutation", "split", "keep", "bypass"});
    const int level = ResolveTarget(target.Require("target"), architecture);
    const YamlNode type_node = target.Require("type");
    const std::string type = type_node.AsString();
    auto only_keys = [&](std::initializer_list<const char*> allowed) {
      std::vector<std::string> keys = {"target", "type"};
      keys.insert(keys.end(), allowed.begin(), allowed.end());
      target.CheckKeys(keys);
    };
    LevelConstraints part;
    if (type == "temporal") {
      only_keys({"factors", "permutation"});
      ReadTemporal(target, workload, part);
    } else if (type == "spatial") {
      only_keys({"factors", "permutation", "split"});
      ReadSpatial(target, workload, part);
    } else if (type == "bypass" || type == "dataspace" || type == "datatype") {
      only_keys({"keep", "bypass"});
      ReadKeepBypass(target, workload, part);
    } else {
      type_node.Fail("unknown constraint type '" + type + "'",
                     "temporal, spatial, bypass, dataspace, datatype");
    }
    auto it = std::find_if(architecture.constraints.begin(), architecture.constraints.end(),
                           [&](const LevelConstraints& c) { return c.level == level; });
    if (it == architecture.constraints.end()) {
      LevelConstraints fresh;
      fresh.level = level;
      fresh.where = target.Where();
      architecture.constraints.push_back(fresh);
      it = architecture.constraints.end() - 1;
    }
    MergeInto(*it, part, type_node, architecture.storage[level].name, workload);
  }
  std::stable_sort(architecture.constraints.begin(), architecture.constraints.end(),
                   [](const LevelConstraints& a, const LevelConstraints& b) { return a.level < b.level; });
}

void LoadArchitectureConstraints(const YamlNode& node, const Workload& workload, Architecture& architecture) {
  node.ExpectMap("architecture constraints {targets: [...]}");
  node.CheckKeys({"targets"});
  if (auto targets = node.Find("targets")) LoadConstraintTargets(*targets, workload, architecture);
}

}  // namespace cyclops::spec
