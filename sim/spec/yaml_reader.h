// A strict, location-aware view of one YAML node. Every spec module reads YAML only through this class,
// so every error names file, line, column and key path, and no yaml-cpp exception escapes the loader.
// Internal to sim/spec: this is the only header that includes yaml-cpp, and no header outside
// sim/spec may include it.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sim/core/error.h"

namespace cyclops::spec {

class YamlNode {
 public:
  YamlNode(YAML::Node node, std::string file, std::string key_path);

  const std::string& file() const { return file_; }
  const std::string& key_path() const { return key_path_; }
  SourceLocation Where() const;
  [[noreturn]] void Fail(const std::string& problem, const std::string& valid = {}) const;

  bool IsMap() const { return node_.IsMap(); }
  bool IsList() const { return node_.IsSequence(); }
  bool IsScalar() const { return node_.IsScalar(); }
  bool IsNull() const { return node_.IsNull(); }
  // Null, an empty list or an empty map: what a top-level key may hold and still be overridden.
  bool IsEmpty() const;
  // The explicit tag (e.g. "!Container"); empty when the node has none.
  std::string Tag() const;
  // Short description of the node kind for messages: "a map", "a list", "'text'".
  std::string Describe() const;

  // Map access. ExpectMap/ExpectList fail unless the node has that kind.
  void ExpectMap(const std::string& what = "a map") const;
  void ExpectList(const std::string& what = "a list") const;
  // Fails on the first key not in `allowed`, pointing at the key and listing the allowed ones.
  void CheckKeys(std::initializer_list<const char*> allowed) const;
  void CheckKeys(const std::vector<std::string>& allowed) const;
  bool Has(const std::string& key) const;
  std::optional<YamlNode> Find(const std::string& key) const;  // absent or null → nullopt
  YamlNode Require(const std::string& key) const;              // absent or null → error
  // Map entries in file order, with the key's own location (for errors about the key itself).
  struct Entry;
  std::vector<Entry> Entries() const;
  // List items (a null node is an empty list).
  std::vector<YamlNode> Items() const;

  // Scalar conversions; each fails with what was found and what is valid.
  std::string AsString() const;
  int64_t AsInt() const;
  int64_t AsIntAtLeast(int64_t minimum) const;
  double AsDouble() const;
  bool AsBool() const;
  // A scalar as written, or a one-line rendering of a list/map (attributes kept for reports).
  std::string AsText() const;

 private:
  YamlNode Child(const YAML::Node& node, const std::string& suffix) const;

  YAML::Node node_;
  std::string file_;
  std::string key_path_;
};

struct YamlNode::Entry {
  std::string key;
  SourceLocation key_where;
  YamlNode value;
};

// "a, b, c" for messages that list what is valid.
std::string JoinNames(const std::vector<std::string>& names);

// Where the first line that is not blank, a comment, a directive or a document marker starts (1-based
// line and column); nothing when the text holds no YAML content.
std::optional<std::pair<int, int>> FirstContent(const std::string& text);

// Parses `text` as one YAML document named `file`; syntax errors become SpecError, and so do a second
// document, control characters, and content yaml-cpp would read as no document at all.
YamlNode ParseYamlDocument(const std::string& file, const std::string& text);

}  // namespace cyclops::spec
