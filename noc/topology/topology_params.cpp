#include "noc/topology/topology_params.h"

#include <algorithm>
#include <limits>

#include "sim/core/error.h"

namespace cyclops::noc::topology {

namespace {
std::string Join(const std::set<std::string>& names) {
  std::string text;
  for (const std::string& name : names) text += (text.empty() ? "" : ", ") + name;
  return text.empty() ? "none" : text;
}
}  // namespace

ParamReader::ParamReader(std::string builder, const TopologyParams& params)
    : builder_(std::move(builder)), params_(params) {
  // Checked first: a builder given node/link lists was most likely meant to be "custom".
  if (params_.custom && builder_ != "custom") {
    throw SpecError({"", 0, 0, "custom"}, "topology builder '" + builder_ + "': takes no node/link lists",
                    "use builder 'custom' to list nodes and links");
  }
}

void ParamReader::Fail(const std::string& name, const std::string& problem, const std::string& valid) const {
  throw SpecError({"", 0, 0, name},
                  "topology builder '" + builder_ + "': parameter '" + name + "': " + problem, valid);
}

std::optional<int> ParamReader::Int(const std::string& name, int min, bool required) {
  read_.insert(name);
  const std::string valid = "an integer >= " + std::to_string(min);
  auto it = params_.values.find(name);
  if (it == params_.values.end()) {
    if (required) Fail(name, "missing (required)", valid);
    return std::nullopt;
  }
  const auto* value = std::get_if<std::int64_t>(&it->second);
  if (value == nullptr) Fail(name, "expected an integer", valid);
  if (*value < min || *value > std::numeric_limits<int>::max()) {
    Fail(name, "value " + std::to_string(*value) + " is out of range", valid);
  }
  return static_cast<int>(*value);
}

std::string ParamReader::DefaultChoice(const std::string& name, const std::string& fallback,
                                       const std::vector<std::string>& choices) {
  read_.insert(name);
  std::string valid;
  for (const std::string& choice : choices) valid += (valid.empty() ? "one of " : ", ") + choice;
  auto it = params_.values.find(name);
  if (it == params_.values.end()) return fallback;
  const auto* value = std::get_if<std::string>(&it->second);
  if (value == nullptr) Fail(name, "expected a name", valid);
  if (std::find(choices.begin(), choices.end(), *value) == choices.end())
    Fail(name, "unknown value '" + *value + "'", valid);
  return *value;
}

void ParamReader::RejectUnread() const {
  std::set<std::string> unread;
  for (const auto& [name, value] : params_.values) {
    if (!read_.count(name)) unread.insert(name);
  }
  if (!unread.empty()) {
    throw SpecError({"", 0, 0, *unread.begin()},
                    "topology builder '" + builder_ + "': unknown parameter(s) " + Join(unread),
                    "its parameters are " + Join(read_));
  }
}

}  // namespace cyclops::noc::topology
