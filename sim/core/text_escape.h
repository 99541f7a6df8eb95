// Text that came from a user's file, made safe for where it goes: checked as UTF-8 where it is read,
// and escaped for each output form (a one-line message, a YAML scalar, a CSV field). Names are written
// into reports, JSON, YAML and CSV; one that holds a quote, a colon or an invalid byte must not break
// the file it lands in.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace cyclops {

// The offset of the first byte that is not part of well-formed UTF-8 (overlong forms, surrogates and
// code points above U+10FFFF included); nothing when the text is valid.
std::optional<size_t> FirstInvalidUtf8(std::string_view text);

// The offset of the first control character (U+0000..U+001F, U+007F); nothing when there is none.
std::optional<size_t> FirstControlCharacter(std::string_view text);

// For messages: control characters and bytes that are not UTF-8 as \xNN, so a message stays one line.
std::string PrintableText(std::string_view text);

// A YAML scalar that reads back as `text`: plain when that is unambiguous, else double-quoted. In block
// context (a value after "key: " on its own line, not inside {...} or [...]) brackets after the first
// character stay plain too, as in Accelergy's names ("system_top_level.mac[1..168]").
std::string YamlScalar(std::string_view text);
std::string YamlBlockScalar(std::string_view text);

// A CSV field (RFC 4180): quoted, with quotes doubled, when it holds a comma, quote or line break;
// CsvQuoted always quotes (for columns that are quoted in every row).
std::string CsvField(std::string_view text);
std::string CsvQuoted(std::string_view text);

}  // namespace cyclops
