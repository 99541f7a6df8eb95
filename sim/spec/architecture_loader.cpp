#include "sim/spec/architecture_loader.h"

#include <algorithm>
#include <cctype>

#include "sim/spec/architecture_tree.h"
#include "sim/spec/constraints_loader.h"
#include "sim/spec/noc_loader.h"
#include "sim/spec/value_checks.h"

namespace cyclops::spec {

namespace {

// Typed access to a component's attributes. Timeloop accepts two spellings for a few of them; both are
// read, and giving both is an error rather than a silent choice.
class Attributes {
 public:
  explicit Attributes(const FlatComponent& component) : component_(component) {}

  std::optional<YamlNode> Find(const char* name, std::initializer_list<const char*> aliases = {}) const {
    std::optional<YamlNode> found = Get(name);
    for (const char* alias : aliases) {
      std::optional<YamlNode> other = Get(alias);
      if (found && other)
        other->Fail(std::string("give only one of '") + name + "' and '" + alias + "'", name);
      if (other) found = other;
    }
    return found;
  }
  std::optional<int64_t> Int(const char* name, int64_t minimum,
                             std::initializer_list<const char*> aliases = {}) const {
    auto node = Find(name, aliases);
    return node ? std::optional<int64_t>(node->AsIntAtLeast(minimum)) : std::nullopt;
  }
  std::optional<double> Positive(const char* name) const {
    auto node = Find(name);
    if (!node) return std::nullopt;
    return PositiveAttribute(*node, name);
  }
  std::map<std::string, std::string> AsText() const {
    std::map<std::string, std::string> text;
    for (const auto& [name, node] : component_.attributes) text[name] = node.AsText();
    return text;
  }

