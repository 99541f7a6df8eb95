#include "sim/spec/yaml_reader.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "sim/core/text_escape.h"

namespace cyclops::spec {

namespace {
std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}
// Names end up in reports, JSON, YAML and CSV: they must be UTF-8 and hold no control characters (a
// line break in a name would also split the one-line error messages that quote it).
void CheckText(const YamlNode& node, const std::string& text) {
  if (auto bad = FirstInvalidUtf8(text)) {
    char byte[8];
    std::snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned char>(text[*bad]));
    node.Fail("invalid UTF-8 byte " + std::string(byte) + " at byte " + std::to_string(*bad) + " of '" +
                  PrintableText(text) + "'",
              "UTF-8 text");
  }
  if (auto control = FirstControlCharacter(text))
    node.Fail("a control character at byte " + std::to_string(*control) + " of '" + PrintableText(text) + "'",
              "text without control characters (tabs, line breaks, ...)");
}

// The line where a second YAML document starts, 0 when the text holds one. Found in the text rather than
// by yaml-cpp's LoadAll, which loops forever on some malformed streams. Exact by YAML's rules: a line
// that starts with "---" or "..." followed by a blank or its end is always a document marker (never
// part of a scalar).
int SecondDocumentLine(const std::string& text) {
  bool content = false, ended = false;
  int line = 0;
  for (size_t start = 0; start < text.size();) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    ++line;
    const std::string row = text.substr(start, end - start);
    start = end + 1;
    const bool marker = (row.rfind("---", 0) == 0 || row.rfind("...", 0) == 0) &&
                        (row.size() == 3 || row[3] == ' ' || row[3] == '\t' || row[3] == '\r');
    const size_t first = row.find_first_not_of(" \t\r");
    const size_t after_marker = marker ? row.find_first_not_of(" \t\r", 3) : first;
    const bool has_content = after_marker != std::string::npos && row[after_marker] != '#' &&
                             !(first == 0 && row[0] == '%' && !content);
    if (marker && row[0] == '.') {
      ended = ended || content;
      continue;
    }
    if (marker) {  // "---": starts a document; a second one when the first had anything in it
      if (content || ended) return line;
      content = has_content;
      continue;
    }
    if (has_content) {
      if (ended) return line;
      content = true;
    }
  }
  return 0;
}

