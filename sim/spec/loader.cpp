#include "sim/spec/loader.h"

#include <algorithm>
#include <map>

#include "sim/spec/architecture_loader.h"
#include "sim/spec/constraints_loader.h"
#include "sim/spec/energy_loader.h"
#include "sim/spec/energy_names.h"
#include "sim/spec/mapping_loader.h"
#include "sim/spec/spec_file.h"
#include "sim/spec/value_checks.h"
#include "sim/spec/workload_loader.h"
#include "sim/spec/yaml_reader.h"

namespace cyclops::spec {

namespace {

// Top-level keys Cyclops builds specs from.
const std::vector<std::string> kUsedKeys = {
    "architecture", "architecture_constraints", "problem", "mapping", "ERT", "cyclops"};
// Keys Timeloop/Accelergy use that Cyclops reads past (listed in configs/README.md).
const std::vector<std::string> kNotedKeys = {
    "mapper",  "mapspace",    "mapspace_constraints", "compound_components",
    "globals", "variables",   "components",           "dumped_by_timeloop_front_end",
    "ART",     "ART_summary", "ERT_summary",          "sparse_optimizations"};

std::vector<std::string> ValidTopLevelKeys() {
  std::vector<std::string> keys = kUsedKeys;
  keys.insert(keys.end(), kNotedKeys.begin(), kNotedKeys.end());
  return keys;
}

// Merging rule: a top-level key may appear in one file only, except that an empty value (null, [] or
// {}) yields to a non-empty one. This lets timeloop-mapper.map.yaml's `mapping` replace the
// `mapping: []` of parsed-processed-input.yaml without allowing two files to silently disagree.
std::map<std::string, YamlNode> MergeTopLevel(const std::vector<YamlNode>& roots) {
  std::map<std::string, YamlNode> merged;
  const std::vector<std::string> valid = ValidTopLevelKeys();
  for (const YamlNode& root : roots) {
    if (root.IsNull()) continue;  // an empty file
    root.ExpectMap("a map of top-level keys (" + JoinNames(valid) + ")");
    for (const YamlNode::Entry& entry : root.Entries()) {
      if (std::find(valid.begin(), valid.end(), entry.key) == valid.end())
        throw SpecError(entry.key_where, "unknown top-level key '" + entry.key + "'", JoinNames(valid));
      auto existing = merged.find(entry.key);
      if (existing == merged.end() || existing->second.IsEmpty()) {
        merged.insert_or_assign(entry.key, entry.value);
      } else if (!entry.value.IsEmpty()) {
        throw SpecError(
            entry.key_where,
            "top-level key '" + entry.key + "' is also given at " + existing->second.Where().ToString(),
            "each top-level key in one file only (an empty [] or {} may be overridden)");
      }
    }
  }
  return merged;
}

CyclopsSettings LoadCyclopsSettings(const YamlNode& node) {
  node.ExpectMap("Cyclops settings {clock_hz, seed, psum_bits}");
  node.CheckKeys({"clock_hz", "seed", "psum_bits"});
  CyclopsSettings settings;
  settings.where = node.Where();
  if (auto clock = node.Find("clock_hz")) {
    settings.clock_hz = ClockHzValue(*clock, "clock_hz");
  }
  if (auto seed = node.Find("seed")) settings.seed = static_cast<uint64_t>(seed->AsIntAtLeast(0));
  if (auto psum_bits = node.Find("psum_bits")) {
    const int64_t bits = psum_bits->AsIntAtLeast(1);  // checked before narrowing to int
    if (bits > 64) psum_bits->Fail("psum_bits above 64 is not supported", "1..64");
    settings.psum_bits = static_cast<int>(bits);
  }
  return settings;
}

Spec BuildSpec(const std::map<std::string, YamlNode>& merged) {
  Spec spec;
  auto find = [&](const std::string& key) -> std::optional<YamlNode> {
    auto it = merged.find(key);
    if (it == merged.end() || it->second.IsEmpty()) return std::nullopt;
    return it->second;
  };
  for (const std::string& key : kNotedKeys) {
    if (!merged.count(key)) continue;
    if (key == "sparse_optimizations" && find(key))
      find(key)->Fail("sparse workloads are not supported", "no sparse_optimizations (dense only)");
    spec.notes.push_back("read but not used: '" + key + "' (" + merged.at(key).Where().ToString() + ")");
  }
  if (auto cyclops = find("cyclops")) spec.cyclops = LoadCyclopsSettings(*cyclops);
  if (auto problem = find("problem")) spec.workload = LoadWorkload(*problem, spec.notes);
  if (auto architecture = find("architecture")) {
    spec.architecture = LoadArchitecture(*architecture, spec.workload ? &*spec.workload : nullptr);
    if (!spec.workload && (architecture->Find("nodes") || find("architecture_constraints")))
      spec.notes.push_back("architecture constraints not checked: no problem given");
  }
  if (auto constraints = find("architecture_constraints")) {
    if (!spec.architecture)
      constraints->Fail("architecture constraints need an architecture", "a file giving 'architecture'");
    if (spec.workload) LoadArchitectureConstraints(*constraints, *spec.workload, *spec.architecture);
  }
  if (auto mapping = find("mapping")) {
    if (!spec.architecture || !spec.workload)
      mapping->Fail("a mapping needs an architecture and a problem",
                    "files giving 'architecture' and 'problem'");
    spec.mapping = LoadMapping(*mapping, *spec.architecture, *spec.workload);
  }
  if (auto ert = find("ERT")) spec.energy = LoadEnergyTable(*ert);
  if (spec.energy && spec.architecture) CheckEnergyNames(*spec.energy, *spec.architecture, spec.notes);
  return spec;
}

}  // namespace

Spec LoadSpecDocuments(const std::vector<SpecDocument>& documents) {
  try {
    std::vector<YamlNode> roots;
    for (const SpecDocument& document : documents)
      roots.push_back(ParseYamlDocument(document.name, document.text));
    Spec spec = BuildSpec(MergeTopLevel(roots));
    for (const SpecDocument& document : documents) spec.files.push_back(document.name);
    return spec;
  } catch (const YAML::Exception& error) {
    // Every conversion is checked before yaml-cpp sees it; this is the last guard against a crash.
    throw SpecError({"", error.mark.line + 1, error.mark.column + 1, ""}, "YAML error: " + error.msg);
  }
}

Spec LoadSpecFiles(const std::vector<std::string>& paths) {
  std::vector<SpecDocument> documents;
  for (const std::string& path : paths) documents.push_back({path, ReadSpecFile(path)});
  return LoadSpecDocuments(documents);
}

}  // namespace cyclops::spec
