#include "sim/spec/sparse_loader.h"

#include <algorithm>

#include "sim/spec/architecture_tree.h"

namespace cyclops::spec {

namespace {

// Sparseloop's rank formats: written name (either case) → canonical name, and whether the rank stores
// only its nonempty elements.
struct FormatInfo {
  const char* name;
  bool compressed;
};
const FormatInfo kFormats[] = {{"u", false}, {"ub", false}, {"uop", false},
                               {"cp", true}, {"b", true},   {"rle", true}};
const char* const kFormatNames = "U, UB, UOP, CP, B, RLE (or lower case)";

std::vector<std::string> DataSpaceNames(const Workload& workload) {
  std::vector<std::string> names;
  for (const DataSpaceSpec& space : workload.data_spaces) names.push_back(space.name);
  return names;
}

// Where one directive ({representation_format, action_optimization, compute_optimization}) applies.
struct Directive {
  YamlNode body;
  int level;  // storage level index, or -1 for the arithmetic unit
};

// Names a storage level or the arithmetic unit; -1 means the arithmetic unit.
int TargetLevel(const Architecture& architecture, const YamlNode& name_node) {
  const std::string name = name_node.AsString();
  if (name == architecture.arithmetic.name) return -1;
  const int level = architecture.StorageIndex(name);
  if (level < 0) {
    std::vector<std::string> names;
    for (const StorageLevelSpec& storage : architecture.storage) names.push_back(storage.name);
    names.push_back(architecture.arithmetic.name);
    name_node.Fail("no architecture component is named '" + name + "'", "one of " + JoinNames(names));
  }
  return level;
}

class SparseLoader {
 public:
  SparseLoader(const Architecture& architecture, const Workload& workload,
               const std::vector<SparseLevelAttributes>& attributes, std::vector<std::string>& notes)
      : architecture_(architecture), workload_(workload), attributes_(attributes), notes_(notes) {}

  int DataSpace(const YamlNode& node) const {
    const std::string name = node.AsString();
    const int index = workload_.DataSpaceIndex(name);
    if (index < 0)
      node.Fail("unknown data space '" + name + "'", "data spaces " + JoinNames(DataSpaceNames(workload_)));
    return index;
  }

  void Apply(const Directive& directive, SparseOptimizations& result) const {
    const YamlNode& body = directive.body;
    if (directive.level < 0) {
      for (const char* key : {"representation_format", "action_optimization"})
        if (auto misplaced = body.Find(key))
          misplaced->Fail(std::string(key) + " applies to storage levels, not the arithmetic unit '" +
                              architecture_.arithmetic.name + "'",
                          "compute_optimization on the arithmetic unit");
      if (auto compute = body.Find("compute_optimization")) {
        if (result.compute)
          compute->Fail("compute_optimization for '" + architecture_.arithmetic.name + "' is also given at " +
                        result.compute->where.ToString());
        result.compute = LoadCompute(*compute);
      }
      return;
    }
    if (auto compute = body.Find("compute_optimization"))
      compute->Fail("compute_optimization applies to the arithmetic unit '" + architecture_.arithmetic.name +
                        "', not to storage level '" + architecture_.storage[directive.level].name + "'",
                    "compute_optimization under the arithmetic unit");
    if (const StorageSparseSpec* earlier = result.Level(directive.level))
      body.Fail("sparse optimizations for '" + architecture_.storage[directive.level].name +
                    "' are also given at " + earlier->where.ToString(),
                "one sparse_optimizations block per component");
    StorageSparseSpec level;
    level.level = directive.level;
    level.where = body.Where();
    if (auto formats = body.Find("representation_format")) level.formats = LoadFormats(*formats, level.level);
    if (auto actions = body.Find("action_optimization")) LoadActions(*actions, level);
    result.levels.push_back(std::move(level));
  }

