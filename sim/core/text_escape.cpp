#include "sim/core/text_escape.h"

#include <cstdio>

namespace cyclops {

namespace {

std::string HexByte(unsigned char byte) {
  char text[5];
  std::snprintf(text, sizeof text, "\\x%02X", byte);
  return text;
}

// Length of the well-formed UTF-8 sequence starting at `at` (Unicode table 3-7), 0 when it is not one.
size_t SequenceLength(std::string_view text, size_t at) {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(at);
  if (lead < 0x80) return 1;
  size_t length = 0;
  unsigned char low = 0x80, high = 0xBF;  // allowed range of the second byte
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;   // no overlong forms
    if (lead == 0xED) high = 0x9F;  // no surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;  // nothing above U+10FFFF
  } else {
    return 0;
  }
  if (at + length > text.size()) return 0;
  if (byte(at + 1) < low || byte(at + 1) > high) return 0;
  for (size_t i = 2; i < length; ++i)
    if (byte(at + i) < 0x80 || byte(at + i) > 0xBF) return 0;
  return length;
}

bool IsControl(unsigned char c) {
  return c < 0x20 || c == 0x7F;
}

}  // namespace

std::optional<size_t> FirstInvalidUtf8(std::string_view text) {
  for (size_t at = 0; at < text.size();) {
    const size_t length = SequenceLength(text, at);
    if (length == 0) return at;
    at += length;
  }
  return std::nullopt;
}

std::optional<size_t> FirstControlCharacter(std::string_view text) {
  for (size_t at = 0; at < text.size(); ++at)
    if (IsControl(static_cast<unsigned char>(text[at]))) return at;
  return std::nullopt;
}

std::string PrintableText(std::string_view text) {
  std::string printable;
  printable.reserve(text.size());
  for (size_t at = 0; at < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[at]);
    const size_t length = SequenceLength(text, at);
    if (length == 0 || IsControl(c)) {
      printable += HexByte(c);
      ++at;
    } else {
      printable.append(text.substr(at, length));
      at += length;
    }
  }
  return printable;
}

namespace {
std::string Scalar(std::string_view text, bool block);
}  // namespace

std::string YamlScalar(std::string_view text) {
  return Scalar(text, false);
}

std::string YamlBlockScalar(std::string_view text) {
  return Scalar(text, true);
}

namespace {

std::string Scalar(std::string_view text, bool block) {
  // Plain only for names made of letters, digits and a few safe punctuation marks, not starting with a
  // character YAML gives a meaning to, and not a word YAML reads as something else.
  bool plain = !text.empty();
  for (size_t i = 0; plain && i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    const bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '_' || c == '.' || c == '-' || c == '/' || c >= 0x80 ||
                      (block && i > 0 && (c == '[' || c == ']'));
    plain = safe && !(i == 0 && (c == '-' || c == '.'));
  }
  static const char* const kSpecialWords[] = {
      "null", "Null", "NULL", "~",  "true", "True", "TRUE", "false", "False", "FALSE", "yes",
      "Yes",  "YES",  "no",   "No", "NO",   "on",   "On",   "ON",    "off",   "Off",   "OFF"};
  for (const char* word : kSpecialWords) plain = plain && text != word;
  if (plain && FirstInvalidUtf8(text)) plain = false;
  if (plain) return std::string(text);
  std::string quoted = "\"";
  for (size_t at = 0; at < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[at]);
    const size_t length = SequenceLength(text, at);
    if (c == '"' || c == '\\') {
      quoted += '\\';
      quoted += static_cast<char>(c);
    } else if (length == 0 || IsControl(c)) {
      quoted += HexByte(c);  // YAML's \xNN escape
    } else {
      quoted.append(text.substr(at, length));
      at += length;
      continue;
    }
    ++at;
  }
  return quoted + "\"";
}

}  // namespace

std::string CsvField(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  return CsvQuoted(text);
}

std::string CsvQuoted(std::string_view text) {
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

}  // namespace cyclops
