#include "vmoodle/sql/dump_reader.hpp"

#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>

#include <random>

#include <gtest/gtest.h>

#include "tests/fakes/memory_input_stream.hpp"

namespace vmoodle::sql {
namespace {

using namespace std::string_literals;
using testing::MemoryInputStream;

// Raw bytes a blob may hold: escapes, a backslash before a raw NUL, bytes that are not
// UTF-8, a newline, a delimiter, comment openers and a closing-comment marker.
const std::string k_blob =
    "\\0\\'\\\\\\n\\r\\Z\\\"`;-- \\"s + std::string(1, '\0') + "\xff\xfe\x80;\n*/ /* # \\'"s;

std::string with_blob(std::string text) {
  const std::string token = "@BLOB@";
  const std::size_t at = text.find(token);
  if (at != std::string::npos) {
    text.replace(at, token.size(), k_blob);
  }
  return text;
}

// Modelled on real `mariadb-dump` 10.11 output, with hostile data added.
const std::string k_dump = with_blob(R"SQL(/*M!999999\- enable the sandbox mode */ 
-- MariaDB dump 10.19  Distrib 10.11.19-MariaDB, for debian-linux-gnu (x86_64)
--
-- Host: localhost    Database: tpl
-- ------------------------------------------------------
-- Server version	10.11.19-MariaDB-0+deb12u1

/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
/*!40101 SET NAMES utf8mb4 */;
/*!40103 SET TIME_ZONE='+00:00' */;
/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */;

--
-- Table structure for table `mdl_config`
--

DROP TABLE IF EXISTS `mdl_config`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `mdl_config` (
  `id` bigint(10) NOT NULL AUTO_INCREMENT,
  `name` varchar(255) NOT NULL DEFAULT '',
  `value` longtext NOT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `mdl_conf_nam_uix` (`name`)
) ENGINE=InnoDB AUTO_INCREMENT=4 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci ROW_FORMAT=DYNAMIC COMMENT='Moodle configuration variables';
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Dumping data for table `mdl_config`
--

LOCK TABLES `mdl_config` WRITE;
/*!40000 ALTER TABLE `mdl_config` DISABLE KEYS */;
INSERT INTO `mdl_config` VALUES (1,'a;b','it\'s -- not; a \"comment\" mdl_course is a table'),(2,'back\\slash','/* no */ # nope'),(3,'dq',"say \"hi\"; it''s ok"),(4,'o''brien','DELIMITER ;;');
/*!40000 ALTER TABLE `mdl_config` ENABLE KEYS */;
UNLOCK TABLES;
/* a plain comment, then an empty statement */;
;
DROP TABLE IF EXISTS `mdl_files`;
CREATE TABLE `mdl_files` (
  `id` bigint(20) NOT NULL AUTO_INCREMENT,
  `content` longblob DEFAULT NULL,
  `odd``name` varchar(100) DEFAULT NULL, -- odd; column
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
LOCK TABLES `mdl_files` WRITE;
INSERT INTO `mdl_files` VALUES (1,'@BLOB@','bin'),(2,NULL,'x'); # trailing; comment
UNLOCK TABLES;
/*!50003 SET @saved_sql_mode       = @@sql_mode */ ;
DELIMITER ;;
/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`localhost`*/ /*!50003 TRIGGER trg BEFORE INSERT ON `mdl_files` FOR EACH ROW BEGIN SET NEW.`odd``name` = CONCAT(NEW.`odd``name`, ';x'); SET NEW.`odd``name` = 'y'; END 
*/;;
DELIMITER ;
/*!50003 SET sql_mode              = @saved_sql_mode */ ;
/*!40101 SET SQL_MODE=@OLD_SQL_MODE */;

-- Dump completed on 2026-11-25  8:44:16
)SQL");

const std::vector<std::string> k_statements = {
    "/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */",
    "/*!40101 SET NAMES utf8mb4 */",
    "/*!40103 SET TIME_ZONE='+00:00' */",
    "/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */",
    "DROP TABLE IF EXISTS `mdl_config`",
    "/*!40101 SET @saved_cs_client     = @@character_set_client */",
    "/*!40101 SET character_set_client = utf8mb4 */",
    "CREATE TABLE `mdl_config` (\n"
    "  `id` bigint(10) NOT NULL AUTO_INCREMENT,\n"
    "  `name` varchar(255) NOT NULL DEFAULT '',\n"
    "  `value` longtext NOT NULL,\n"
    "  PRIMARY KEY (`id`),\n"
    "  UNIQUE KEY `mdl_conf_nam_uix` (`name`)\n"
    ") ENGINE=InnoDB AUTO_INCREMENT=4 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci "
    "ROW_FORMAT=DYNAMIC COMMENT='Moodle configuration variables'",
    "/*!40101 SET character_set_client = @saved_cs_client */",
    "LOCK TABLES `mdl_config` WRITE",
    "/*!40000 ALTER TABLE `mdl_config` DISABLE KEYS */",
    "INSERT INTO `mdl_config` VALUES (1,'a;b','it\\'s -- not; a \\\"comment\\\" mdl_course is a "
    "table'),(2,'back\\\\slash','/* no */ # nope'),(3,'dq',\"say \\\"hi\\\"; it''s "
    "ok\"),(4,'o''brien','DELIMITER ;;')",
    "/*!40000 ALTER TABLE `mdl_config` ENABLE KEYS */",
    "UNLOCK TABLES",
    "DROP TABLE IF EXISTS `mdl_files`",
    "CREATE TABLE `mdl_files` (\n"
    "  `id` bigint(20) NOT NULL AUTO_INCREMENT,\n"
    "  `content` longblob DEFAULT NULL,\n"
    "  `odd``name` varchar(100) DEFAULT NULL, \n"
    "  PRIMARY KEY (`id`)\n"
    ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
    "LOCK TABLES `mdl_files` WRITE",
    "INSERT INTO `mdl_files` VALUES (1,'" + k_blob + "','bin'),(2,NULL,'x')",
    "UNLOCK TABLES",
    "/*!50003 SET @saved_sql_mode       = @@sql_mode */",
    "/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`localhost`*/ /*!50003 TRIGGER trg BEFORE "
    "INSERT ON `mdl_files` FOR EACH ROW BEGIN SET NEW.`odd``name` = CONCAT(NEW.`odd``name`, "
    "';x'); SET NEW.`odd``name` = 'y'; END \n*/",
    "/*!50003 SET sql_mode              = @saved_sql_mode */",
    "/*!40101 SET SQL_MODE=@OLD_SQL_MODE */",
};

struct Read {
  std::vector<std::string> statements;
  std::vector<std::size_t> lines;
  std::optional<Error> error;
};

Read read_all(MemoryInputStream& stream) {
  DumpReader reader(stream);
  Read out;
  for (;;) {
    auto next = reader.next();
    if (!next) {
      out.error = next.error();
      return out;
    }
    if (!*next) {
      return out;
    }
    out.statements.push_back(std::move(**next));
    out.lines.push_back(reader.line());
  }
}

Read read_all(const std::string& text, std::vector<std::size_t> chunks = {}) {
  MemoryInputStream stream(text, std::move(chunks));
  return read_all(stream);
}

std::vector<std::string> statements_of(const std::string& text,
                                       std::vector<std::size_t> chunks = {}) {
  Read read = read_all(text, std::move(chunks));
  EXPECT_FALSE(read.error.has_value()) << read.error->render();
  return read.statements;
}

// 1-based line of the first occurrence of `marker` in `text`.
std::size_t line_of(const std::string& text, const std::string& marker) {
  const std::size_t at = text.find(marker);
  return 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + at, '\n'));
}

TEST(DumpReader, SplitsARealisticDump) {
  EXPECT_EQ(statements_of(k_dump), k_statements);
}

TEST(DumpReader, ReportsTheLineEachStatementStartsOn) {
  const Read read = read_all(k_dump);
  ASSERT_EQ(read.lines.size(), k_statements.size());
  EXPECT_EQ(read.lines.front(), line_of(k_dump, "/*!40101 SET @OLD_CHARACTER_SET_CLIENT"));
  EXPECT_EQ(read.lines[15], line_of(k_dump, "CREATE TABLE `mdl_files`"));
  EXPECT_EQ(read.lines[17], line_of(k_dump, "INSERT INTO `mdl_files`"));
  EXPECT_EQ(read.lines[20], line_of(k_dump, "/*!50003 CREATE*/"));
  EXPECT_EQ(read.lines[21], line_of(k_dump, "/*!50003 SET sql_mode"));
  EXPECT_EQ(read.lines.back(), line_of(k_dump, "/*!40101 SET SQL_MODE=@OLD"));
}

TEST(DumpReader, SameStatementsWithTinyChunks) {
  for (std::size_t size = 1; size <= 7; ++size) {
    EXPECT_EQ(statements_of(k_dump, {size}), k_statements) << "chunk size " << size;
  }
  EXPECT_EQ(statements_of(k_dump, {1, 7, 3, 2, 5, 4, 6}), k_statements);
}

TEST(DumpReader, SameStatementsWhateverTheFirstChunkBoundary) {
  // Every byte of the dump in turn ends a chunk: boundaries fall inside strings,
  // escapes, comments, comment openers, delimiters and the DELIMITER command.
  for (std::size_t split = 1; split < k_dump.size(); ++split) {
    const Read read = read_all(k_dump, {split, k_dump.size()});
    ASSERT_FALSE(read.error.has_value()) << "split at " << split;
    ASSERT_EQ(read.statements, k_statements) << "split at " << split;
  }
}

TEST(DumpReader, ReadsInBoundedChunksAndKeepsALargeStatementIntact) {
  const std::string value(3 * 1024 * 1024 + 17, 'v');
  const std::string statement = "INSERT INTO `t` VALUES ('" + value + "')";
  MemoryInputStream stream("SELECT 1;\n" + statement + ";\nSELECT 2;\n");
  const Read read = read_all(stream);
  ASSERT_FALSE(read.error.has_value());
  ASSERT_EQ(read.statements.size(), 3U);
  EXPECT_EQ(read.statements[1], statement);
  EXPECT_EQ(read.statements[2], "SELECT 2");
  EXPECT_GE(stream.reads(), 4U); // 1 MiB at a time, never the whole file at once
}

TEST(DumpReader, LastStatementNeedsNoDelimiter) {
  EXPECT_EQ(statements_of("SELECT 1;\nSELECT 2\n"),
            (std::vector<std::string>{"SELECT 1", "SELECT 2"}));
  EXPECT_EQ(statements_of("SELECT 1; SELECT 2;"),
            (std::vector<std::string>{"SELECT 1", "SELECT 2"}));
}

TEST(DumpReader, EmptyInputAndCommentsOnlyGiveNothing) {
  EXPECT_TRUE(statements_of("").empty());
  EXPECT_TRUE(statements_of("-- only\n# comments\n/* here */\n;;\n").empty());
  EXPECT_TRUE(statements_of("--").empty());
}

TEST(DumpReader, DropsCommentsInsideStatements) {
  EXPECT_EQ(statements_of("SELECT 1/* x */+2;"), (std::vector<std::string>{"SELECT 1 +2"}));
  EXPECT_EQ(statements_of("SELECT 1 -- c; still comment\n+ 1;"),
            (std::vector<std::string>{"SELECT 1 \n+ 1"}));
  EXPECT_EQ(statements_of("SELECT 1 # c;\n;"), (std::vector<std::string>{"SELECT 1"}));
  EXPECT_EQ(statements_of("SELECT 1 --"), (std::vector<std::string>{"SELECT 1"}));
}

TEST(DumpReader, DashDashWithoutSpaceIsNotAComment) {
  EXPECT_EQ(statements_of("SELECT 1--1;"), (std::vector<std::string>{"SELECT 1--1"}));
  EXPECT_EQ(statements_of("SELECT 3-2 -1;", {1}), (std::vector<std::string>{"SELECT 3-2 -1"}));
}

TEST(DumpReader, KeepsHintsAndMariadbExecutableComments) {
  EXPECT_EQ(statements_of("/*M!100616 SET @OLD_NOTE_VERBOSITY=@@NOTE_VERBOSITY */;\n"
                          "SELECT /*+ MAX_EXECUTION_TIME(1) */ 1;"),
            (std::vector<std::string>{"/*M!100616 SET @OLD_NOTE_VERBOSITY=@@NOTE_VERBOSITY */",
                                      "SELECT /*+ MAX_EXECUTION_TIME(1) */ 1"}));
}

TEST(DumpReader, DelimiterIsNotRecognisedInsideExecutableComments) {
  EXPECT_EQ(statements_of("/*!50003 SET a = 1; SET b = 2 */;"),
            (std::vector<std::string>{"/*!50003 SET a = 1; SET b = 2 */"}));
}

TEST(DumpReader, DelimiterCommandInAnyCaseAndWithLongerDelimiters) {
  const std::string text = "delimiter $$\nCREATE PROCEDURE p() BEGIN SELECT 1; END$$\n"
                           "DELIMITER //  \nSELECT 2//\nDeLiMiTeR ;\nSELECT 3;";
  const std::vector<std::string> expected = {"CREATE PROCEDURE p() BEGIN SELECT 1; END", "SELECT 2",
                                             "SELECT 3"};
  EXPECT_EQ(statements_of(text), expected);
  EXPECT_EQ(statements_of(text, {1}), expected);
  EXPECT_EQ(statements_of(text, {2, 3}), expected);
}

TEST(DumpReader, DelimiterOnlyCountsAtTheStartOfALineBetweenStatements) {
  EXPECT_EQ(statements_of("SELECT 1, DELIMITER ;;\nSELECT 2;"),
            (std::vector<std::string>{"SELECT 1, DELIMITER", "SELECT 2"}));
  EXPECT_EQ(statements_of("SELECT\nDELIMITER;"), (std::vector<std::string>{"SELECT\nDELIMITER"}));
  EXPECT_EQ(statements_of("SELECT delimiters;"), (std::vector<std::string>{"SELECT delimiters"}));
}

TEST(DumpReader, DelimiterCommandWithoutDelimiterIsAnError) {
  for (const std::string& text :
       {"SELECT 1;\nDELIMITER\nSELECT 2;"s, "SELECT 1;\nDELIMITER   "s, "SELECT 1;\nDELIMITER"s}) {
    const Read read = read_all(text);
    ASSERT_TRUE(read.error.has_value()) << text;
    EXPECT_EQ(read.error->kind, ErrorKind::io);
    EXPECT_EQ(read.error->where, "line 2");
    EXPECT_EQ(read.statements, std::vector<std::string>{"SELECT 1"});
  }
  const Read backslash = read_all("DELIMITER \\g\n");
  ASSERT_TRUE(backslash.error.has_value());
  EXPECT_NE(backslash.error->message.find("backslash"), std::string::npos);
}

TEST(DumpReader, UnterminatedStringIsAnErrorNamingItsLine) {
  const std::string text = "SELECT 1;\n\nINSERT INTO `t` VALUES ('abc\\'\n;\n\n";
  for (const std::vector<std::size_t>& chunks : {std::vector<std::size_t>{}, {1}, {3}}) {
    MemoryInputStream stream(text, chunks);
    DumpReader reader(stream);
    auto first = reader.next();
    ASSERT_TRUE(first && *first);
    EXPECT_EQ(**first, "SELECT 1");
    auto second = reader.next();
    ASSERT_FALSE(second);
    EXPECT_EQ(second.error().kind, ErrorKind::io);
    EXPECT_EQ(second.error().where, "line 3");
    EXPECT_NE(second.error().message.find("unterminated string"), std::string::npos);
    EXPECT_FALSE(second.error().hint.empty());
    auto again = reader.next();
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().where, "line 3");
  }
}

