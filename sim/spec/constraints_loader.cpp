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
    const int64_t value = split->AsIntAtLeast(0);  // checked before narrowing to int
    if (value > static_cast<int64_t>(workload.dimensions.size()))
      split->Fail("split " + std::to_string(value) + " is beyond the " + std::to_string(workload.dimensions.size()) +
                      " dimensions", "0.." + std::to_string(workload.dimensions.size()));
    constraints.spatial_split = static_cast<int>(value);
  }
}

bool HasTemporal(const LevelConstraints& c) {
  return !c.temporal_factors.empty() || !c.temporal_permutation.empty();
}
bool HasSpatial(const LevelConstraints& c) {
  return !c.spatial_factors.empty() || !c.spatial_permutation.empty() || c.spatial_split.has_value();
}
bool HasDataSpaces(const LevelConstraints& c) {
  return !c.keep.empty() || !c.bypass.empty();
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

void LoadArchitectureConstraints(const YamlNode& node, const Workload& workload, Architecture& architecture) {
  node.ExpectMap("architecture constraints {targets: [...]}");
  node.CheckKeys({"targets"});
  auto targets = node.Find("targets");
  if (!targets) return;
  targets->ExpectList("a list of constraints {target, type, ...}");
  for (const YamlNode& target : targets->Items()) {
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
    auto it = std::find_if(architecture.constraints.begin(), architecture.constraints.end(),
                           [&](const LevelConstraints& c) { return c.level == level; });
    if (it == architecture.constraints.end()) {
      LevelConstraints fresh;
      fresh.level = level;
      fresh.where = target.Where();
      architecture.constraints.push_back(fresh);
      it = architecture.constraints.end() - 1;
    }
    LevelConstraints& constraints = *it;
    auto once = [&](bool already) {
      if (already)
        type_node.Fail("a second " + type + " constraint for " + architecture.storage[level].name +
                           " (it is also constrained at " + constraints.where.ToString() + ")",
                       "one constraint of each kind per target");
    };
    if (type == "temporal") {
      only_keys({"factors", "permutation"});
      once(HasTemporal(constraints));
      ReadTemporal(target, workload, constraints);
    } else if (type == "spatial") {
      only_keys({"factors", "permutation", "split"});
      once(HasSpatial(constraints));
      ReadSpatial(target, workload, constraints);
    } else if (type == "bypass" || type == "dataspace" || type == "datatype") {
      only_keys({"keep", "bypass"});
      once(HasDataSpaces(constraints));
      ReadKeepBypass(target, workload, constraints);
    } else {
      type_node.Fail("unknown constraint type '" + type + "'",
                     "temporal, spatial, bypass, dataspace, datatype");
    }
  }
  std::stable_sort(architecture.constraints.begin(), architecture.constraints.end(),
                   [](const LevelConstraints& a, const LevelConstraints& b) { return a.level < b.level; });
}

}  // namespace cyclops::spec
