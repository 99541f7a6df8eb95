#include "sim/core/text_escape.h"

#include <gtest/gtest.h>

namespace cyclops {
namespace {

TEST(Utf8, WellFormedTextOfEveryLengthPasses) {
  // ASCII, ü (2 bytes), € (3), 𝄞 (4), and the largest code point U+10FFFF.
  EXPECT_EQ(FirstInvalidUtf8("shared_glb \xC3\xBC \xE2\x82\xAC \xF0\x9D\x84\x9E \xF4\x8F\xBF\xBF"),
            std::nullopt);
  EXPECT_EQ(FirstInvalidUtf8(""), std::nullopt);
}

TEST(Utf8, EachMalformedFormIsFoundAtItsFirstByte) {
  EXPECT_EQ(FirstInvalidUtf8("ab\xFF"), 2u);            // never valid
  EXPECT_EQ(FirstInvalidUtf8("a\xC0\xAF"), 1u);         // overlong '/'
  EXPECT_EQ(FirstInvalidUtf8("a\xE0\x80\xAF"), 1u);     // overlong, 3 bytes
  EXPECT_EQ(FirstInvalidUtf8("\xED\xA0\x80"), 0u);      // UTF-16 surrogate U+D800
  EXPECT_EQ(FirstInvalidUtf8("x\xE2\x82"), 1u);         // cut short
  EXPECT_EQ(FirstInvalidUtf8("\xF4\x90\x80\x80"), 0u);  // above U+10FFFF
  EXPECT_EQ(FirstInvalidUtf8("ok\x80"), 2u);            // a continuation byte alone
  EXPECT_EQ(FirstInvalidUtf8("\xC3\xBC\xC3\x28"), 2u);  // the second sequence is broken
}

TEST(Utf8, ControlCharactersAreFoundAndPrintedAsEscapes) {
  EXPECT_EQ(FirstControlCharacter("a\tb"), 1u);
  EXPECT_EQ(FirstControlCharacter(std::string("ab\0", 3)), 2u);
  EXPECT_EQ(FirstControlCharacter("a\x7F"), 1u);
  EXPECT_EQ(FirstControlCharacter("plain \xC3\xBC"), std::nullopt);
  EXPECT_EQ(PrintableText("a\nb\xFF \xC3\xBC"), "a\\x0Ab\\xFF \xC3\xBC");  // valid UTF-8 is kept
}

TEST(YamlScalar, PlainOnlyWhenItReadsBackAsTheSameText) {
  EXPECT_EQ(YamlScalar("shared_glb"), "shared_glb");
  EXPECT_EQ(YamlScalar("inter_PE_spatial"), "inter_PE_spatial");
  EXPECT_EQ(YamlScalar("C=4 M=1"), "\"C=4 M=1\"");  // a space: quoted, still one scalar
  EXPECT_EQ(YamlScalar("glb: x"), "\"glb: x\"");
  EXPECT_EQ(YamlScalar("#1"), "\"#1\"");
  EXPECT_EQ(YamlScalar("-x"), "\"-x\"");
  EXPECT_EQ(YamlScalar("true"), "\"true\"");  // else a boolean
  EXPECT_EQ(YamlScalar("null"), "\"null\"");
  EXPECT_EQ(YamlScalar(""), "\"\"");
  EXPECT_EQ(YamlScalar("a \"b\" \\c"), "\"a \\\"b\\\" \\\\c\"");
  EXPECT_EQ(YamlScalar("\xC3\xBC"), "\xC3\xBC");
}

// Brackets are flow indicators: quoted inside {...}, plain in block context after the first character
// (YAML 1.2, plain scalars in block context), as Accelergy writes component names.
TEST(YamlScalar, BracketsStayPlainOnlyInBlockContext) {
  EXPECT_EQ(YamlScalar("system_top_level.mac[1..168]"), "\"system_top_level.mac[1..168]\"");
  EXPECT_EQ(YamlBlockScalar("system_top_level.mac[1..168]"), "system_top_level.mac[1..168]");
  EXPECT_EQ(YamlBlockScalar("[1..168]"), "\"[1..168]\"");  // first: a flow sequence
  EXPECT_EQ(YamlBlockScalar("glb \"x\": #1[1..1]"), "\"glb \\\"x\\\": #1[1..1]\"");
}

TEST(Csv, FieldsAreQuotedWhenTheyMustBeAndQuotesDoubled) {
  EXPECT_EQ(CsvField("conv1"), "conv1");
  EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvField("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvQuoted("conv1"), "\"conv1\"");
}

}  // namespace
}  // namespace cyclops
