#include "sim/spec/workload_loader.h"

#include <algorithm>

#include "sim/spec/density_loader.h"
#include "sim/spec/shape_checks.h"
#include "sim/spec/value_checks.h"

namespace cyclops::spec {

namespace {

// A term is [dimension] or [dimension, coefficient]; the coefficient may also come first.
ProjectionTerm LoadTerm(const YamlNode& node, const Workload& workload) {
  const std::string valid = "a term [dimension] or [dimension, coefficient] with dimensions " +
                            JoinNames(workload.dimensions) + " and coefficients " +
                            JoinNames(workload.coefficient_names);
  if (!node.IsList()) node.Fail("expected a projection term, got " + node.Describe(), valid);
  std::vector<YamlNode> names = node.Items();
  if (names.empty() || names.size() > 2) node.Fail("a projection term has 1 or 2 names", valid);
  ProjectionTerm term{-1, -1};
  for (const YamlNode& name_node : names) {
    std::string name = name_node.AsString();
    int dimension = workload.DimensionIndex(name);
    auto coefficient = std::find(workload.coefficient_names.begin(), workload.coefficient_names.end(), name);
    if (dimension >= 0 && term.dimension < 0) {
      term.dimension = dimension;
    } else if (coefficient != workload.coefficient_names.end() && term.coefficient < 0) {
      term.coefficient = static_cast<int>(coefficient - workload.coefficient_names.begin());
    } else {
      name_node.Fail("'" + name + "' is not a dimension or coefficient of this term", valid);
    }
  }
  if (term.dimension < 0) node.Fail("a projection term needs a dimension", valid);
  return term;
}

DataSpaceSpec LoadDataSpace(const YamlNode& node, const Workload& workload) {
  node.ExpectMap("a data space {name, projection, read_write}");
  node.CheckKeys({"name", "projection", "read_write"});
  DataSpaceSpec space;
  space.name = node.Require("name").AsString();
  if (auto read_write = node.Find("read_write")) space.read_write = read_write->AsBool();
  YamlNode projection = node.Require("projection");
  for (const YamlNode& expression_node : projection.Items()) {
    if (!expression_node.IsList() || expression_node.IsEmpty())
      expression_node.Fail(
          "expected a projection expression (a list of terms), got " + expression_node.Describe(),
          "a list of terms like [[R, Wdilation], [P, Wstride]]");
    ProjectionExpression expression;
    for (const YamlNode& term : expression_node.Items()) expression.push_back(LoadTerm(term, workload));
    space.projection.push_back(expression);
  }
  if (space.projection.empty()) projection.Fail("a data space needs at least one projection expression");
  return space;
}

void LoadShape(const YamlNode& shape, Workload& workload) {
  shape.ExpectMap("a problem shape {name, dimensions, data_spaces, coefficients}");
  shape.CheckKeys({"name", "dimensions", "data_spaces", "coefficients"});
  if (auto name = shape.Find("name")) workload.name = name->AsString();
  for (const YamlNode& dimension : shape.Require("dimensions").Items()) {
    std::string name = dimension.AsString();
    if (workload.DimensionIndex(name) >= 0) dimension.Fail("dimension " + name + " is listed twice");
    workload.dimensions.push_back(name);
  }
  if (auto coefficients = shape.Find("coefficients")) {
    for (const YamlNode& coefficient : coefficients->Items()) {
      coefficient.ExpectMap("a coefficient {name, default}");
      coefficient.CheckKeys({"name", "default"});
      YamlNode name_node = coefficient.Require("name");
      std::string name = name_node.AsString();
      if (workload.DimensionIndex(name) >= 0 ||
          std::count(workload.coefficient_names.begin(), workload.coefficient_names.end(), name))
        name_node.Fail("coefficient name " + name + " is already used", "a name that is not a dimension");
      workload.coefficient_names.push_back(name);
      auto default_value = coefficient.Find("default");
      workload.coefficient_values.push_back(default_value ? default_value->AsIntAtLeast(0) : 1);
    }
  }
  YamlNode data_spaces = shape.Require("data_spaces");
  for (const YamlNode& space_node : data_spaces.Items()) {
    DataSpaceSpec space = LoadDataSpace(space_node, workload);
    if (workload.DataSpaceIndex(space.name) >= 0)
      space_node.Fail("data space " + space.name + " is listed twice");
    workload.data_spaces.push_back(space);
  }
  if (workload.data_spaces.empty()) data_spaces.Fail("a problem needs at least one data space");
}

void LoadInstance(const YamlNode& instance, Workload& workload, std::vector<std::string>& notes) {
  instance.ExpectMap("a problem instance {dimension: bound, coefficient: value}");
  workload.bounds.assign(workload.dimensions.size(), 0);
  workload.bound_where.assign(workload.dimensions.size(), instance.Where());
  std::optional<YamlNode> densities, common_density;  // read once the bounds are known
  for (const YamlNode::Entry& entry : instance.Entries()) {
    if (entry.key == "densities" || entry.key == "commonDensity") {
      if (!entry.value.IsNull()) (entry.key == "densities" ? densities : common_density) = entry.value;
      continue;
    }
    int dimension = workload.DimensionIndex(entry.key);
    if (dimension >= 0) {
      workload.bounds[dimension] = entry.value.AsIntAtLeast(1);
      workload.bound_where[dimension] = entry.value.Where();
      continue;
    }
    auto coefficient =
        std::find(workload.coefficient_names.begin(), workload.coefficient_names.end(), entry.key);
    if (coefficient == workload.coefficient_names.end()) {
      entry.value.AsInt();  // still a number, or the file is wrong
      notes.push_back("read but not used: '" + entry.value.key_path() + "' (" + entry.key_where.ToString() +
                      "): neither a dimension nor a coefficient");
      continue;
    }
    workload.coefficient_values[coefficient - workload.coefficient_names.begin()] =
        entry.value.AsIntAtLeast(0);
  }
  for (size_t d = 0; d < workload.dimensions.size(); ++d)
    if (workload.bounds[d] == 0)
      instance.Fail("no bound for dimension " + workload.dimensions[d],
                    "a bound >= 1 for every dimension: " + JoinNames(workload.dimensions));
  if (densities && common_density)
    common_density->Fail("give either 'densities' or 'commonDensity', not both");
  if (densities) workload.densities = LoadDensities(*densities, workload);
  if (common_density) workload.densities = LoadCommonDensity(*common_density, workload);
}

}  // namespace

Workload LoadWorkload(const YamlNode& problem, std::vector<std::string>& notes) {
  problem.ExpectMap("a problem {shape, instance}");
  problem.CheckKeys({"version", "shape", "instance"});
  Workload workload;
  workload.where = problem.Where();
  LoadShape(problem.Require("shape"), workload);
  LoadInstance(problem.Require("instance"), workload, notes);
  CheckWorkloadFits(workload);
  return workload;
}

}  // namespace cyclops::spec