 private:
  std::vector<DataSpaceFormatSpec> LoadFormats(const YamlNode& node, int level) const {
    node.ExpectMap("a representation format {data_spaces: [...]}");
    node.CheckKeys({"data_spaces"});
    std::vector<DataSpaceFormatSpec> formats;
    for (const YamlNode& item : node.Require("data_spaces").Items()) {
      item.ExpectMap("a data space format {name, ranks, rank_application_order}");
      item.CheckKeys({"name", "ranks", "rank_application_order", "compression_rate"});
      DataSpaceFormatSpec format;
      format.where = item.Where();
      const YamlNode name = item.Require("name");
      format.data_space = DataSpace(name);
      for (const DataSpaceFormatSpec& earlier : formats)
        if (earlier.data_space == format.data_space)
          name.Fail("data space " + name.AsString() + " has two formats at this level", "one format each");
      if (auto order = item.Find("rank_application_order")) {
        const std::string text = order->AsString();
        if (text != "inner_to_outer" && text != "outer_to_inner")
          order->Fail("unknown rank_application_order '" + text + "'", "inner_to_outer, outer_to_inner");
        format.ranks_inner_to_outer = text == "inner_to_outer";
      }
      const YamlNode ranks = item.Require("ranks");
      ranks.ExpectList("a list of ranks, outermost first");
      const std::vector<YamlNode> written = ranks.Items();
      if (written.empty())
        ranks.Fail("a format needs at least one rank", "ranks: [{format: UOP}, {format: CP}]");
      for (size_t r = written.size(); r-- > 0;) format.ranks.push_back(LoadRank(written[r], level));
      // Sparseloop models a compressed rank only below uncompressed ones, never above.
      for (size_t r = 1; r < format.ranks.size(); ++r)
        if (format.ranks[r].compressed && !format.ranks[r - 1].compressed)
          written[written.size() - 1 - r].Fail(
              "a compressed rank (" + format.ranks[r].format + ") above an uncompressed rank (" +
                  format.ranks[r - 1].format + ") is not supported by Sparseloop",
              "compressed ranks innermost, e.g. [UOP, CP]");
      if (auto rate = item.Find("compression_rate")) {
        if (!format.Compressed())
          rate->Fail("a compression_rate needs a compressed format", "no compression_rate for U, UB, UOP");
        rate->AsDouble();
        notes_.push_back("read but not used: '" + rate->key_path() + "' (" + rate->Where().ToString() +
                         "): Sparseloop keeps it as a placeholder");
      }
      formats.push_back(std::move(format));
    }
    return formats;
  }

  RankFormatSpec LoadRank(const YamlNode& node, int level) const {
    node.ExpectMap("a rank {format, metadata_word_bits, payload_word_bits, flattened_rankIDs}");
    node.CheckKeys({"format", "metadata_word_bits", "payload_word_bits", "flattened_rankIDs"});
    RankFormatSpec rank;
    rank.where = node.Where();
    const YamlNode format = node.Require("format");
    const std::string written = format.AsString();
    const FormatInfo* info = nullptr;
    for (const FormatInfo& candidate : kFormats) {
      std::string upper = candidate.name;
      std::transform(upper.begin(), upper.end(), upper.begin(),
                     [](unsigned char c) { return std::toupper(c); });
      if (written == candidate.name || written == upper) info = &candidate;
    }
    if (info == nullptr) format.Fail("unknown rank format '" + written + "'", kFormatNames);
    rank.format = info->name;
    rank.compressed = info->compressed;
    rank.payload_word_bits = WordBits(node.Find("payload_word_bits"), level, node);
    rank.metadata_word_bits = WordBits(node.Find("metadata_word_bits"), level, node);
    if (auto flattened = node.Find("flattened_rankIDs")) {
      for (const YamlNode& group : flattened->Items()) {
        if (!group.IsList()) group.Fail("expected a list of dimension names, got " + group.Describe());
        std::vector<int> dimensions;
        for (const YamlNode& dimension : group.Items()) {
          const int index = workload_.DimensionIndex(dimension.AsString());
          if (index < 0)
            dimension.Fail("unknown dimension '" + dimension.AsString() + "'",
                           "dimensions " + JoinNames(workload_.dimensions));
          dimensions.push_back(index);
        }
        rank.flattened_rank_ids.push_back(dimensions);
      }
    }
    return rank;
  }

  // Sparseloop's AdjustFormatWordBits: the level's metadata_datawidth unless given; widened until it
  // divides the metadata storage width; never wider than that storage.
  int64_t WordBits(const std::optional<YamlNode>& written, int level, const YamlNode& rank) const {
    const SparseLevelAttributes& attributes = attributes_[level];
    const int64_t width = attributes.metadata_storage_width;
    int64_t bits = written ? written->AsIntAtLeast(0) : attributes.metadata_datawidth;
    if (written && bits != 0 && width % bits != 0) {
      const int64_t specified = bits;
      for (bits = specified; bits < 2 * specified; ++bits)
        if (width % bits == 0) break;
      notes_.push_back(architecture_.storage[level].name + ": representation format word bits widened from " +
                       std::to_string(specified) + " to " + std::to_string(bits) +
                       " to avoid fragmenting the metadata storage (" + written->Where().ToString() + ")");
    }
    if (bits > width) {
      const std::string widened =
          written && written->AsIntAtLeast(0) != bits ? " (widened to " + std::to_string(bits) + ")" : "";
      (written ? *written : rank)
          .Fail("metadata word bits " + std::to_string(written ? written->AsIntAtLeast(0) : bits) + widened +
                    " exceed the metadata storage width " + std::to_string(width) + " of '" +
                    architecture_.storage[level].name + "'",
                "metadata_storage_width >= the metadata/payload word bits (attribute metadata_storage_width, "
                "metadata_datawidth)");
    }
    return bits;
  }

