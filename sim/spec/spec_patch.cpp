#include "sim/spec/spec_patch.h"

#include <yaml-cpp/yaml.h>

#include "sim/spec/yaml_reader.h"

namespace cyclops::spec {

namespace {

// yaml-cpp throws when asked the type of a missing ("zombie") node: ask whether it exists first.
bool IsMap(const YAML::Node& node) {
  return node.IsDefined() && node.IsMap();
}

// Read access that never inserts: yaml-cpp's non-const operator[] adds a missing key.
YAML::Node Get(const YAML::Node& map, const std::string& key) {
  if (!IsMap(map)) return YAML::Node(YAML::NodeType::Undefined);
  const YAML::Node& view = map;
  return view[key];
}

bool Present(const YAML::Node& node) {
  return node.IsDefined() && !node.IsNull();
}

std::vector<std::string> Keys(const YAML::Node& map) {
  std::vector<std::string> keys;
  if (IsMap(map))
    for (const auto& entry : map) keys.push_back(entry.first.Scalar());
  return keys;
}

// Writes a node as YAML keeping what the loader can see: local tags, flow style, quoted scalars.
void Emit(YAML::Emitter& out, const YAML::Node& node) {
  const std::string& tag = node.Tag();
  if (tag.size() > 1 && tag[0] == '!') out << YAML::LocalTag(tag.substr(1));
  switch (node.Type()) {
    case YAML::NodeType::Map:
      if (node.Style() == YAML::EmitterStyle::Flow) out << YAML::Flow;
      out << YAML::BeginMap;
      for (const auto& entry : node) {
        out << YAML::Key;
        Emit(out, entry.first);
        out << YAML::Value;
        Emit(out, entry.second);
      }
      out << YAML::EndMap;
      break;
    case YAML::NodeType::Sequence:
      if (node.Style() == YAML::EmitterStyle::Flow) out << YAML::Flow;
      out << YAML::BeginSeq;
      for (const auto& item : node) Emit(out, item);
      out << YAML::EndSeq;
      break;
    case YAML::NodeType::Scalar:
      if (tag == "!") out << YAML::DoubleQuoted;  // it was quoted: keep "0.4" a string
      out << node.Scalar();
      break;
    default:
      out << YAML::Null;
  }
}

std::string BaseName(const std::string& name) {
  return name.substr(0, name.find('['));  // "ifmap_spad[1..168]" → "ifmap_spad"
}

// Every named component or container of an architecture, in file order: the v0.4 `nodes` tree and the
// dumped `subtree`/`local` form.
void CollectNamed(const YAML::Node& list, std::vector<YAML::Node>& named) {
  if (!list.IsDefined() || !list.IsSequence()) return;
  for (const YAML::Node& item : list) {
    if (!IsMap(item)) continue;
    if (Present(Get(item, "name"))) named.push_back(item);
    CollectNamed(Get(item, "nodes"), named);
    CollectNamed(Get(item, "local"), named);
    CollectNamed(Get(item, "subtree"), named);
  }
}

// Sets map[key] = value; whether that changed anything (the same value written again keeps the text).
bool SetScalar(YAML::Node map, const std::string& key, const std::string& value) {
  const YAML::Node existing = Get(map, key);
  if (existing.IsDefined() && existing.IsScalar() && existing.Scalar() == value) return false;
  map[key] = value;
  return true;
}

struct Document {
  std::string name;
  YAML::Node root;
  bool changed = false;
};

class Patcher {
 public:
  explicit Patcher(const std::vector<SpecDocument>& documents) {
    for (const SpecDocument& document : documents) {
      try {
        documents_.push_back({document.name, YAML::Load(document.text)});
      } catch (const YAML::Exception& error) {
        throw SpecError({document.name, error.mark.line + 1, error.mark.column + 1, ""},
                        "YAML syntax error: " + error.msg, "well-formed YAML");
      }
    }
  }

  void Apply(const SpecAssignment& assignment) {
    const SweepParameter& parameter = *assignment.parameter;
    switch (parameter.kind) {
      case SweepKeyKind::kArchitectureAttribute:
        SetAttribute(parameter, assignment.value);
        break;
      case SweepKeyKind::kNocParam:
        SetNocParam(parameter, assignment.value);
        break;
      case SweepKeyKind::kSpecPath:
        SetPath(parameter, assignment.value);
        break;
      default:
        break;
    }
  }

  std::vector<PatchedDocument> Result(const std::vector<SpecDocument>& originals) const {
    std::vector<PatchedDocument> result;
    for (size_t i = 0; i < documents_.size(); ++i) {
      if (!documents_[i].changed) {
        result.push_back({originals[i], false});
        continue;
      }
      YAML::Emitter out;
      Emit(out, documents_[i].root);
      result.push_back({{documents_[i].name, std::string(out.c_str()) + "\n"}, true});
    }
    return result;
  }

 private:
  [[noreturn]] static void Fail(const SweepParameter& parameter, const std::string& problem,
                                const std::string& valid) {
    throw SpecError(parameter.where, "'" + parameter.key + "': " + problem, valid);
  }

