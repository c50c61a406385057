#include "vmoodle/sql/quote.hpp"

#include <cstdint>
#include <random>
#include <string>

#include <gtest/gtest.h>

#include "tests/sql/literal_parser.hpp"

namespace vmoodle::sql {
namespace {

using namespace std::string_literals;

// The literal must be one token: decoding from its first byte ends exactly at its last.
void expect_round_trip(const std::string& value) {
  const std::string quoted = literal(value);
  std::size_t pos = 0;
  const auto decoded = testing::decode_literal(quoted, pos);
  ASSERT_TRUE(decoded.has_value()) << quoted;
  EXPECT_EQ(pos, quoted.size()) << "literal ends early: " << quoted;
  EXPECT_EQ(*decoded, value);
}

TEST(IsIdentifier, AcceptsLettersDigitsUnderscore) {
  EXPECT_TRUE(is_identifier("mdl_"));
  EXPECT_TRUE(is_identifier("vmdl_Kleber2"));
  EXPECT_TRUE(is_identifier(std::string(64, 'a')));
}

TEST(IsIdentifier, RejectsEmptyTooLongAndOtherBytes) {
  EXPECT_FALSE(is_identifier(""));
  EXPECT_FALSE(is_identifier(std::string(65, 'a')));
  for (const std::string& bad :
       {"a-b"s, "a b"s, "a`b"s, "a.b"s, "a'b"s, "caf\xc3\xa9"s, "a;b"s, "a\0b"s}) {
    EXPECT_FALSE(is_identifier(bad)) << bad;
  }
}

TEST(Ident, BackquotesAndDoublesBackquotes) {
  EXPECT_EQ(ident("mdl_course"), "`mdl_course`");
  EXPECT_EQ(ident("a`b"), "`a``b`");
  EXPECT_EQ(ident("``"), "``````");
  EXPECT_EQ(ident("moodle", "mdl_user"), "`moodle`.`mdl_user`");
  EXPECT_EQ(ident("x`", "`y"), "`x```.```y`");
}

TEST(Literal, EscapesEverySpecialByte) {
  EXPECT_EQ(literal("plain"), "'plain'");
  EXPECT_EQ(literal(""), "''");
  EXPECT_EQ(literal("it's"), "'it\\'s'");
  EXPECT_EQ(literal("say \"hi\""), "'say \\\"hi\\\"'");
  EXPECT_EQ(literal("back\\slash"), "'back\\\\slash'");
  EXPECT_EQ(literal("a\nb\rc"), "'a\\nb\\rc'");
  EXPECT_EQ(literal("nul\0byte"s), "'nul\\0byte'");
  EXPECT_EQ(literal("ctrl\x1az"), "'ctrl\\Zz'");
  EXPECT_EQ(literal("`tick`"), "'`tick`'");
}

TEST(Literal, TrailingBackslashCannotEscapeTheClosingQuote) {
  EXPECT_EQ(literal("x\\"), "'x\\\\'");
  expect_round_trip("x\\");
  expect_round_trip("\\'");
  expect_round_trip("'); DROP TABLE mdl_user; -- ");
}

TEST(Literal, KeepsUtf8IncludingFourByteCharacters) {
  const std::string value = "Lyc\xc3\xa9"
                            "e \xf0\x9f\x8e\x93 \xe2\x82\xac";
  EXPECT_EQ(literal(value), "'" + value + "'");
  expect_round_trip(value);
}

TEST(Literal, InvalidUtf8StaysInsideTheQuotes) {
  // Lead bytes with no continuation, right before a quote or backslash: in a
  // multi-byte-unsafe charset such as GBK this is how escaping is defeated.
  for (const std::string& value :
       {"\xc3'"s, "\xf0\x9f'"s, "\xe2\\"s, "\xff\xfe'"s, "\xc0\x27"s, "\xbf\\\\'"s, "\x80"s}) {
    expect_round_trip(value);
  }
  EXPECT_EQ(literal("\xc3'"), "'\xc3\\''");
}

TEST(Literal, RandomBytesRoundTrip) {
  std::mt19937 random(20240611);
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<int> length(0, 40);
  for (int i = 0; i < 2000; ++i) {
    std::string value(static_cast<std::size_t>(length(random)), '\0');
    for (char& c : value) {
      c = static_cast<char>(byte(random));
    }
    expect_round_trip(value);
  }
}

TEST(Literal, Integers) {
  EXPECT_EQ(literal(std::int64_t{0}), "0");
  EXPECT_EQ(literal(std::int64_t{-42}), "-42");
  EXPECT_EQ(literal(INT64_MAX), "9223372036854775807");
  EXPECT_EQ(literal(INT64_MIN), "-9223372036854775808");
}

TEST(LikeEscape, EscapesWildcardsAndBackslash) {
  EXPECT_EQ(like_escape("mdl_%x\\"), "mdl\\_\\%x\\\\");
  EXPECT_EQ(like_escape("plain"), "plain");
  EXPECT_EQ(literal(like_escape("a_b")), "'a\\\\_b'");
}

} // namespace
} // namespace vmoodle::sql
