#include "vmoodle/sql/dump_writer.hpp"

#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/fakes/memory_input_stream.hpp"
#include "tests/sql/literal_parser.hpp"
#include "vmoodle/sql/dump_reader.hpp"
#include "vmoodle/sql/quote.hpp"

namespace vmoodle::sql {
namespace {

using namespace std::string_literals;
using Values = std::vector<std::optional<std::string>>;

std::string formatted(const std::optional<std::string>& value, ValueKind kind) {
  std::string out;
  append_value(out, value, kind);
  return out;
}

/// Statements of `dump` as the loader (DumpReader) splits them.
std::vector<std::string> loader_statements(const std::string& dump) {
  testing::MemoryInputStream input(dump, {7, 4096});
  DumpReader reader(input);
  std::vector<std::string> out;
  while (true) {
    auto next = reader.next();
    EXPECT_TRUE(next) << next.error().render();
    if (!next || !*next) {
      break;
    }
    out.push_back(**next);
  }
  return out;
}

std::vector<std::string> starting_with(const std::vector<std::string>& all,
                                       const std::string& head) {
  std::vector<std::string> out;
  for (const auto& s : all) {
    if (s.rfind(head, 0) == 0) {
      out.push_back(s);
    }
  }
  return out;
}

/// Decodes the rows of `INSERT INTO ... VALUES (..),(..)` written with text and
/// binary values only (test helper: NULL, quoted strings, 0x hex, bare numbers).
std::vector<Values> rows_of(const std::string& insert) {
  std::vector<Values> rows;
  std::size_t pos = insert.find(" VALUES ") + 8;
  while (pos < insert.size() && insert[pos] == '(') {
    ++pos;
    Values row;
    while (true) {
      if (insert[pos] == '\'') {
        row.push_back(testing::decode_literal(insert, pos));
      } else if (insert.compare(pos, 4, "NULL") == 0) {
        row.push_back(std::nullopt);
        pos += 4;
      } else if (insert.compare(pos, 2, "0x") == 0) {
        pos += 2;
        std::string bytes;
        while (std::isxdigit(static_cast<unsigned char>(insert[pos]))) {
          bytes += static_cast<char>(std::stoi(insert.substr(pos, 2), nullptr, 16));
          pos += 2;
        }
        row.push_back(bytes);
      } else {
        const std::size_t end = insert.find_first_of(",)", pos);
        row.push_back(insert.substr(pos, end - pos));
        pos = end;
      }
      if (insert[pos++] == ')') {
        break;
      }
    }
    rows.push_back(row);
    if (pos < insert.size() && insert[pos] == ',') {
      ++pos;
    }
  }
  return rows;
}

class DumpWriterTest : public ::testing::Test {
protected:
  DumpWriter writer_with(std::size_t limit = k_insert_bytes) {
    return DumpWriter(
        [this](std::string_view text) -> Status {
          out.append(text);
          ++sink_calls;
          return {};
        },
        limit);
  }
  std::string out;
  int sink_calls = 0;
};

TEST(AppendValue, NullIsNotTheEmptyString) {
  EXPECT_EQ(formatted(std::nullopt, ValueKind::text), "NULL");
  EXPECT_EQ(formatted(std::nullopt, ValueKind::binary), "NULL");
  EXPECT_EQ(formatted(std::nullopt, ValueKind::number), "NULL");
  EXPECT_EQ(formatted(""s, ValueKind::text), "''");
  EXPECT_EQ(formatted("NULL"s, ValueKind::text), "'NULL'");
}

TEST(AppendValue, BinaryIsUpperCaseHexAndEmptyBinaryIsQuoted) {
  EXPECT_EQ(formatted("\x00\x01\xab\xff'\\"s, ValueKind::binary), "0x0001ABFF275C");
  EXPECT_EQ(formatted(""s, ValueKind::binary), "''");
}

TEST(AppendValue, NumbersAreBareUnlessTheyAreNotPlainNumbers) {
  for (const char* number : {"0", "-12", "3.25", "-0.5", "1e-7", "6.02E+23", "+4"}) {
    EXPECT_EQ(formatted(number, ValueKind::number), number);
  }
  // Never seen from a server, but a "number" must not be able to end the statement.
  EXPECT_EQ(formatted("1); DROP TABLE x; --"s, ValueKind::number), "'1); DROP TABLE x; --'");
  EXPECT_EQ(formatted(""s, ValueKind::number), "''");
  EXPECT_EQ(formatted("."s, ValueKind::number), "'.'");
  EXPECT_EQ(formatted("1e"s, ValueKind::number), "'1e'");
}

TEST(AppendValue, TextEscapesLikeLiteralForEveryByte) {
  for (int byte = 0; byte < 256; ++byte) {
    const std::string value = "a"s + static_cast<char>(byte) + "b";
    EXPECT_EQ(formatted(value, ValueKind::text), literal(value)) << byte;
  }
  const std::string emoji = "Lyc\xc3\xa9"
                            "e \xf0\x9f\x8f\xab";
  EXPECT_EQ(formatted(emoji, ValueKind::text), "'" + emoji + "'");
}

TEST(IsGeneratedColumn, ReadsWholeWordsOfExtra) {
  EXPECT_TRUE(is_generated_column("VIRTUAL GENERATED"));
  EXPECT_TRUE(is_generated_column("STORED GENERATED"));
  EXPECT_TRUE(is_generated_column("PERSISTENT"));
  EXPECT_TRUE(is_generated_column("virtual generated"));
  EXPECT_FALSE(is_generated_column(""));
  EXPECT_FALSE(is_generated_column("auto_increment"));
  EXPECT_FALSE(is_generated_column("DEFAULT_GENERATED on update CURRENT_TIMESTAMP"));
}

TEST_F(DumpWriterTest, WritesAMysqldumpLayoutWithoutDatabaseNames) {
  auto writer = writer_with();
  ASSERT_TRUE(writer.begin("database vmdl_a of https://a.example.org"));
  ASSERT_TRUE(writer.table("mdl_config", "CREATE TABLE `mdl_config` (\n  `id` bigint(10)\n)"));
  ASSERT_TRUE(writer.begin_rows("mdl_config", {ValueKind::number, ValueKind::text}));
  ASSERT_TRUE(writer.row({"1"s, "a"s}));
  ASSERT_TRUE(writer.end_rows());
  ASSERT_TRUE(writer.finish("2024-05-01 12:00:00 UTC"));

  const auto statements = loader_statements(out);
  const std::vector<std::string> expected_tail = {
      "DROP TABLE IF EXISTS `mdl_config`",
      "/*!40101 SET @saved_cs_client     = @@character_set_client */",
      "/*!40101 SET character_set_client = utf8mb4 */",
      "CREATE TABLE `mdl_config` (\n  `id` bigint(10)\n)",
      "/*!40101 SET character_set_client = @saved_cs_client */",
      "LOCK TABLES `mdl_config` WRITE",
      "/*!40000 ALTER TABLE `mdl_config` DISABLE KEYS */",
      "INSERT INTO `mdl_config` VALUES (1,'a')",
      "/*!40000 ALTER TABLE `mdl_config` ENABLE KEYS */",
      "UNLOCK TABLES",
  };
  ASSERT_GE(statements.size(), 10u + expected_tail.size());
  EXPECT_EQ(statements[3], "/*!40101 SET NAMES utf8mb4 */");
  EXPECT_EQ(std::vector<std::string>(statements.begin() + 10, statements.begin() + 20),
            expected_tail);
  EXPECT_EQ(statements.back(), "/*!40111 SET SQL_NOTES=@OLD_SQL_NOTES */");
  EXPECT_NE(out.find("SQL_MODE='NO_AUTO_VALUE_ON_ZERO'"), std::string::npos);
  EXPECT_NE(out.find("SET TIME_ZONE='+00:00'"), std::string::npos);
  for (const auto& statement : statements) {
    EXPECT_EQ(statement.find("CREATE DATABASE"), std::string::npos);
    EXPECT_NE(statement.rfind("USE ", 0), 0u);
    EXPECT_EQ(statement.find("vmdl_a"), std::string::npos) << statement;
  }
  EXPECT_TRUE(out.ends_with("\n-- Dump completed on 2024-05-01 12:00:00 UTC\n")) << out;
  EXPECT_EQ(writer.bytes(), out.size());
  EXPECT_EQ(writer.rows(), 1u);
}

TEST_F(DumpWriterTest, ValuesRoundTripThroughTheLoader) {
  const Values row = {"7"s,
                      std::nullopt,
                      ""s,
                      "it's a \"quote\" \\ back\nslash\r\x1a"s + std::string(1, '\0') + "end",
                      "\xf0\x9f\x8f\xab 4-byte"s,
                      "\x00\xff\x80;*/ -- "s,
                      ""s};
  auto writer = writer_with();
  ASSERT_TRUE(writer.begin(""));
  ASSERT_TRUE(
      writer.begin_rows("t", {ValueKind::number, ValueKind::text, ValueKind::text, ValueKind::text,
                              ValueKind::text, ValueKind::binary, ValueKind::binary}));
  ASSERT_TRUE(writer.row(row));
  ASSERT_TRUE(writer.end_rows());
  const auto inserts = starting_with(loader_statements(out), "INSERT INTO `t` VALUES ");
  ASSERT_EQ(inserts.size(), 1u);
  EXPECT_EQ(rows_of(inserts[0]), std::vector<Values>{row});
}

TEST_F(DumpWriterTest, ExtendedInsertsStayWithinTheLimitAndBigRowsGoAlone) {
  const std::size_t limit = 200;
  auto writer = writer_with(limit);
  ASSERT_TRUE(writer.begin(""));
  ASSERT_TRUE(writer.begin_rows("t", {ValueKind::number, ValueKind::text}));
  std::vector<Values> written;
  for (int i = 0; i < 40; ++i) {
    written.push_back({std::to_string(i), std::string(i == 17 ? 1000 : 10, 'x')});
    ASSERT_TRUE(writer.row(written.back()));
  }
  ASSERT_TRUE(writer.end_rows());

  const auto inserts = starting_with(loader_statements(out), "INSERT INTO `t` VALUES ");
  ASSERT_GT(inserts.size(), 3u);
  std::vector<Values> read;
  for (const auto& insert : inserts) {
    const auto rows = rows_of(insert);
    ASSERT_FALSE(rows.empty());
    if (rows.size() > 1) {
      EXPECT_LE(insert.size() + 2, limit) << insert; // with ";\n"
    }
    read.insert(read.end(), rows.begin(), rows.end());
  }
  EXPECT_EQ(read, written);
  // The 1000-byte row is a statement of its own.
  EXPECT_TRUE(std::any_of(inserts.begin(), inserts.end(), [](const std::string& s) {
    return s.size() > 1000 && rows_of(s).size() == 1;
  }));
}

TEST_F(DumpWriterTest, ColumnListOnlyWhenGiven) {
  auto writer = writer_with();
  ASSERT_TRUE(writer.begin_rows("t", {ValueKind::number}, {"id"}));
  ASSERT_TRUE(writer.row({"1"s}));
  ASSERT_TRUE(writer.end_rows());
  EXPECT_NE(out.find("INSERT INTO `t` (`id`) VALUES (1);\n"), std::string::npos) << out;
}

TEST_F(DumpWriterTest, EmptyTableStillLocksAndUnlocks) {
  auto writer = writer_with();
  ASSERT_TRUE(writer.begin_rows("t", {}));
  ASSERT_TRUE(writer.end_rows());
  EXPECT_EQ(out.find("INSERT"), std::string::npos);
  EXPECT_NE(out.find("LOCK TABLES `t` WRITE;"), std::string::npos);
  EXPECT_NE(out.find("UNLOCK TABLES;"), std::string::npos);
}

TEST_F(DumpWriterTest, RowOfTheWrongWidthIsAnError) {
  auto writer = writer_with();
  ASSERT_TRUE(writer.begin_rows("t", {ValueKind::number, ValueKind::text}));
  auto result = writer.row({"1"s});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind, ErrorKind::internal);
}

TEST_F(DumpWriterTest, HostileNamesCannotEscapeCommentsOrIdentifiers) {
  auto writer = writer_with();
  ASSERT_TRUE(writer.begin("x\nDROP DATABASE victim; -- "));
  ASSERT_TRUE(writer.table("a`b\nc", "CREATE TABLE `a``b\nc` (`id` int)"));
  ASSERT_TRUE(writer.finish("now\nDROP DATABASE victim2;"));
  for (const auto& statement : loader_statements(out)) {
    EXPECT_EQ(statement.find("DROP DATABASE"), std::string::npos) << statement;
  }
  EXPECT_NE(out.find("DROP TABLE IF EXISTS `a``b\nc`;"), std::string::npos);
}

TEST_F(DumpWriterTest, SinkErrorsStopTheWriter) {
  DumpWriter writer([](std::string_view) -> Status { return fail(ErrorKind::io, "disk full"); });
  auto result = writer.begin("");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().message, "disk full");
}

} // namespace
} // namespace vmoodle::sql
