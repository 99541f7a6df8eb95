#include "sim/sweep/sweep_points.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim/core/error.h"
#include "sim/spec/loader.h"

namespace cyclops::sweep {

namespace {

std::string ReadText(const std::string& path, const SourceLocation& where) {
  std::ifstream file(path);
  if (!file) throw SpecError(where, "cannot read " + path, "a readable file");
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

const spec::SweepParameter* FindParameter(const spec::SweepSpec& sweep, spec::SweepKeyKind kind) {
  for (const spec::SweepAxis& axis : sweep.axes)
    for (const spec::SweepParameter& parameter : axis.parameters)
      if (parameter.kind == kind) return &parameter;
  return nullptr;
}

// The options of a point's `cyclops map` step: `cyclops run`'s own defaults (EDP, latency without an ERT;
// the spec's seed) unless the point sets them, then one thread, since points run side by side.
std::vector<std::string> MapOptions(const spec::Spec& spec, const std::vector<std::string>& settings) {
  auto given = [&](const std::string& option) {
    for (size_t i = 0; i < settings.size(); i += 2)
      if (settings[i] == option) return true;
    return false;
  };
  std::vector<std::string> options;
  if (!given("--objective")) options.insert(options.end(), {"--objective", spec.energy ? "edp" : "latency"});
  if (!given("--seed")) options.insert(options.end(), {"--seed", std::to_string(spec.cyclops.seed)});
  options.insert(options.end(), settings.begin(), settings.end());
  options.insert(options.end(), {"--threads", "1"});
  return options;
}

// What decides a point's result: the command, its options, the map step's, every input file's text.
std::string PointKey(const std::string& command, const PointInputs& inputs) {
  std::string identity = command;
  auto add = [&](const std::string& part) {
    identity += '\0';
    identity += part;
  };
  for (const std::string& option : inputs.options) add(option);
  add("map:");
  for (const std::string& option : inputs.map_options) add(option);
  add("files:");
  for (const spec::PatchedDocument& document : inputs.documents) add(document.document.text);
  if (!inputs.network_file.empty()) add(ReadText(inputs.network_file, {}));
  return HashHex(identity);
}

}  // namespace

std::string HashHex(const std::string& text) {
  uint64_t hash = 0xcbf29ce484222325ull;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 0x100000001b3ull;
  }
  char buffer[17];
  std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(hash));
  return buffer;
}

std::vector<std::pair<std::string, std::string>> SweepPoint::Parameters() const {
  std::vector<std::pair<std::string, std::string>> parameters;
  for (const PointAssignment& assignment : assignments) {
    const bool file = assignment.parameter->kind == spec::SweepKeyKind::kFile;
    parameters.emplace_back(
        assignment.parameter->key,
        file ? std::filesystem::path(assignment.value).filename().string() : assignment.value);
  }
  return parameters;
}

std::string SweepPoint::Label() const {
  std::string label;
  for (const auto& [key, value] : Parameters()) label += (label.empty() ? "" : " ") + key + "=" + value;
  return label;
}

Sweep::Sweep(spec::SweepSpec spec) : spec_(std::move(spec)) {
  for (const std::string& file : spec_.files) base_.push_back({file, ReadText(file, spec_.where)});
}

SweepPoint Sweep::Point(size_t index) const {
  SweepPoint point;
  point.index = index;
  // Mixed radix, last axis fastest: the order nested loops over the axes as written would visit.
  std::vector<size_t> digits(spec_.axes.size());
  size_t rest = index;
  for (size_t a = spec_.axes.size(); a-- > 0;) {
    digits[a] = rest % spec_.axes[a].size();
    rest /= spec_.axes[a].size();
  }
  for (size_t a = 0; a < spec_.axes.size(); ++a)
    for (const spec::SweepParameter& parameter : spec_.axes[a].parameters)
      point.assignments.push_back({&parameter, parameter.values[digits[a]].text});
  return point;
}

PointInputs Sweep::Inputs(const SweepPoint& point) const {
  PointInputs inputs;
  std::vector<spec::SpecDocument> documents = base_;
  std::vector<spec::SpecAssignment> edits;
  inputs.options = spec_.options;
  inputs.network_file = spec_.network;
  std::vector<std::string> mapper_settings;  // mapper.* given by the point, as options of `cyclops map`
  for (const PointAssignment& assignment : point.assignments) {
    const spec::SweepParameter& parameter = *assignment.parameter;
    switch (parameter.kind) {
      case spec::SweepKeyKind::kFile:
        if (parameter.key == "network")
          inputs.network_file = assignment.value;
        else
          documents.push_back({assignment.value, ReadText(assignment.value, parameter.where)});
        break;
      case spec::SweepKeyKind::kMapper:
        mapper_settings.insert(mapper_settings.end(), {"--" + parameter.path[1], assignment.value});
        break;
      case spec::SweepKeyKind::kOption:
        inputs.options.insert(inputs.options.end(), {"--" + parameter.path[1], assignment.value});
        break;
      default:
        edits.push_back({&parameter, assignment.value});
    }
  }
  inputs.documents = spec::PatchSpecDocuments(documents, edits);

  std::vector<spec::SpecDocument> loaded;
  for (const spec::PatchedDocument& document : inputs.documents) loaded.push_back(document.document);
  spec::Spec spec;
  try {
    spec = spec::LoadSpecDocuments(loaded);
  } catch (const SpecError& error) {
    throw SpecError(
        error.where(),
        "at sweep point " + std::to_string(point.index) + " (" + point.Label() + "): " + error.problem(),
        error.valid());
  }
  const std::string at = "sweep point " + std::to_string(point.index) + " (" + point.Label() + ")";
  if (!spec.architecture)
    throw SpecError(spec_.where, at + ": no architecture in the spec files", "files: [...]");
  if (spec_.command != "network") {
    if (!spec.workload)
      throw SpecError(spec_.where, at + ": no problem in the spec files",
                      "a file giving 'problem', or a workload parameter");
    inputs.map_first = !spec.mapping.has_value();
    if (!inputs.map_first && !mapper_settings.empty())
      throw SpecError(FindParameter(spec_, spec::SweepKeyKind::kMapper)->where,
                      at + ": the spec files hold a mapping, so there is nothing to map",
                      "mapper settings with files that give no mapping");
  }
  if (inputs.map_first) inputs.map_options = MapOptions(spec, mapper_settings);
  inputs.key = PointKey(spec_.command, inputs);
  return inputs;
}

}  // namespace cyclops::sweep