  ConditionedOnSpec LoadOption(const YamlNode& node) const {
    ConditionedOnSpec option;
    option.where = node.Where();
    option.target = DataSpace(node.Require("target"));
    const YamlNode condition = node.Require("condition_on");
    if (!condition.IsList())
      condition.Fail("condition_on must be a list of data spaces, got " + condition.Describe(),
                     "condition_on: [A] or [A, B]");
    for (const YamlNode& name : condition.Items()) {
      const int data_space = DataSpace(name);
      if (data_space == option.target) name.Fail("a tensor cannot be conditioned on itself");
      option.condition_on.push_back(data_space);
    }
    if (option.condition_on.empty()) condition.Fail("condition_on names no data space", "condition_on: [A]");
    return option;
  }

  void LoadActions(const YamlNode& node, StorageSparseSpec& level) const {
    node.ExpectList("a list of action optimizations {type, options: [{target, condition_on}]}");
    for (const YamlNode& item : node.Items()) {
      item.ExpectMap("an action optimization {type, options} or {type, target, condition_on}");
      item.CheckKeys({"type", "options", "target", "condition_on"});
      ActionOptimizationSpec action;
      action.where = item.Where();
      const YamlNode type = item.Require("type");
      const std::string kind = type.AsString();
      if (kind == "skipping_spatial") type.Fail("spatial skipping is not modelled yet", "gating or skipping");
      if (kind != "gating" && kind != "skipping")
        type.Fail("unknown action optimization type '" + kind + "'", "gating, skipping");
      action.skipping = kind == "skipping";
      if (auto options = item.Find("options")) {
        if (item.Has("target") || item.Has("condition_on"))
          options->Fail("give either 'options' or 'target'/'condition_on', not both");
        for (const YamlNode& option : options->Items()) {
          option.ExpectMap("an option {target, condition_on}");
          option.CheckKeys({"target", "condition_on"});
          action.options.push_back(LoadOption(option));
        }
        if (action.options.empty()) options->Fail("an action optimization needs at least one option");
      } else {
        action.options.push_back(LoadOption(item));
      }
      (action.skipping ? level.skipping : level.gating).push_back(std::move(action));
    }
  }

  ComputeSparseSpec LoadCompute(const YamlNode& node) const {
    node.ExpectList("a list of compute optimizations {type: gating | skipping}");
    ComputeSparseSpec compute;
    compute.where = node.Where();
    for (const YamlNode& item : node.Items()) {
      item.ExpectMap("a compute optimization {type}");
      item.CheckKeys({"type"});
      const YamlNode type = item.Require("type");
      const std::string kind = type.AsString();
      if (kind == "gating" || kind == "gate_on_zero_operand") {
        compute.gate_on_zero_operand = true;
      } else if (kind == "skipping" || kind == "skip_on_not_aligned_operands") {
        compute.skip_on_not_aligned_operands = true;
      } else {
        type.Fail("unknown compute optimization type '" + kind + "'",
                  "gating (gate_on_zero_operand), skipping (skip_on_not_aligned_operands)");
      }
    }
    return compute;
  }