 private:
  std::optional<YamlNode> Get(const char* name) const {
    auto it = component_.attributes.find(name);
    if (it == component_.attributes.end() || it->second.IsNull()) return std::nullopt;
    return it->second;
  }
  const FlatComponent& component_;
};

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

StorageLevelSpec BuildStorage(const FlatComponent& component) {
  Attributes attributes(component);
  StorageLevelSpec level;
  level.name = component.name;
  level.component_class = component.component_class;
  level.subclass = component.subclass;
  level.instances = component.instances;
  level.mesh_x = component.mesh_x;
  level.mesh_y = component.mesh_y;
  level.is_dummy = component.is_dummy;
  level.attributes = attributes.AsText();
  level.where = component.node.Where();
  if (level.is_dummy) {  // holds nothing; Timeloop dumps it as a 1×1-bit buffer
    level.depth = 1;
    level.width_bits = level.word_bits = 1;
    return level;
  }
  level.is_dram = Lower(level.component_class) == "dram" || Lower(level.subclass) == "dram";
  // Timeloop v0.3 spellings (memory_depth, memory_width, word-bits) are read too.
  level.depth = attributes.Int("depth", 1, {"memory_depth"});
  auto word_bits = attributes.Int("datawidth", 1, {"word-bits", "word_bits"});
  auto width = attributes.Int("width", 1, {"memory_width"});
  auto block_size = attributes.Int("block_size", 1, {"block-size"});
  if (!word_bits)
    component.node.Fail("storage level " + level.name + " has no 'datawidth' attribute",
                        "attributes.datawidth: bits per value");
  level.word_bits = *word_bits;
  if (width) {
    if (*width % level.word_bits != 0)
      attributes.Find("width", {"memory_width"})
          ->Fail("width " + std::to_string(*width) + " is not a multiple of datawidth " +
                     std::to_string(level.word_bits),
                 "a width that is a multiple of datawidth");
    if (block_size && *block_size * level.word_bits != *width)
      attributes.Find("block_size", {"block-size"})
          ->Fail("block_size × datawidth != width", "block_size = width / datawidth");
    level.width_bits = *width;
    level.block_size = *width / level.word_bits;
  } else {
    level.block_size = block_size.value_or(1);
    CheckStorageSizes(component.node, level);
    level.width_bits = level.block_size * level.word_bits;
  }
  CheckStorageSizes(component.node, level);
  level.cluster_size = attributes.Int("cluster_size", 1, {"cluster-size"}).value_or(1);
  level.n_banks = attributes.Int("n_banks", 1).value_or(1);
  level.multiple_buffering = attributes.Positive("multiple_buffering").value_or(1.0);
  level.read_bandwidth = attributes.Positive("read_bandwidth");
  level.write_bandwidth = attributes.Positive("write_bandwidth");
  level.shared_bandwidth = attributes.Positive("shared_bandwidth");
  return level;
}

ArithmeticSpec BuildArithmetic(const FlatComponent& component) {
  Attributes attributes(component);
  if (component.is_dummy || attributes.Find("depth", {"memory_depth"}))
    component.node.Fail(
        "the innermost component must be the arithmetic unit, but " + component.name + " is a storage level",
        "a MAC component (e.g. class intmac) last in the architecture");
  if (component.constraints)
    component.constraints->Fail("constraints on the arithmetic unit are not supported",
                                "constraints on storage levels and containers");
  ArithmeticSpec arithmetic;
  arithmetic.name = component.name;
  arithmetic.component_class = component.component_class;
  arithmetic.instances = component.instances;
  arithmetic.mesh_x = component.mesh_x;
  arithmetic.mesh_y = component.mesh_y;
  for (const char* key : {"datawidth", "word_bits", "multiplier_width", "width"}) {
    if (auto bits = attributes.Int(key, 1)) {
      arithmetic.word_bits = *bits;
      break;
    }
  }
  arithmetic.attributes = attributes.AsText();
  arithmetic.where = component.node.Where();
  return arithmetic;
}

// Each level's instances must split evenly over the level below it, per mesh axis.
void CheckFanOuts(const Architecture& architecture, const std::vector<FlatComponent>& outer_first) {
  for (size_t i = 0; i < architecture.storage.size(); ++i) {
    const StorageLevelSpec& level = architecture.storage[i];
    int64_t inner_x = i == 0 ? architecture.arithmetic.mesh_x : architecture.storage[i - 1].mesh_x;
    int64_t inner_y = i == 0 ? architecture.arithmetic.mesh_y : architecture.storage[i - 1].mesh_y;
    if (inner_x % level.mesh_x != 0 || inner_y % level.mesh_y != 0) {
      const FlatComponent& inner = outer_first[outer_first.size() - 1 - i];
      inner.node.Fail("mesh " + std::to_string(inner_x) + "×" + std::to_string(inner_y) +
                          " is not a whole fan-out of " + level.name + "'s mesh " +
                          std::to_string(level.mesh_x) + "×" + std::to_string(level.mesh_y),
                      "meshX and meshY that are multiples of those of the level above");
    }
  }
}

}  // namespace

Architecture LoadArchitecture(const YamlNode& node, const Workload* workload) {
  std::vector<FlatComponent> components = FlattenArchitecture(node);
  Architecture architecture;
  architecture.where = node.Where();
  architecture.arithmetic = BuildArithmetic(components.back());
  for (size_t i = components.size() - 1; i-- > 0;) {
    const FlatComponent& component = components[i];
    if (architecture.StorageIndex(component.name) >= 0)
      component.node.Fail("two storage levels are named " + component.name, "unique component names");
    architecture.storage.push_back(BuildStorage(component));
    if (component.constraints && workload)
      architecture.constraints.push_back(LoadComponentConstraints(
          *component.constraints, static_cast<int>(architecture.storage.size() - 1), *workload));
  }
  CheckFanOuts(architecture, components);
  if (auto noc = node.Find("noc")) architecture.noc = LoadNoc(*noc);
  Attributes arithmetic_attributes(components.back());
  if (auto seconds = arithmetic_attributes.Positive("global_cycle_seconds")) {
    architecture.global_cycle_seconds = *seconds;
  } else {
    for (const FlatComponent& component : components)
      if (auto storage_seconds = Attributes(component).Positive("global_cycle_seconds")) {
        architecture.global_cycle_seconds = *storage_seconds;
        break;
      }
  }
  return architecture;
}

}  // namespace cyclops::spec
