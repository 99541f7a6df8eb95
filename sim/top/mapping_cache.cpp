#include "sim/top/mapping_cache.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <variant>

#include "sim/core/atomic_file.h"
#include "sim/mapping/mapping_yaml.h"

namespace cyclops::top {

namespace {

uint64_t Fnv1a(const std::string& bytes) {
  uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : bytes) hash = (hash ^ c) * 1099511628211ull;
  return hash;
}

std::string Hex(uint64_t value) {
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(value));
  return text;
}

template <typename T>
void Put(std::ostringstream& out, const std::vector<T>& values) {
  out << values.size();
  for (const T& value : values) out << ' ' << value;
  out << '\n';
}

template <typename T>
std::vector<T> Take(std::istringstream& in, size_t expected, const std::string& where) {
  size_t count = 0;
  if (!(in >> count) || count != expected)
    throw std::runtime_error(where + ": not a mapping of this layer's shape");
  std::vector<T> values(count);
  for (T& value : values)
    if (!(in >> value)) throw std::runtime_error(where + ": truncated mapping");
  return values;
}

}  // namespace

std::string ShapeKey(const spec::Workload& workload) {
  std::ostringstream key;
  for (size_t i = 0; i < workload.dimensions.size(); ++i)
    key << workload.dimensions[i] << '=' << workload.bounds[i] << ' ';
  key << '|';
  for (size_t i = 0; i < workload.coefficient_names.size(); ++i)
    key << workload.coefficient_names[i] << '=' << workload.coefficient_values[i] << ' ';
  key << '|';
  for (const spec::DataSpaceSpec& space : workload.data_spaces) {
    key << space.name << (space.read_write ? "(rw)" : "") << ':';
    for (const spec::ProjectionExpression& rank : space.projection) {
      for (const spec::ProjectionTerm& term : rank) key << term.dimension << '*' << term.coefficient << '+';
      key << ',';
    }
    key << ';';
  }
  return key.str();
}

std::string MappingText(const spec::Mapping& mapping) {
  std::ostringstream out;
  out << "cyclops-mapping 1\n" << mapping.levels.size() << '\n';
  for (const spec::LevelMapping& level : mapping.levels) {
    Put(out, level.temporal_factors);
    Put(out, level.temporal_permutation);
    Put(out, level.spatial_factors);
    Put(out, level.spatial_permutation);
    out << level.spatial_split << '\n';
    std::vector<int> keep(level.keep.begin(), level.keep.end());
    Put(out, keep);
  }
  return out.str();
}

spec::Mapping MappingFromText(const std::string& text, const spec::Workload& workload, size_t levels,
                              const std::string& where) {
  std::istringstream in(text);
  std::string magic;
  int version = 0;
  size_t count = 0;
  if (!(in >> magic >> version >> count) || magic != "cyclops-mapping" || version != 1 || count != levels)
    throw std::runtime_error(where + ": not a Cyclops mapping of this architecture");
  const size_t dims = workload.dimensions.size(), spaces = workload.data_spaces.size();
  spec::Mapping mapping;
  for (size_t i = 0; i < levels; ++i) {
    spec::LevelMapping level;
    level.temporal_factors = Take<int64_t>(in, dims, where);
    level.temporal_permutation = Take<int>(in, dims, where);
    level.spatial_factors = Take<int64_t>(in, dims, where);
    level.spatial_permutation = Take<int>(in, dims, where);
    if (!(in >> level.spatial_split)) throw std::runtime_error(where + ": truncated mapping");
    for (int keep : Take<int>(in, spaces, where)) level.keep.push_back(keep != 0);
    mapping.levels.push_back(std::move(level));
  }
  mapping.where = {where, 0, 0, "mapping"};
  return mapping;
}

MapFirstResult MappingCache::Get(const spec::Spec& spec, const std::string& fingerprint,
                                 const MapFirstOptions& options, bool* searched) {
  std::ostringstream key_text;
  key_text << fingerprint << '\n'
           << ShapeKey(*spec.workload) << '\n'
           << options.evaluations << ' ' << options.simulatable_only << ' ' << options.use_noc << ' '
           << spec.cyclops.seed << ' ' << (spec.energy ? "ert" : "no-ert");
  for (const auto& [name, value] : options.noc_params)
    std::visit([&, &name = name](const auto& v) { key_text << ' ' << name << '=' << v; }, value);
  const std::string key = Hex(Fnv1a(key_text.str()));
  if (searched) *searched = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = found_.find(key);
    if (it != found_.end()) return it->second;
  }
  const std::string path = directory_.empty() ? "" : directory_ + "/" + key + ".mapping";
  MapFirstResult result;
  if (!path.empty() && std::filesystem::exists(path)) {
    std::ifstream file(path);
    std::stringstream text;
    text << file.rdbuf();
    result.mapping = MappingFromText(text.str(), *spec.workload, spec.architecture->storage.size(), path);
    result.yaml = mapping::MappingYaml(*spec.architecture, *spec.workload, result.mapping);
    result.summary = "the mapping found earlier for this shape (" + path + ")";
  } else {
    result = MapFirst(spec, options);
    if (searched) *searched = true;
    if (!path.empty()) {
      std::filesystem::create_directories(directory_);
      WriteFileAtomically(path, MappingText(result.mapping));
    }
  }
  std::lock_guard<std::mutex> lock(mutex_);
  return found_.emplace(key, std::move(result)).first->second;
}

}  // namespace cyclops::top
