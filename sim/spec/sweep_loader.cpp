#include "sim/spec/sweep_loader.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "sim/spec/yaml_reader.h"

namespace cyclops::spec {

namespace {

namespace fs = std::filesystem;

const std::vector<std::string> kCommands = {"analyze", "run", "network"};
const std::vector<std::string> kMapperKeys = {"objective", "evaluations", "seed"};
const std::vector<std::string> kObjectives = {"edp", "energy", "latency"};
constexpr size_t kMaxValues = 100000;  // per range: a typo in a step must not allocate the machine away

const char* kKeyForms =
    "architecture.<component>.<attribute>, architecture.<component>.spatial.meshX|meshY, noc.<param>, "
    "problem.<path>, cyclops.<setting>, mapper.objective|evaluations|seed, option.<name>, or a file slot: "
    "architecture, workload, mapping, energy, network";

std::string ResolvePath(const std::string& path, const std::string& base_dir) {
  fs::path resolved = fs::path(path).is_absolute() ? fs::path(path) : fs::path(base_dir) / path;
  return resolved.lexically_normal().string();
}

std::string ExistingFile(const YamlNode& node, const std::string& base_dir) {
  const std::string path = ResolvePath(node.AsString(), base_dir);
  if (!fs::is_regular_file(path))
    node.Fail("no such file: " + path, "a path relative to the sweep file's folder, or an absolute one");
  return path;
}

std::vector<std::string> Split(const std::string& key) {
  std::vector<std::string> parts;
  std::stringstream stream(key);
  for (std::string part; std::getline(stream, part, '.');) parts.push_back(part);
  if (!key.empty() && key.back() == '.') parts.push_back("");
  return parts;
}

bool IsIntegerText(const std::string& text) {
  size_t start = !text.empty() && (text[0] == '-' || text[0] == '+') ? 1 : 0;
  if (start == text.size()) return false;
  for (size_t i = start; i < text.size(); ++i)
    if (text[i] < '0' || text[i] > '9') return false;
  return true;
}

std::string NumberText(double value, bool integral) {
  char buffer[64];
  if (integral)
    std::snprintf(buffer, sizeof buffer, "%lld", static_cast<long long>(std::llround(value)));
  else
    std::snprintf(buffer, sizeof buffer, "%.12g", value);
  return buffer;
}

// {from, to, step} (inclusive, arithmetic) or {from, to, factor} (inclusive, geometric).
std::vector<SweepValue> RangeValues(const YamlNode& node) {
  node.CheckKeys({"from", "to", "step", "factor"});
  const YamlNode from = node.Require("from"), to = node.Require("to");
  const auto step = node.Find("step"), factor = node.Find("factor");
  if (step.has_value() == factor.has_value())
    node.Fail("a range needs exactly one of 'step' and 'factor'",
              "{from: 16, to: 64, step: 16} or "
              "{from: 1024, to: 8192, factor: 2}");
  const double first = from.AsDouble(), last = to.AsDouble();
  if (last < first) to.Fail("'to' is below 'from'", "to >= from");
  const YamlNode& by = step ? *step : *factor;
  const double increment = by.AsDouble();
  const bool integral =
      IsIntegerText(from.AsString()) && IsIntegerText(to.AsString()) && IsIntegerText(by.AsString());
  std::vector<SweepValue> values;
  const double slack = 1e-9 * std::max(1.0, std::abs(last));
  if (step) {
    if (increment <= 0) step->Fail("step must be > 0", "a positive step");
    for (size_t i = 0;; ++i) {
      const double value = first + static_cast<double>(i) * increment;  // no accumulated rounding
      if (value > last + slack) break;
      if (values.size() == kMaxValues) node.Fail("more than 100,000 values", "a coarser step");
      values.push_back({NumberText(value, integral), node.Where()});
    }
  } else {
    if (increment <= 1) factor->Fail("factor must be > 1", "a factor > 1, e.g. 2");
    if (first <= 0) from.Fail("a geometric range needs from > 0", "from > 0");
    for (double value = first; value <= last + slack; value *= increment) {
      if (values.size() == kMaxValues) node.Fail("more than 100,000 values", "a larger factor");
      values.push_back({NumberText(value, integral), node.Where()});
    }
  }
  return values;
}

SweepKeyKind Classify(const std::string& key, const std::vector<std::string>& path,
                      const std::string& command, const SourceLocation& where) {
  auto fail = [&](const std::string& problem) -> SweepKeyKind {
    throw SpecError(where, "'" + key + "': " + problem, kKeyForms);
  };
  for (const std::string& part : path)
    if (part.empty()) fail("an empty segment in the key path");
  const std::string& head = path.front();
  const size_t n = path.size();
  if (n == 1) {
    if (head == "workload" || head == "mapping") {
      if (command == "network")
        fail("a network run takes its layers from the network, not a " + head + " file");
      return SweepKeyKind::kFile;
    }
    if (head == "network") {
      if (command != "network") fail("a network file needs command: network");
      return SweepKeyKind::kFile;
    }
    if (head == "architecture" || head == "energy") return SweepKeyKind::kFile;
  }
  if (head == "architecture" && (n == 3 || (n == 4 && path[2] == "spatial"))) {
    if (n == 4 && path[3] != "meshX" && path[3] != "meshY")
      fail("a container's spatial keys are meshX and meshY");
    return SweepKeyKind::kArchitectureAttribute;
  }
  if (head == "noc" && n == 2) return SweepKeyKind::kNocParam;
  if ((head == "problem" && n >= 2) || (head == "cyclops" && n == 2)) return SweepKeyKind::kSpecPath;
  if (head == "mapper" && n == 2) {
    if (std::find(kMapperKeys.begin(), kMapperKeys.end(), path[1]) == kMapperKeys.end())
      fail("unknown mapper setting '" + path[1] + "' (valid: " + JoinNames(kMapperKeys) + ")");
    if (command == "network")
      fail("a network run maps its layers itself; mapper settings need analyze or run");
    return SweepKeyKind::kMapper;
  }
  if (head == "option" && n == 2) {
    for (char c : path[1])
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-')
        fail("an option name is letters, digits and '-', e.g. option.bus-width");
    return SweepKeyKind::kOption;
  }
  return fail("not a key path Cyclops can sweep");
}

void CheckValue(const SweepParameter& parameter, const SweepValue& value) {
  if (parameter.kind != SweepKeyKind::kMapper) return;
  const std::string& setting = parameter.path[1];
  if (setting == "objective" &&
      std::find(kObjectives.begin(), kObjectives.end(), value.text) == kObjectives.end())
    throw SpecError(value.where, "unknown objective '" + value.text + "'", JoinNames(kObjectives));
  if ((setting == "evaluations" || setting == "seed") &&
      (!IsIntegerText(value.text) || value.text[0] == '-' ||
       (setting == "evaluations" && std::stoll(value.text) == 0)))
    throw SpecError(value.where,
                    "mapper." + setting + " must be an integer " + (setting == "seed" ? ">= 0" : ">= 1"),
                    "an integer");
}

SweepParameter ReadParameter(const YamlNode::Entry& entry, const std::string& command,
                             const std::string& base_dir) {
  SweepParameter parameter;
  parameter.key = entry.key;
  parameter.where = entry.key_where;
  parameter.path = Split(entry.key);
  parameter.kind = Classify(entry.key, parameter.path, command, entry.key_where);
  if (entry.value.IsMap()) {
    if (parameter.kind == SweepKeyKind::kFile)
      entry.value.Fail("files are listed, not ranged", "a list of files");
    parameter.values = RangeValues(entry.value);
  } else {
    entry.value.ExpectList("a list of values, or a range {from, to, step|factor}");
    for (const YamlNode& item : entry.value.Items()) {
      if (!item.IsScalar())
        item.Fail("a value must be a scalar, got " + item.Describe(), "a number, name or path");
      const std::string text =
          parameter.kind == SweepKeyKind::kFile ? ExistingFile(item, base_dir) : item.AsString();
      parameter.values.push_back({text, item.Where()});
    }
  }
  if (parameter.values.empty()) entry.value.Fail("no values", "at least one value");
  for (const SweepValue& value : parameter.values) CheckValue(parameter, value);
  return parameter;
}

std::vector<SweepAxis> ReadAxes(const YamlNode& list, const std::string& command,
                                const std::string& base_dir) {
  list.ExpectList("a list of parameters: '- KEY: [values]' or '- zip: {KEY: [values], ...}'");
  std::vector<SweepAxis> axes;
  std::set<std::string> seen;
  auto add = [&](SweepAxis& axis, const YamlNode::Entry& entry) {
    if (!seen.insert(entry.key).second)
      throw SpecError(entry.key_where, "'" + entry.key + "' is swept twice", "each key path once");
    axis.parameters.push_back(ReadParameter(entry, command, base_dir));
  };
  for (const YamlNode& item : list.Items()) {
    item.ExpectMap("a one-key map '- KEY: [values]' or '- zip: {...}'");
    const std::vector<YamlNode::Entry> entries = item.Entries();
    if (entries.size() != 1)
      item.Fail("one parameter per list item (" + std::to_string(entries.size()) + " keys here)",
                "'- KEY: [values]'; to vary several together, '- zip: {KEY: [...], KEY: [...]}'");
    SweepAxis axis;
    if (entries[0].key == "zip") {
      entries[0].value.ExpectMap("a map of key paths to equal-length value lists");
      for (const YamlNode::Entry& zipped : entries[0].value.Entries()) add(axis, zipped);
      if (axis.parameters.empty()) entries[0].value.Fail("an empty zip", "at least one key path");
      for (const SweepParameter& parameter : axis.parameters)
        if (parameter.values.size() != axis.size())
          throw SpecError(parameter.where,
                          "zipped lists differ in length: '" + parameter.key + "' has " +
                              std::to_string(parameter.values.size()) + " values, '" +
                              axis.parameters.front().key + "' has " + std::to_string(axis.size()),
                          "lists of equal length");
    } else {
      add(axis, entries[0]);
    }
    axes.push_back(std::move(axis));
  }
  return axes;
}

SweepSpec BuildSweep(const YamlNode& root, const std::string& name, const std::string& base_dir) {
  root.ExpectMap("a sweep file: a map with the top-level key 'sweep'");
  root.CheckKeys({"sweep"});
  const YamlNode sweep = root.Require("sweep");
  sweep.ExpectMap("the sweep: command, files, parameters");
  sweep.CheckKeys({"name", "command", "files", "network", "options", "parameters"});
  SweepSpec spec;
  spec.file = name;
  spec.where = sweep.Where();
  spec.name = fs::path(name).stem().string();
  if (auto given = sweep.Find("name")) spec.name = given->AsString();
  for (char c : spec.name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-' && c != '.')
      sweep.Require("name").Fail("a sweep name is letters, digits, '_', '-' and '.' (it names a folder)");
  const YamlNode command = sweep.Require("command");
  spec.command = command.AsString();
  if (std::find(kCommands.begin(), kCommands.end(), spec.command) == kCommands.end())
    command.Fail("unknown command '" + spec.command + "'", JoinNames(kCommands));
  if (auto files = sweep.Find("files")) {
    files->ExpectList("a list of spec files");
    for (const YamlNode& file : files->Items()) spec.files.push_back(ExistingFile(file, base_dir));
  }
  if (auto options = sweep.Find("options")) {
    options->ExpectList("a list of command-line words, e.g. [--map-evaluations, 2000]");
    for (const YamlNode& option : options->Items()) spec.options.push_back(option.AsString());
  }
  if (auto network = sweep.Find("network")) {
    if (spec.command != "network") network->Fail("a network file needs command: network", "command: network");
    spec.network = ExistingFile(*network, base_dir);
  }
  spec.axes = ReadAxes(sweep.Require("parameters"), spec.command, base_dir);
  bool network_swept = false;
  for (const SweepAxis& axis : spec.axes)
    for (const SweepParameter& parameter : axis.parameters) {
      if (parameter.key == "network") network_swept = true;
      if (parameter.key == "network" && !spec.network.empty())
        throw SpecError(parameter.where, "the network is both fixed ('network:') and swept",
                        "one of the two");
    }
  if (spec.command == "network" && spec.network.empty() && !network_swept)
    sweep.Fail("command: network needs a network file", "'network: FILE' or a 'network' parameter");
  return spec;
}

}  // namespace

SweepSpec LoadSweepDocument(const std::string& name, const std::string& text, const std::string& base_dir) {
  try {
    return BuildSweep(ParseYamlDocument(name, text), name, base_dir);
  } catch (const YAML::Exception& error) {
    throw SpecError({name, error.mark.line + 1, error.mark.column + 1, ""}, "YAML error: " + error.msg);
  }
}

SweepSpec LoadSweepFile(const std::string& path) {
  std::ifstream file(path);
  if (!file)
    throw SpecError({path, 0, 0, ""}, "cannot open the sweep file", "a path to a readable YAML file");
  std::stringstream text;
  text << file.rdbuf();
  return LoadSweepDocument(path, text.str(), fs::absolute(path).parent_path().string());
}

}  // namespace cyclops::spec