// YAML streams may not hold C0 control characters other than tab, line feed and carriage return; yaml-cpp
// loops forever on a NUL when looking for further documents, so they are refused before it sees them.
void CheckStreamCharacters(const std::string& file, const std::string& text) {
  int line = 1, column = 1;
  for (const char c : text) {
    const unsigned char byte = static_cast<unsigned char>(c);
    if (byte < 0x20 && byte != '\t' && byte != '\n' && byte != '\r') {
      char code[8];
      std::snprintf(code, sizeof code, "0x%02X", byte);
      throw SpecError({file, line, column, ""}, std::string("a control character (") + code + ") in the text",
                      "YAML text: printable characters, tabs and line breaks");
    }
    if (c == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
}

}  // namespace

std::string JoinNames(const std::vector<std::string>& names) {
  std::string text;
  for (const std::string& name : names) {
    if (!text.empty()) text += ", ";
    text += name;
  }
  return text;
}

YamlNode::YamlNode(YAML::Node node, std::string file, std::string key_path)
    : node_(std::move(node)), file_(std::move(file)), key_path_(std::move(key_path)) {}

SourceLocation YamlNode::Where() const {
  SourceLocation where{file_, 0, 0, key_path_};
  // A node built by yaml-cpp rather than parsed (or a zombie) has no usable mark.
  if (node_.IsDefined()) {
    YAML::Mark mark = node_.Mark();
    if (mark.line >= 0) {
      where.line = mark.line + 1;
      where.column = mark.column + 1;
    }
  }
  return where;
}

void YamlNode::Fail(const std::string& problem, const std::string& valid) const {
  throw SpecError(Where(), problem, valid);
}

bool YamlNode::IsEmpty() const {
  return node_.IsNull() || ((node_.IsSequence() || node_.IsMap()) && node_.size() == 0);
}

std::string YamlNode::Tag() const {
  const std::string& tag = node_.Tag();
  // yaml-cpp reports "?" / "!" for untagged nodes.
  if (tag.size() <= 1) return {};
  return tag;
}

std::string YamlNode::Describe() const {
  if (node_.IsMap()) return "a map";
  if (node_.IsSequence()) return "a list";
  if (node_.IsNull()) return "nothing (null)";
  return "'" + node_.Scalar() + "'";
}

void YamlNode::ExpectMap(const std::string& what) const {
  if (!node_.IsMap()) Fail("expected " + what + ", got " + Describe(), what);
}

void YamlNode::ExpectList(const std::string& what) const {
  if (!node_.IsSequence() && !node_.IsNull()) Fail("expected " + what + ", got " + Describe(), what);
}

void YamlNode::CheckKeys(std::initializer_list<const char*> allowed) const {
  CheckKeys(std::vector<std::string>(allowed.begin(), allowed.end()));
}

void YamlNode::CheckKeys(const std::vector<std::string>& allowed) const {
  for (const Entry& entry : Entries()) {
    if (std::find(allowed.begin(), allowed.end(), entry.key) == allowed.end())
      throw SpecError(entry.key_where, "unknown key '" + entry.key + "'", JoinNames(allowed));
  }
}

bool YamlNode::Has(const std::string& key) const {
  return node_.IsMap() && node_[key].IsDefined();
}

YamlNode YamlNode::Child(const YAML::Node& node, const std::string& suffix) const {
  return YamlNode(node, file_, key_path_ + suffix);
}

std::optional<YamlNode> YamlNode::Find(const std::string& key) const {
  ExpectMap();
  const YAML::Node& self = node_;
  YAML::Node child = self[key];
  if (!child.IsDefined() || child.IsNull()) return std::nullopt;
  return Child(child, key_path_.empty() ? key : "." + key);
}

YamlNode YamlNode::Require(const std::string& key) const {
  std::optional<YamlNode> child = Find(key);
  if (!child) Fail("missing required key '" + key + "'", "a map with '" + key + "'");
  return *child;
}

std::vector<YamlNode::Entry> YamlNode::Entries() const {
  ExpectMap();
  std::vector<Entry> entries;
  for (auto it = node_.begin(); it != node_.end(); ++it) {
    YamlNode key_node = Child(it->first, "");
    if (!it->first.IsScalar()) key_node.Fail("a map key must be a plain name, got " + key_node.Describe());
    std::string key = it->first.Scalar();
    CheckText(key_node, key);
    for (const Entry& earlier : entries)
      if (earlier.key == key) key_node.Fail("key '" + key + "' appears twice in this map", "each key once");
    std::string path = key_path_.empty() ? key : key_path_ + "." + key;
    SourceLocation key_where = key_node.Where();
    key_where.key_path = path;
    entries.push_back({key, key_where, YamlNode(it->second, file_, path)});
  }
  return entries;
}

std::vector<YamlNode> YamlNode::Items() const {
  ExpectList();
  std::vector<YamlNode> items;
  if (node_.IsNull()) return items;
  for (size_t i = 0; i < node_.size(); ++i) {
    std::string suffix = "[";
    suffix += std::to_string(i);
    suffix += ']';
    items.push_back(Child(node_[i], suffix));
  }
  return items;
}

std::string YamlNode::AsString() const {
  if (!node_.IsScalar()) Fail("expected a string, got " + Describe(), "a string");
  CheckText(*this, node_.Scalar());
  return node_.Scalar();
}

int64_t YamlNode::AsInt() const {
  if (!node_.IsScalar()) Fail("expected an integer, got " + Describe(), "an integer");
  const std::string& text = node_.Scalar();
  int64_t value = 0;
  const char* begin = text.data() + (!text.empty() && text[0] == '+' ? 1 : 0);
  auto [end, error] = std::from_chars(begin, text.data() + text.size(), value);
  if (error == std::errc() && end == text.data() + text.size()) return value;
  // Accept integral floating forms such as 1e3 or 16.0, which YAML writers produce.
  char* double_end = nullptr;
  errno = 0;
  double as_double = std::strtod(text.c_str(), &double_end);
  if (errno == 0 && !text.empty() && *double_end == '\0' && std::abs(as_double) < 9e15 &&
      as_double == static_cast<double>(int64_t(as_double)))
    return static_cast<int64_t>(as_double);
  Fail("expected an integer, got '" + text + "'", "an integer");
}

int64_t YamlNode::AsIntAtLeast(int64_t minimum) const {
  int64_t value = AsInt();
  if (value < minimum)
    Fail("expected an integer >= " + std::to_string(minimum) + ", got " + std::to_string(value),
         "an integer >= " + std::to_string(minimum));
  return value;
}

double YamlNode::AsDouble() const {
  if (!node_.IsScalar()) Fail("expected a number, got " + Describe(), "a number");
  const std::string& text = node_.Scalar();
  char* end = nullptr;
  errno = 0;
  double value = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || errno == ERANGE)
    Fail("expected a number, got '" + PrintableText(text) + "'", "a number");
  if (!std::isfinite(value)) Fail("expected a finite number, got '" + text + "'", "a finite number");
  return value;
}