 private:
  const Architecture& architecture_;
  const Workload& workload_;
  const std::vector<SparseLevelAttributes>& attributes_;
  std::vector<std::string>& notes_;
};

// A component's attribute under either of two spellings (giving both is an error).
std::optional<YamlNode> Attribute(const FlatComponent& component, const char* name,
                                  const char* alias = nullptr) {
  auto get = [&](const char* key) -> std::optional<YamlNode> {
    if (key == nullptr) return std::nullopt;
    auto it = component.attributes.find(key);
    if (it == component.attributes.end() || it->second.IsNull()) return std::nullopt;
    return it->second;
  };
  std::optional<YamlNode> found = get(name);
  std::optional<YamlNode> other = get(alias);
  if (found && other) other->Fail(std::string("give only one of '") + name + "' and '" + alias + "'", name);
  return found ? found : other;
}

SparseLevelAttributes LoadAttributes(const FlatComponent& component) {
  SparseLevelAttributes attributes;
  if (auto width = Attribute(component, "metadata_storage_width", "metadata_width"))
    attributes.metadata_storage_width = width->AsIntAtLeast(0);
  if (auto depth = Attribute(component, "metadata_storage_depth", "metadata_depth"))
    attributes.metadata_storage_depth = depth->AsIntAtLeast(0);
  if (auto bits = Attribute(component, "metadata_datawidth", "metadata_word_bits"))
    attributes.metadata_datawidth = bits->AsIntAtLeast(0);
  std::optional<YamlNode> block = Attribute(component, "metadata_block_size");
  if (block) attributes.metadata_block_size = block->AsIntAtLeast(1);
  if (auto counter = Attribute(component, "metadata_counter_width"))
    attributes.metadata_counter_width = counter->AsIntAtLeast(0);
  if (auto flag = Attribute(component, "compression_supported"))
    attributes.compression_supported = flag->AsBool();
  if (auto flag = Attribute(component, "decompression_supported"))
    attributes.decompression_supported = flag->AsBool();
  const int64_t row = attributes.metadata_datawidth * attributes.metadata_block_size;
  if (row != 0 && attributes.metadata_storage_width % row != 0)
    Attribute(component, "metadata_storage_width", "metadata_width")
        ->Fail("metadata_storage_width " + std::to_string(attributes.metadata_storage_width) +
                   " is not a multiple of metadata_datawidth x metadata_block_size = " + std::to_string(row),
               "a metadata storage width that holds whole metadata words");
  if (auto flag = Attribute(component, "tile_partition_supported"); flag && flag->AsBool())
    flag->Fail("runtime tile partitioning is not supported (nor by Sparseloop)",
               "tile_partition_supported: false");
  if (auto flag = Attribute(component, "allow_overbooking"); flag && flag->AsBool())
    flag->Fail("overbooking is not modelled for sparse tensors", "allow_overbooking: false");
  return attributes;
}

std::vector<Directive> TopLevelDirectives(const YamlNode& node, const Architecture& architecture) {
  node.ExpectMap("sparse optimizations {targets: [{name, representation_format, action_optimization, ...}]}");
  node.CheckKeys({"version", "targets"});
  std::vector<Directive> directives;
  for (const YamlNode& target : node.Require("targets").Items()) {
    target.ExpectMap("a target {name, representation_format, action_optimization, compute_optimization}");
    target.CheckKeys({"name", "representation_format", "action_optimization", "compute_optimization"});
    directives.push_back({target, TargetLevel(architecture, target.Require("name"))});
  }
  return directives;
}

}  // namespace

std::optional<SparseOptimizations> LoadSparseOptimizations(const YamlNode& architecture,
                                                           const std::optional<YamlNode>& top_level,
                                                           const Architecture& typed_architecture,
                                                           const Workload& workload,
                                                           std::vector<std::string>& notes) {
  const std::vector<FlatComponent> components = FlattenArchitecture(architecture);
  // Components are outermost first and end with the arithmetic unit; storage is indexed innermost first.
  auto storage_index = [&](size_t component) { return static_cast<int>(components.size() - 2 - component); };
  std::vector<Directive> directives;
  for (size_t c = 0; c < components.size(); ++c) {
    const auto& block = components[c].sparse_optimizations;
    if (!block) continue;
    block->ExpectMap(
        "sparse optimizations {representation_format, action_optimization, compute_optimization}");
    block->CheckKeys({"representation_format", "action_optimization", "compute_optimization"});
    directives.push_back({*block, c + 1 == components.size() ? -1 : storage_index(c)});
  }
  if (top_level) {
    std::vector<Directive> more = TopLevelDirectives(*top_level, typed_architecture);
    directives.insert(directives.end(), more.begin(), more.end());
  }
  if (directives.empty()) return std::nullopt;

  SparseOptimizations result;
  result.where = directives.front().body.Where();
  result.attributes.resize(typed_architecture.storage.size());
  for (size_t c = 0; c + 1 < components.size(); ++c)
    result.attributes[storage_index(c)] = LoadAttributes(components[c]);
  const SparseLoader loader(typed_architecture, workload, result.attributes, notes);
  for (const Directive& directive : directives) loader.Apply(directive, result);
  return result;
}

}  // namespace cyclops::spec
