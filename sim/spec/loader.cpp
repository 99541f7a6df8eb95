#include "sim/spec/loader.h"

#include <algorithm>
#include <map>

#include "sim/spec/architecture_loader.h"
#include "sim/spec/attribute_suggestions.h"
#include "sim/spec/component_classes.h"
#include "sim/spec/constraints_loader.h"
#include "sim/spec/energy_loader.h"
#include "sim/spec/energy_names.h"
#include "sim/spec/mapper_loader.h"
#include "sim/spec/mapping_loader.h"
#include "sim/spec/mapspace_loader.h"
#include "sim/spec/sparse_loader.h"
#include "sim/spec/spec_file.h"
#include "sim/spec/value_checks.h"
#include "sim/spec/workload_loader.h"
#include "sim/spec/yaml_reader.h"

namespace cyclops::spec {

namespace {

// Top-level keys Cyclops builds specs from.
const std::vector<std::string> kUsedKeys = {"architecture", "architecture_constraints",
                                            "mapspace",     "mapspace_constraints",
                                            "problem",      "mapping",
                                            "ERT",          "mapper",
                                            "cyclops",      "compound_components",
                                            "sparse_optimizations",
                                            "components"};
// Keys Timeloop/Accelergy use that Cyclops reads past (listed in configs/README.md).
const std::vector<std::string> kNotedKeys = {
    "globals",     "variables",   "dumped_by_timeloop_front_end", "ART",
    "ART_summary", "ERT_summary"};
// Keys whose values several files contribute to (Timeloop and Accelergy take component classes from
// many files, e.g. tutorial-06's arch/components/*.yaml): every occurrence is kept, in file order.
const std::vector<std::string> kLibraryKeys = {"compound_components", "components"};

std::vector<std::string> ValidTopLevelKeys() {
  std::vector<std::string> keys = kUsedKeys;
  keys.insert(keys.end(), kNotedKeys.begin(), kNotedKeys.end());
  return keys;
}

// Merging rule: a top-level key may appear in one file only, except that an empty value (null, [] or
// {}) yields to a non-empty one. This lets timeloop-mapper.map.yaml's `mapping` replace the
// `mapping: []` of parsed-processed-input.yaml without allowing two files to silently disagree.
struct MergedFiles {
  std::map<std::string, YamlNode> keys;
  std::vector<YamlNode> component_libraries;  // every compound_components / components value
};

MergedFiles MergeTopLevel(const std::vector<YamlNode>& roots) {
  MergedFiles files;
  std::map<std::string, YamlNode>& merged = files.keys;
  const std::vector<std::string> valid = ValidTopLevelKeys();
  for (const YamlNode& root : roots) {
    if (root.IsNull()) continue;  // an empty file
    root.ExpectMap("a map of top-level keys (" + JoinNames(valid) + ")");
    for (const YamlNode::Entry& entry : root.Entries()) {
      if (std::find(valid.begin(), valid.end(), entry.key) == valid.end())
        throw SpecError(entry.key_where, "unknown top-level key '" + entry.key + "'", JoinNames(valid));
      if (std::count(kLibraryKeys.begin(), kLibraryKeys.end(), entry.key)) {
        files.component_libraries.push_back(entry.value);
        continue;
      }
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
  return files;
}

CyclopsSettings LoadCyclopsSettings(const YamlNode& node) {
  node.ExpectMap("Cyclops settings {clock_hz, seed, psum_bits, dram}");
  node.CheckKeys({"clock_hz", "seed", "psum_bits", "dram"});
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
  if (auto dram = node.Find("dram")) {
    dram->ExpectMap("a DRAM timing model {preset: NAME, PARAMETER: clocks, ...} (configs/README.md)");
    DramTimingSpec spec;
    const YamlNode preset = dram->Require("preset");
    spec.preset = preset.AsString();
    spec.where = preset.Where();
    for (const YamlNode::Entry& entry : dram->Entries())
      if (entry.key != "preset") spec.overrides[entry.key] = {entry.value.AsIntAtLeast(0), entry.key_where};
    settings.dram = std::move(spec);
  }
  return settings;
}

// Timeloop's mapper reads `mapspace` or `mapspace_constraints`, and refuses both.
std::optional<std::pair<std::string, YamlNode>> MapspaceKey(const std::map<std::string, YamlNode>& merged) {
  auto mapspace = merged.find("mapspace");
  auto constraints = merged.find("mapspace_constraints");
  const bool has_mapspace = mapspace != merged.end() && !mapspace->second.IsEmpty();
  const bool has_constraints = constraints != merged.end() && !constraints->second.IsEmpty();
  if (has_mapspace && has_constraints)
    constraints->second.Fail(
        "both 'mapspace' (" + mapspace->second.Where().ToString() + ") and 'mapspace_constraints' are given",
        "one of them, as Timeloop's mapper requires");
  if (has_mapspace) return std::make_pair(mapspace->first, mapspace->second);
  if (has_constraints) return std::make_pair(constraints->first, constraints->second);
  return std::nullopt;
}

Spec BuildSpec(const MergedFiles& files) {
  const std::map<std::string, YamlNode>& merged = files.keys;
  Spec spec;
  auto find = [&](const std::string& key) -> std::optional<YamlNode> {
    auto it = merged.find(key);
    if (it == merged.end() || it->second.IsEmpty()) return std::nullopt;
    return it->second;
  };
  for (const std::string& key : kNotedKeys) {
    if (!merged.count(key)) continue;
    spec.notes.push_back("read but not used: '" + key + "' (" + merged.at(key).Where().ToString() + ")");
  }
  if (auto cyclops = find("cyclops")) spec.cyclops = LoadCyclopsSettings(*cyclops);
  if (auto problem = find("problem")) spec.workload = LoadWorkload(*problem, spec.notes);
  spec.component_classes = LoadComponentClasses(files.component_libraries, spec.warnings);
  if (auto mapper = find("mapper")) spec.mapper = LoadMapperSpec(*mapper, spec.notes);
  const auto mapspace = MapspaceKey(merged);
  if (auto architecture = find("architecture")) {
    SuggestAttributeNames(*architecture, spec.component_classes, spec.warnings);
    spec.architecture = LoadArchitecture(*architecture, spec.workload ? &*spec.workload : nullptr);
    if (!spec.workload && (architecture->Find("nodes") || find("architecture_constraints") || mapspace))
      spec.notes.push_back("architecture and mapspace constraints not checked: no problem given");
  }
  if (spec.architecture) {
    const std::optional<YamlNode> sparse = find("sparse_optimizations");
    if (sparse && !spec.workload)
      sparse->Fail("sparse optimizations need a problem", "a file giving 'problem'");
    if (spec.workload)
      spec.sparse = LoadSparseOptimizations(*find("architecture"), sparse, *spec.architecture, *spec.workload,
                                            spec.notes);
  } else if (auto sparse = find("sparse_optimizations")) {
    sparse->Fail("sparse optimizations need an architecture", "a file giving 'architecture'");
  }
  if (auto constraints = find("architecture_constraints")) {
    if (!spec.architecture)
      constraints->Fail("architecture constraints need an architecture", "a file giving 'architecture'");
    if (spec.workload) LoadArchitectureConstraints(*constraints, *spec.workload, *spec.architecture);
  }
  if (mapspace) {
    if (!spec.architecture)
      mapspace->second.Fail("mapspace constraints need an architecture", "a file giving 'architecture'");
    if (spec.workload)
      LoadMapspaceConstraints(mapspace->second, mapspace->first, *spec.workload, *spec.architecture,
                              spec.notes);
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
