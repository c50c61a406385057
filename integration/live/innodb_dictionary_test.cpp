// The dictionary path of refresh against information_schema on a real server: the same
// facts for InnoDB, MyISAM and Aria tables, ENUM columns, utf8mb3 and utf8mb4.
#include "vmoodle/live/innodb_dictionary.hpp"

#include <gtest/gtest.h>

#include "integration/migrate/legacy_site.hpp"
#include "vmoodle/live/catalog_queries.hpp"

namespace vmoodle::testing {
namespace {

// Tables the legacy site lacks: an ENUM (its collation is not in PRTYPE), Aria, a view
// (not a table), a table whose columns are all binary and a partitioned one.
const char* k_extra_tables = R"SQL(
CREATE TABLE mdl_enum_choice (id BIGINT PRIMARY KEY, kind ENUM('a','b') COLLATE
  utf8mb3_unicode_ci, label VARCHAR(20) COLLATE utf8mb4_unicode_ci) ENGINE=InnoDB;
CREATE TABLE mdl_aria_cache (id INT PRIMARY KEY, v VARCHAR(30)) ENGINE=Aria;
CREATE TABLE mdl_blobs (id INT PRIMARY KEY, b LONGBLOB, h VARBINARY(20)) ENGINE=InnoDB
  ROW_FORMAT=REDUNDANT;
CREATE TABLE mdl_parts (id INT PRIMARY KEY, v TEXT) ENGINE=InnoDB PARTITION BY HASH (id)
  PARTITIONS 2;
CREATE VIEW mdl_view AS SELECT id FROM mdl_blobs;
INSERT INTO mdl_aria_cache VALUES (1, 'été'), (2, 'hiver');
)SQL";

std::vector<std::string> describe(const std::map<std::string, model::DatabaseFacts>& facts) {
  std::vector<std::string> out;
  for (const auto& [name, db] : facts) {
    out.push_back(name + " " + db.charset + " " + db.collation + " [" + db.comment + "]");
    for (const auto& table : db.tables) {
      std::string line = name + "." + table.name + " " + table.engine + " " + table.collation +
                         " " + table.row_format +
                         " sized=" + (table.data_length > 0 ? "yes" : "no");
      for (const auto& [collation, count] : table.column_collations) {
        line += " " + collation + "×" + std::to_string(count);
      }
      out.push_back(line);
    }
  }
  return out;
}

TEST(InnodbDictionary, GivesWhatInformationSchemaGives) {
  FleetWorkspace ws("dict");
  const std::string legacy = ws.db("legacy");
  load_legacy_site(ws, legacy, k_extra_tables);
  const std::string modern = ws.db("modern");
  run_sql_script(
      ws, "",
      "CREATE DATABASE `" + modern +
          "` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci COMMENT 'marked';"
          "CREATE TABLE `" +
          modern +
          "`.mdl_user (id BIGINT PRIMARY KEY, username VARCHAR(100), "
          "description LONGTEXT, picture BIGINT, secret VARBINARY(32)) ROW_FORMAT=DYNAMIC;");
  const std::set<std::string> databases = {legacy, modern, ws.db("absent")};

  auto first = ws.sandbox().connect();
  auto second = ws.sandbox().connect();
  auto version = live::read_server_version(*first);
  ASSERT_TRUE(version);
  auto expected = live::read_databases(*first, databases, *version);
  ASSERT_TRUE(expected) << expected.error().render();
  // The column scan may use more memory for its one statement; the sessions' own limits
  // are theirs again afterwards.
  for (auto* session : {first.get(), second.get()}) {
    ASSERT_TRUE(
        session->execute("SET SESSION tmp_table_size = 20971520, max_heap_table_size = 20971520"));
  }
  auto fast = live::read_databases_from_dictionary({first.get(), second.get()}, databases);
  ASSERT_TRUE(fast) << fast.error().render();
  for (auto* session : {first.get(), second.get()}) {
    auto limits = session->query("SELECT @@SESSION.tmp_table_size, @@SESSION.max_heap_table_size");
    ASSERT_TRUE(limits) << limits.error().render();
    EXPECT_EQ(*limits->rows.at(0)[0], "20971520");
    EXPECT_EQ(*limits->rows.at(0)[1], "20971520");
  }

  EXPECT_EQ(describe(*fast), describe(*expected));
  // The fixture holds what the comparison is about.
  const auto lines = describe(*fast);
  const auto has = [&](const std::string& needle) {
    return std::any_of(lines.begin(), lines.end(),
                       [&](const auto& line) { return line.find(needle) != std::string::npos; });
  };
  EXPECT_TRUE(has(".mdl_log MyISAM"));
  EXPECT_TRUE(has(".mdl_aria_cache Aria"));
  EXPECT_TRUE(has("mdl_enum_choice InnoDB utf8mb3_general_ci Dynamic sized=yes "
                  "utf8mb3_unicode_ci×1 utf8mb4_unicode_ci×1"));
  EXPECT_TRUE(has("Compact"));
  EXPECT_TRUE(has("mdl_blobs InnoDB utf8mb3_general_ci Redundant sized=yes"));
  EXPECT_FALSE(has("mdl_view"));
  EXPECT_TRUE(has(modern + " utf8mb4 utf8mb4_unicode_ci [marked]"));

  // Counting only what a utf8mb4_unicode_ci fleet could be moved away from: the same facts
  // with that collation's columns left out, every other one still counted.
  const auto off_target = [](const std::string& name) { return name != "utf8mb4_unicode_ci"; };
  auto filtered =
      live::read_databases_from_dictionary({first.get(), second.get()}, databases, off_target);
  ASSERT_TRUE(filtered) << filtered.error().render();
  auto without = *expected;
  for (auto& [name, db] : without) {
    for (auto& table : db.tables) {
      table.column_collations.erase("utf8mb4_unicode_ci");
    }
  }
  EXPECT_EQ(describe(*filtered), describe(without));

  // Nothing counted: no column read, tables and row formats as before.
  auto none = live::read_databases_from_dictionary({first.get(), second.get()}, databases,
                                                   [](const std::string&) { return false; });
  ASSERT_TRUE(none) << none.error().render();
  for (auto& [name, db] : without) {
    for (auto& table : db.tables) {
      table.column_collations.clear();
    }
  }
  EXPECT_EQ(describe(*none), describe(without));
}

} // namespace
} // namespace vmoodle::testing