bool YamlNode::AsBool() const {
  if (node_.IsScalar()) {
    std::string text = Lower(node_.Scalar());
    if (text == "true" || text == "yes" || text == "on") return true;
    if (text == "false" || text == "no" || text == "off") return false;
  }
  Fail("expected true or false, got " + Describe(), "true, false");
}

std::string YamlNode::AsText() const {
  if (node_.IsScalar()) {
    CheckText(*this, node_.Scalar());
    return node_.Scalar();
  }
  if (node_.IsNull()) return "null";
  YAML::Emitter emitter;
  emitter << YAML::Flow << node_;
  return emitter.c_str();
}

std::optional<std::pair<int, int>> FirstContent(const std::string& text) {
  int line = 0;
  for (size_t start = 0; start < text.size();) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    ++line;
    const std::string row = text.substr(start, end - start);
    start = end + 1;
    const size_t first = row.find_first_not_of(" \t\r");
    if (first == std::string::npos || row[first] == '#' || (first == 0 && row[0] == '%')) continue;
    if (first == 0 && (row.rfind("---", 0) == 0 || row.rfind("...", 0) == 0) &&
        (row.size() == 3 || row[3] == ' ' || row[3] == '\t' || row[3] == '\r')) {
      const size_t after = row.find_first_not_of(" \t\r", 3);
      if (after == std::string::npos || row[after] == '#') continue;
      return std::pair{line, static_cast<int>(after) + 1};
    }
    return std::pair{line, static_cast<int>(first) + 1};
  }
  return std::nullopt;
}

YamlNode ParseYamlDocument(const std::string& file, const std::string& text) {
  CheckStreamCharacters(file, text);
  // Only the first document would be read: a second one is refused rather than ignored.
  if (const int line = SecondDocumentLine(text))
    throw SpecError({file, line, 1, ""}, "a second YAML document; Cyclops reads one document per file",
                    "one document per file: give each as a file of its own");
  try {
    YAML::Node root = YAML::Load(text);
    // yaml-cpp reads some malformed streams (e.g. one starting with ',') as an empty document.
    if (root.IsNull())
      if (const auto content = FirstContent(text))
        throw SpecError({file, content->first, content->second, ""},
                        "no YAML document could be read from here on",
                        "well-formed YAML: a map of top-level keys");
    return YamlNode(root, file, "");
  } catch (const YAML::Exception& error) {
    throw SpecError({file, error.mark.line + 1, error.mark.column + 1, ""}, "YAML syntax error: " + error.msg,
                    "well-formed YAML");
  }
}

}  // namespace cyclops::spec