  // The document giving a non-empty top-level `key`, or nullptr.
  Document* Holding(const std::string& key) {
    for (Document& document : documents_)
      if (IsMap(document.root) && Present(Get(document.root, key)) && Get(document.root, key).size() > 0)
        return &document;
    return nullptr;
  }

  Document& Require(const SweepParameter& parameter, const std::string& key) {
    Document* document = Holding(key);
    if (!document)
      Fail(parameter, "no spec file gives '" + key + "'", "a base file with a top-level '" + key + "'");
    return *document;
  }

  void SetAttribute(const SweepParameter& parameter, const std::string& value) {
    Document& document = Require(parameter, "architecture");
    const YAML::Node architecture = Get(document.root, "architecture");
    std::vector<YAML::Node> named;
    CollectNamed(Get(architecture, "nodes"), named);
    CollectNamed(Get(architecture, "local"), named);
    CollectNamed(Get(architecture, "subtree"), named);
    const std::string& component = parameter.path[1];
    std::vector<std::string> names;
    for (YAML::Node node : named) {
      const std::string name = BaseName(Get(node, "name").Scalar());
      names.push_back(name);
      if (name != component) continue;
      if (parameter.path[2] == "spatial") {
        YAML::Node spatial = Get(node, "spatial");
        if (!IsMap(spatial))
          Fail(parameter, "'" + component + "' in " + document.name + " has no spatial fan-out",
               "a container with spatial: {meshX, meshY}");
        document.changed |= SetScalar(spatial, parameter.path[3], value);
      } else {
        YAML::Node attributes = Get(node, "attributes");
        if (!Present(Get(attributes, parameter.path[2])))
          Fail(parameter,
               "'" + component + "' in " + document.name + " has no attribute '" + parameter.path[2] + "'",
               "one it has (a sweep replaces values): " + JoinNames(Keys(attributes)));
        document.changed |= SetScalar(attributes, parameter.path[2], value);
      }
      return;
    }
    Fail(parameter, "no component or container named '" + component + "' in " + document.name,
         JoinNames(names));
  }

  void SetNocParam(const SweepParameter& parameter, const std::string& value) {
    Document& document = Require(parameter, "architecture");
    YAML::Node noc = Get(Get(document.root, "architecture"), "noc");
    if (!IsMap(noc))
      Fail(parameter, "the architecture in " + document.name + " has no noc",
           "an architecture with a `noc:` key");
    if (parameter.path[1] == "topology") {
      document.changed |= SetScalar(noc, "topology", value);
    } else {
      if (!IsMap(Get(noc, "params"))) noc["params"] = YAML::Node(YAML::NodeType::Map);
      // Builders have defaults (a parameter may be added); the builder checks the name.
      document.changed |= SetScalar(Get(noc, "params"), parameter.path[1], value);
    }
  }

  void SetPath(const SweepParameter& parameter, const std::string& value) {
    const std::string& top = parameter.path.front();
    Document* document = Holding(top);
    if (!document && top == "cyclops") {  // settings have defaults: a document of its own
      documents_.push_back({"sweep_cyclops.yaml", YAML::Node(YAML::NodeType::Map)});
      documents_.back().root["cyclops"] = YAML::Node(YAML::NodeType::Map);
      document = &documents_.back();
    }
    if (!document) Require(parameter, top);
    // A chain of handles, not one reassigned handle: assigning a YAML::Node to another rebinds the
    // node it pointed at, which would rewrite the document.
    std::vector<YAML::Node> chain{Get(document->root, top)};
    std::string at = top;
    for (size_t i = 1; i + 1 < parameter.path.size(); ++i) {
      chain.push_back(Get(chain.back(), parameter.path[i]));
      if (!IsMap(chain.back()))
        Fail(parameter, "no map '" + parameter.path[i] + "' under '" + at + "' in " + document->name,
             JoinNames(Keys(chain[chain.size() - 2])));
      at += "." + parameter.path[i];
    }
    YAML::Node& node = chain.back();
    const std::string& last = parameter.path.back();
    if (!IsMap(node))
      Fail(parameter, "'" + at + "' in " + document->name + " is not a map", "a map key path");
    if (top != "cyclops" && !Present(Get(node, last)))
      Fail(parameter, "no key '" + last + "' under '" + at + "' in " + document->name,
           "one it has (a sweep replaces values): " + JoinNames(Keys(node)));
    document->changed |= SetScalar(node, last, value);
  }

  std::vector<Document> documents_;
};

}  // namespace

std::vector<PatchedDocument> PatchSpecDocuments(const std::vector<SpecDocument>& documents,
                                                const std::vector<SpecAssignment>& assignments) {
  Patcher patcher(documents);
  for (const SpecAssignment& assignment : assignments) patcher.Apply(assignment);
  std::vector<SpecDocument> originals = documents;
  return patcher.Result(originals);
}

}  // namespace cyclops::spec
