#include "sim/mapping/mapping_yaml.h"

#include <charconv>
#include <sstream>

#include "sim/core/text_escape.h"

namespace cyclops::mapping {
namespace {

// Timeloop's compact "MPCQ" when every dimension is one letter; otherwise names apart, which the
// loader reads too.
std::string PermutationText(const spec::Workload& workload, const std::vector<int>& permutation) {
  bool one_letter = true;
  for (const std::string& name : workload.dimensions) one_letter = one_letter && name.size() == 1;
  std::string text;
  for (int d : permutation) {
    if (!one_letter && !text.empty()) text += ' ';
    text += workload.dimensions[d];
  }
  return text;
}

// "R=3 P=16"; an imperfect factor with its residual after a comma, as Timeloop v3 writes it ("Q=14,13").
std::string FactorsText(const spec::Workload& workload, const std::vector<int64_t>& factors,
                        const std::vector<int64_t>& residuals) {
  std::string text;
  for (size_t d = 0; d < factors.size(); ++d) {
    // append(), not operator+: GCC 12 warns falsely (-Wrestrict) on that concatenation.
    if (d) text.append(" ");
    text.append(workload.dimensions[d]).append("=").append(std::to_string(factors[d]));
    if (!residuals.empty() && residuals[d] != factors[d]) text.append(",").append(std::to_string(residuals[d]));
  }
  return text;
}

std::string SpaceList(const spec::Workload& workload, const std::vector<bool>& keep, bool kept) {
  std::string text = "[";
  for (size_t s = 0; s < keep.size(); ++s) {
    if (keep[s] != kept) continue;
    if (text.size() > 1) text += ", ";
    text += YamlScalar(workload.data_spaces[s].name);
  }
  return text + "]";
}

bool FansOut(const spec::Architecture& architecture, size_t level) {
  const spec::StorageLevelSpec& spec = architecture.storage[level];
  const int64_t inner_instances =
      level == 0 ? architecture.arithmetic.instances : architecture.storage[level - 1].instances;
  return inner_instances > spec.instances;
}

}  // namespace

std::string MappingYaml(const spec::Architecture& architecture, const spec::Workload& workload,
                        const spec::Mapping& mapping) {
  std::ostringstream out;
  out << "mapping:\n";
  for (size_t i = 0; i < mapping.levels.size(); ++i) {
    const spec::LevelMapping& level = mapping.levels[i];
    out << "  - target: " << YamlScalar(architecture.storage[i].name) << "\n    type: datatype\n"
        << "    keep: " << SpaceList(workload, level.keep, true) << "\n"
        << "    bypass: " << SpaceList(workload, level.keep, false) << "\n";
  }
  for (size_t i = 0; i < mapping.levels.size(); ++i) {
    const spec::LevelMapping& level = mapping.levels[i];
    const std::string target = YamlScalar(architecture.storage[i].name);
    if (FansOut(architecture, i))
      out << "  - target: " << target << "\n    type: spatial\n"
          << "    factors: "
          << YamlScalar(FactorsText(workload, level.spatial_factors, level.spatial_residuals)) << "\n"
          << "    permutation: " << YamlScalar(PermutationText(workload, level.spatial_permutation)) << "\n"
          << "    split: " << level.spatial_split << "\n";
    out << "  - target: " << target << "\n    type: temporal\n"
        << "    factors: "
        << YamlScalar(FactorsText(workload, level.temporal_factors, level.temporal_residuals)) << "\n"
        << "    permutation: " << YamlScalar(PermutationText(workload, level.temporal_permutation)) << "\n";
  }
  return out.str();
}

std::string CanonicalKey(const spec::Workload& workload, const spec::Mapping& mapping) {
  std::string key;
  CanonicalKey(workload, mapping, key);
  return key;
}

void CanonicalKey(const spec::Workload& workload, const spec::Mapping& mapping, std::string& key) {
  key.clear();
  auto append_number = [&](int64_t number) {
    char digits[24];
    key.append(digits, std::to_chars(digits, digits + sizeof digits, number).ptr);
  };
  for (const spec::LevelMapping& level : mapping.levels) {
    key += 'T';
    for (int d : level.temporal_permutation)
      if (level.temporal_factors[d] != 1) {
        key += ' ';
        key += workload.dimensions[d];
        append_number(level.temporal_factors[d]);
        if (level.TemporalResidual(d) != level.temporal_factors[d]) {
          key += ',';
          append_number(level.TemporalResidual(d));
        }
      }
    key += " S";
    for (size_t position = 0; position < level.spatial_permutation.size(); ++position) {
      const int d = level.spatial_permutation[position];
      if (level.spatial_factors[d] == 1) continue;
      key += ' ';
      key += static_cast<int>(position) < level.spatial_split ? 'x' : 'y';
      key += workload.dimensions[d];
      append_number(level.spatial_factors[d]);
      if (level.SpatialResidual(d) != level.spatial_factors[d]) {
        key += ',';
        append_number(level.SpatialResidual(d));
      }
    }
    key += " K";
    for (bool kept : level.keep) key += kept ? '1' : '0';
    key += '|';
  }
}

}  // namespace cyclops::mapping