TEST(DumpReader, UnterminatedIdentifierAndCommentsAreErrors) {
  struct Case {
    std::string text;
    std::string where;
    std::string what;
  };
  for (const Case& c : {Case{"SELECT `a;\n", "line 1", "identifier"},
                        Case{"SELECT 1;\n\n/* never closed;\n", "line 3", "comment"},
                        Case{"SELECT 1;\n/*!40101 SET x = 1;\n", "line 2", "executable"},
                        Case{"SELECT \"x\n\n", "line 1", "string"}}) {
    const Read read = read_all(c.text, {2});
    ASSERT_TRUE(read.error.has_value()) << c.text;
    EXPECT_EQ(read.error->where, c.where) << c.text;
    EXPECT_NE(read.error->message.find(c.what), std::string::npos) << read.error->message;
  }
}

TEST(DumpReader, ReadErrorsPropagateWithTheLine) {
  MemoryInputStream stream("SELECT 1;\nSELECT 2;\nSELECT 3;\n", {4});
  stream.fail_at(14);
  const Read read = read_all(stream);
  ASSERT_TRUE(read.error.has_value());
  EXPECT_EQ(read.error->kind, ErrorKind::io);
  EXPECT_NE(read.error->where.find("line 2"), std::string::npos) << read.error->where;
  EXPECT_EQ(read.statements, std::vector<std::string>{"SELECT 1"});
}

