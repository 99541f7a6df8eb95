#include "sim/spec/density_loader.h"

namespace cyclops::spec {

namespace {

const char* const kDistributions = "fixed_structured (or fixed), hypergeometric, banded (or diagonal)";

std::vector<std::string> DataSpaceNames(const Workload& workload) {
  std::vector<std::string> names;
  for (const DataSpaceSpec& space : workload.data_spaces) names.push_back(space.name);
  return names;
}

double DensityIn01(const YamlNode& node) {
  const double density = node.AsDouble();
  if (!(density >= 0.0 && density <= 1.0))
    node.Fail("a density must be between 0 and 1, got " + node.AsText(), "a number in [0, 1]");
  return density;
}

// Sparseloop's banded model takes a square matrix: two ranks of equal extent.
void CheckBandedShape(const YamlNode& node, const Workload& workload, int data_space) {
  const DataSpaceSpec& space = workload.data_spaces[data_space];
  std::vector<int64_t> extents;
  for (const ProjectionExpression& expression : space.projection) {
    int64_t max_coordinate = 0;
    for (const ProjectionTerm& term : expression)
      max_coordinate += workload.Coefficient(term) * (workload.bounds[term.dimension] - 1);
    extents.push_back(max_coordinate + 1);
  }
  if (extents.size() != 2 || extents[0] != extents[1])
    node.Fail(
        "a banded density needs a square matrix, but " + space.name + " has " +
            std::to_string(extents.size()) + " rank(s)" +
            (extents.size() == 2 ? " of " + std::to_string(extents[0]) + " x " + std::to_string(extents[1])
                                 : std::string()),
        "banded only for a data space with two ranks of equal size");
}

DensitySpec LoadOne(const YamlNode& node, const Workload& workload, int data_space) {
  DensitySpec density;
  density.where = node.Where();
  if (!node.IsMap()) {  // a bare number: fixed_structured
    density.density = DensityIn01(node);
    return density;
  }
  node.CheckKeys({"distribution", "density", "band_width", "workload_tensor_size"});
  const YamlNode distribution = node.Require("distribution");
  const std::string name = distribution.AsString();
  if (name == "fixed_structured" || name == "fixed") {
    density.distribution = "fixed_structured";
    density.density = DensityIn01(node.Require("density"));
  } else if (name == "hypergeometric") {
    density.distribution = "hypergeometric";
    density.density = DensityIn01(node.Require("density"));
    if (auto size = node.Find("workload_tensor_size")) {
      density.workload_tensor_size = size->AsIntAtLeast(0);
      // Sparseloop sizes the distribution by the data space whatever is written here.
      const int64_t actual = workload.DataSpaceSize(data_space);
      if (density.workload_tensor_size != 0 && density.workload_tensor_size != actual)
        size->Fail("workload_tensor_size " + std::to_string(density.workload_tensor_size) +
                       " is not the size of " + workload.data_spaces[data_space].name + " (" +
                       std::to_string(actual) + ")",
                   "0 or " + std::to_string(actual) + ": Sparseloop uses the data space's size");
    }
  } else if (name == "banded" || name == "diagonal") {
    density.distribution = "banded";
    if (auto band = node.Find("band_width")) density.band_width = band->AsIntAtLeast(0);
    CheckBandedShape(distribution, workload, data_space);
  } else {
    distribution.Fail("unknown density distribution '" + name + "'", kDistributions);
  }
  return density;
}

}  // namespace

std::vector<DensitySpec> LoadDensities(const YamlNode& densities, const Workload& workload) {
  densities.ExpectMap("a map of data space -> density (a number or {distribution, density})");
  std::vector<DensitySpec> result(workload.data_spaces.size());
  for (const YamlNode::Entry& entry : densities.Entries()) {
    const int data_space = workload.DataSpaceIndex(entry.key);
    if (data_space < 0)
      throw SpecError(entry.key_where, "unknown data space '" + entry.key + "'",
                      "data spaces " + JoinNames(DataSpaceNames(workload)));
    if (entry.value.IsNull()) continue;
    result[data_space] = LoadOne(entry.value, workload, data_space);
  }
  return result;
}

std::vector<DensitySpec> LoadCommonDensity(const YamlNode& density, const Workload& workload) {
  std::vector<DensitySpec> result;
  for (size_t d = 0; d < workload.data_spaces.size(); ++d)
    result.push_back(LoadOne(density, workload, static_cast<int>(d)));
  return result;
}

}  // namespace cyclops::spec
