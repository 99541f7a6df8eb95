// Parameters of a topology builder, as the spec loader hands them over (a name -> value map, plus the node
// and link lists of a "custom" topology), and the reader builders use to take them. The reader's errors
// name the builder and the parameter and say what would be valid; parameters a builder never read are
// errors too (DESIGN.md decision 2: unknown keys are errors).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "noc/topology/custom_topology.h"

namespace cyclops::noc::topology {

using ParamValue = std::variant<std::int64_t, double, bool, std::string>;

struct TopologyParams {
  std::map<std::string, ParamValue> values;
  std::optional<CustomTopologySpec> custom;  // read by the "custom" builder only
};

class ParamReader {
 public:
  // SpecError if `params` lists nodes and links but the builder is not "custom".
  ParamReader(std::string builder, const TopologyParams& params);

  // Integers must be >= min. SpecError when missing (Required), of the wrong type or out of range.
  int RequiredInt(const std::string& name, int min) { return *Int(name, min, true); }
  int DefaultInt(const std::string& name, int fallback, int min) {
    return Int(name, min, false).value_or(fallback);
  }
  std::optional<int> OptionalInt(const std::string& name, int min) { return Int(name, min, false); }
  // A name out of `choices` (e.g. where a GLB attaches), `fallback` when missing. SpecError, listing the
  // choices, for another name or a value that is not a name.
  std::string DefaultChoice(const std::string& name, const std::string& fallback,
                            const std::vector<std::string>& choices);
  // The link parameters every builder shares, each default written here once:
  // link_latency_cycles (1) and buffer_depth (kDefaultBufferDepth).
  int LinkLatency() { return DefaultInt("link_latency_cycles", 1, 1); }
  int BufferDepth() { return DefaultInt("buffer_depth", kDefaultBufferDepth, 1); }

  const std::string& builder() const { return builder_; }
  const TopologyParams& params() const { return params_; }
  // SpecError naming every given parameter that was never read, and listing the ones that were.
  void RejectUnread() const;
  // SpecError about `name` in this builder's words, e.g. for a value out of a range only the builder knows.
  [[noreturn]] void Fail(const std::string& name, const std::string& problem, const std::string& valid) const;

 private:
  std::optional<int> Int(const std::string& name, int min, bool required);

  std::string builder_;
  const TopologyParams& params_;
  std::set<std::string> read_;
};

}  // namespace cyclops::noc::topology