TEST(DumpReader, ChunkingNeverChangesTheOutcome) {
  // Random soup of the tokens the reader cares about: whatever it makes of the text,
  // reading it one byte (or three) at a time must give the same statements or error.
  const std::vector<std::string> tokens = {"'",
                                           "\"",
                                           "`",
                                           "\\",
                                           ";",
                                           ";;",
                                           "-- ",
                                           "--",
                                           "#",
                                           "/*",
                                           "*/",
                                           "/*!",
                                           "/*M!1 ",
                                           "/*+",
                                           "\n",
                                           "\nDELIMITER ;;\n",
                                           "\nDELIMITER ;\n",
                                           "\ndelimiter\n",
                                           "a",
                                           " ",
                                           "*",
                                           "/",
                                           "-"};
  std::mt19937 random(7);
  std::uniform_int_distribution<std::size_t> pick(0, tokens.size() - 1);
  std::uniform_int_distribution<int> length(1, 30);
  for (int round = 0; round < 500; ++round) {
    std::string text;
    for (int i = length(random); i > 0; --i) {
      text += tokens[pick(random)];
    }
    const Read whole = read_all(text);
    for (const std::size_t chunk : {1, 3}) {
      const Read chunked = read_all(text, {chunk});
      ASSERT_EQ(chunked.statements, whole.statements) << text;
      ASSERT_EQ(chunked.lines, whole.lines) << text;
      ASSERT_EQ(chunked.error.has_value(), whole.error.has_value()) << text;
      if (whole.error) {
        ASSERT_EQ(chunked.error->message, whole.error->message) << text;
        ASSERT_EQ(chunked.error->where, whole.error->where) << text;
      }
    }
  }
}

TEST(DumpReader, SandboxCommandIsOnlySkippedAsALineOfItsOwn) {
  EXPECT_EQ(statements_of("/*M!999999\\- enable the sandbox mode */ \nSELECT 1;"),
            std::vector<std::string>{"SELECT 1"});
  EXPECT_EQ(statements_of("SELECT 1 /*M!999999\\- x */;"),
            std::vector<std::string>{"SELECT 1 /*M!999999\\- x */"});
}

} // namespace
} // namespace vmoodle::sql
