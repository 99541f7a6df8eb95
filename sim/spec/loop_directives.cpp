#include "sim/spec/loop_directives.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <string>

namespace cyclops::spec {

namespace {

std::vector<std::string> SplitTokens(const std::string& text) {
  std::vector<std::string> tokens;
  std::string current;
  for (char c : text) {
    if (std::isspace(static_cast<unsigned char>(c)) || c == ',') {
      if (!current.empty()) tokens.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  if (!current.empty()) tokens.push_back(current);
  return tokens;
}

int ResolveDimension(const YamlNode& node, const std::string& name, const Workload& workload) {
  int index = workload.DimensionIndex(name);
  if (index < 0)
    node.Fail("unknown dimension '" + name + "'", "dimensions " + JoinNames(workload.dimensions));
  return index;
}

// One factor token: "R=3" or Timeloop's map.yaml form "R3".
Factor ParseFactorToken(const YamlNode& node, const std::string& token, const Workload& workload,
                        int64_t minimum) {
  std::string name;
  std::string number;
  size_t equals = token.find('=');
  if (equals != std::string::npos) {
    name = token.substr(0, equals);
    number = token.substr(equals + 1);
  } else {
    size_t split = token.size();
    while (split > 0 &&
           (std::isdigit(static_cast<unsigned char>(token[split - 1])) || token[split - 1] == '-'))
      --split;
    name = token.substr(0, split);
    number = token.substr(split);
  }
  const std::string valid_form = "factors like 'R=3 P=16', 'R=3,P=16', 'R3 P16' or a list [R=3, P=16]";
  if (name.empty() || number.empty()) node.Fail("cannot read factor '" + token + "'", valid_form);
  Factor factor{ResolveDimension(node, name, workload), 0};
  auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), factor.value);
  if (error != std::errc() || end != number.data() + number.size())
    node.Fail("factor of " + name + " is not an integer: '" + number + "'", "a positive integer");
  if (factor.value < minimum)
    node.Fail("factor of " + name + " must be >= " + std::to_string(minimum) + ", got " + number,
              "a positive integer");
  return factor;
}

// A number after a factor: Timeloop v3's residual ("Q=14,13"), how many iterations the loop runs when
// the loops of its dimension outside it are at their last.
void AddResidual(const YamlNode& node, const std::string& token, const Workload& workload,
                 std::vector<Factor>& factors) {
  const std::string valid = "a residual after its factor, 1 <= residual <= factor, as in 'Q=14,13'";
  if (factors.empty() || factors.back().residual != 0)
    node.Fail("a number '" + token + "' that follows no factor", valid);
  Factor& factor = factors.back();
  int64_t residual = 0;
  auto [end, error] = std::from_chars(token.data(), token.data() + token.size(), residual);
  const std::string name = workload.dimensions[factor.dimension];
  if (error != std::errc() || end != token.data() + token.size() || residual < 1 ||
      (factor.value > 0 && residual > factor.value))
    node.Fail("residual " + token + " of " + name + "=" + std::to_string(factor.value) + " is not in [1, " +
                  std::to_string(factor.value) + "]",
              valid);
  if (factor.value == 0) node.Fail("a residual of " + name + "=0 (whatever remains)", valid);
  factor.residual = residual;
}

}  // namespace

std::vector<Factor> ParseFactors(const YamlNode& node, const Workload& workload, int64_t minimum) {
  std::vector<Factor> factors;
  auto add_tokens = [&](const YamlNode& at, const std::string& text) {
    for (const std::string& token : SplitTokens(text)) {
      if (std::all_of(token.begin(), token.end(), [](unsigned char c) { return std::isdigit(c); })) {
        AddResidual(at, token, workload, factors);
        continue;
      }
      Factor factor = ParseFactorToken(at, token, workload, minimum);
      for (const Factor& earlier : factors)
        if (earlier.dimension == factor.dimension)
          at.Fail("dimension " + workload.dimensions[factor.dimension] + " is given twice",
                  "each dimension at most once");
      factors.push_back(factor);
    }
  };
  if (node.IsList()) {
    for (const YamlNode& item : node.Items()) add_tokens(item, item.AsString());
  } else if (node.IsScalar()) {
    add_tokens(node, node.AsString());
  } else {
    node.Fail("expected factors, got " + node.Describe(), "a string like 'R=3 P=16' or a list [R=3, P=16]");
  }
  return factors;
}

std::vector<int> ParsePermutation(const YamlNode& node, const Workload& workload) {
  std::vector<int> permutation;
  auto add = [&](const YamlNode& at, const std::string& name) {
    int dimension = ResolveDimension(at, name, workload);
    if (std::find(permutation.begin(), permutation.end(), dimension) != permutation.end())
      at.Fail("dimension " + name + " appears twice in the permutation", "each dimension at most once");
    permutation.push_back(dimension);
  };
  if (node.IsList()) {
    for (const YamlNode& item : node.Items()) add(item, item.AsString());
  } else if (node.IsScalar()) {
    for (const std::string& token : SplitTokens(node.AsString())) {
      // Timeloop's compact form "MPCQ": one letter per dimension, unless the token is itself a dimension.
      if (workload.DimensionIndex(token) >= 0) {
        add(node, token);
      } else {
        for (char letter : token) add(node, std::string(1, letter));
      }
    }
  } else {
    node.Fail("expected a permutation, got " + node.Describe(),
              "a string like 'MPCQ' or a list [M, P, C, Q]");
  }
  return permutation;
}

std::vector<int> CompletePermutation(const std::vector<int>& partial, int dimension_count) {
  std::vector<int> complete = partial;
  for (int d = 0; d < dimension_count; ++d)
    if (std::find(partial.begin(), partial.end(), d) == partial.end()) complete.push_back(d);
  return complete;
}

int ResolveTarget(const YamlNode& target, const Architecture& architecture) {
  std::string name = target.AsString();
  int level = architecture.StorageIndex(name);
  if (level < 0) level = architecture.StorageIndex("inter_" + name + "_spatial");
  if (level < 0) {
    std::vector<std::string> names;
    for (const StorageLevelSpec& storage : architecture.storage) names.push_back(storage.name);
    target.Fail("unknown target '" + name + "'",
                "storage levels " + JoinNames(names) + " (or a container name with a spatial fan-out)");
  }
  return level;
}

std::vector<int> ParseDataSpaceList(const YamlNode& node, const Workload& workload) {
  std::vector<std::string> valid;
  for (const DataSpaceSpec& space : workload.data_spaces) valid.push_back(space.name);
  std::vector<int> spaces;
  std::vector<YamlNode> items = node.IsScalar() ? std::vector<YamlNode>{node} : node.Items();
  for (const YamlNode& item : items) {
    std::string name = item.AsString();
    int index = workload.DataSpaceIndex(name);
    if (index < 0) item.Fail("unknown data space '" + name + "'", "data spaces " + JoinNames(valid));
    if (std::find(spaces.begin(), spaces.end(), index) != spaces.end())
      item.Fail("data space " + name + " is listed twice", "each data space at most once");
    spaces.push_back(index);
  }
  return spaces;
}

}  // namespace cyclops::spec
