#include "vmoodle/diff/migration_diff.hpp"

#include <gtest/gtest.h>

namespace vmoodle::diff {
namespace {

model::TableFacts table(std::string name, std::string engine, std::string collation,
                        std::string row_format, std::map<std::string, int> columns = {}) {
  model::TableFacts t;
  t.name = std::move(name);
  t.engine = std::move(engine);
  t.collation = std::move(collation);
  t.row_format = std::move(row_format);
  t.data_length = 16384;
  t.index_length = 4096;
  t.column_collations = std::move(columns);
  return t;
}

/// A host managing none of charset, collation, engine and row format.
model::Host bare_host() {
  model::Host host;
  host.vhostname = "https://a.example.org";
  host.charset.reset();
  host.collation.reset();
  host.engine.reset();
  host.row_format.reset();
  return host;
}

model::Host target_host() {
  model::Host host = bare_host();
  host.charset = "utf8mb4";
  host.collation = "utf8mb4_unicode_ci";
  host.engine = "InnoDB";
  host.row_format = "Dynamic";
  return host;
}

model::DatabaseFacts database(std::vector<model::TableFacts> tables,
                              std::string collation = "utf8mb4_unicode_ci") {
  model::DatabaseFacts db;
  db.exists = true;
  db.charset = collation.substr(0, collation.find('_'));
  db.collation = std::move(collation);
  db.tables = std::move(tables);
  return db;
}

TEST(CollationAtTarget, ExactCanonicalOrAnyOfTheCharset) {
  MigrationTarget exact{"utf8mb4", "utf8mb4_unicode_ci", "", ""};
  EXPECT_TRUE(collation_at_target(exact, "utf8mb4_unicode_ci"));
  EXPECT_TRUE(collation_at_target(exact, "UTF8MB4_Unicode_CI"));
  EXPECT_FALSE(collation_at_target(exact, "utf8mb4_general_ci"));
  MigrationTarget charset_only{"utf8", "", "", ""};
  EXPECT_TRUE(collation_at_target(charset_only, "utf8mb3_general_ci"));
  EXPECT_FALSE(collation_at_target(charset_only, "utf8mb4_general_ci"));
  EXPECT_FALSE(collation_at_target(charset_only, ""));
}

TEST(MigrationFor, NothingManagedMeansNoMigration) {
  model::Host host = bare_host();
  auto db = database({table("mdl_a", "MyISAM", "latin1_swedish_ci", "")}, "latin1_swedish_ci");
  EXPECT_FALSE(migration_for(host, db));
}

TEST(MigrationFor, MissingDatabaseMeansNoMigration) {
  model::DatabaseFacts db;
  EXPECT_FALSE(migration_for(target_host(), db));
}

TEST(MigrationFor, AtTargetIsNoMigrationWhateverTheSpelling) {
  auto host = target_host();
  host.engine = "innodb";
  host.row_format = "DYNAMIC";
  auto db = database(
      {table("mdl_a", "InnoDB", "utf8mb4_unicode_ci", "Dynamic", {{"utf8mb4_unicode_ci", 3}})});
  EXPECT_FALSE(migration_for(host, db));
}

TEST(MigrationFor, Utf8AndUtf8mb3AreOneCharset) {
  model::Host host = bare_host();
  host.charset = "utf8";
  host.collation = "utf8_unicode_ci";
  auto db = database(
      {table("mdl_a", "InnoDB", "utf8mb3_unicode_ci", "Compact", {{"utf8mb3_unicode_ci", 2}})},
      "utf8mb3_unicode_ci");
  EXPECT_FALSE(migration_for(host, db));
}

TEST(MigrationFor, LegacyTableNeedsAllThreeInOneChange) {
  auto db =
      database({table("mdl_log", "MyISAM", "utf8mb3_unicode_ci", "", {{"utf8mb3_unicode_ci", 4}})},
               "utf8mb3_general_ci");
  db.charset = "utf8mb3";
  auto migration = migration_for(target_host(), db);
  ASSERT_TRUE(migration);
  ASSERT_EQ(migration->tables.size(), 1u);
  const auto& t = migration->tables[0];
  EXPECT_EQ(t.table, "mdl_log");
  EXPECT_EQ(t.engine_from, "MyISAM");
  EXPECT_EQ(t.engine_to, "InnoDB");
  EXPECT_EQ(t.collation_from, "utf8mb3_unicode_ci");
  EXPECT_EQ(t.collation_to, "utf8mb4_unicode_ci");
  EXPECT_EQ(t.row_format_from, "");
  EXPECT_EQ(t.row_format_to, "Dynamic");
  EXPECT_EQ(t.bytes, 16384u + 4096u);
  EXPECT_EQ(migration->charset_from, "utf8mb3");
  EXPECT_EQ(migration->charset_to, "utf8mb4");
  EXPECT_EQ(migration->collation_from, "utf8mb3_general_ci");
  EXPECT_EQ(migration->collation_to, "utf8mb4_unicode_ci");
}

TEST(MigrationFor, OnlyTheClausesATableNeeds) {
  auto db = database({
      table("mdl_ok", "InnoDB", "utf8mb4_unicode_ci", "Dynamic", {{"utf8mb4_unicode_ci", 1}}),
      table("mdl_rows", "InnoDB", "utf8mb4_unicode_ci", "Compact", {{"utf8mb4_unicode_ci", 1}}),
      table("mdl_engine", "Aria", "utf8mb4_unicode_ci", "", {{"utf8mb4_unicode_ci", 1}}),
  });
  auto migration = migration_for(target_host(), db);
  ASSERT_TRUE(migration);
  ASSERT_EQ(migration->tables.size(), 2u);
  EXPECT_EQ(migration->tables[0].table, "mdl_rows");
  EXPECT_EQ(migration->tables[0].engine_to, "");
  EXPECT_EQ(migration->tables[0].collation_to, "");
  EXPECT_EQ(migration->tables[0].row_format_from, "Compact");
  EXPECT_EQ(migration->tables[1].table, "mdl_engine");
  EXPECT_EQ(migration->tables[1].collation_to, "");
  EXPECT_EQ(migration->tables[1].engine_to, "InnoDB");
  EXPECT_EQ(migration->tables[1].row_format_to, "Dynamic");
  EXPECT_TRUE(migration->charset_to.empty());
  EXPECT_TRUE(migration->collation_to.empty());
}

TEST(MigrationFor, ColumnOffTargetUnderARightTableDefaultIsDrift) {
  auto db = database({table("mdl_a", "InnoDB", "utf8mb4_unicode_ci", "Dynamic",
                            {{"utf8mb4_unicode_ci", 5}, {"utf8mb3_general_ci", 2}})});
  auto migration = migration_for(target_host(), db);
  ASSERT_TRUE(migration);
  ASSERT_EQ(migration->tables.size(), 1u);
  EXPECT_EQ(migration->tables[0].collation_from, "utf8mb3_general_ci");
  EXPECT_EQ(migration->tables[0].collation_to, "utf8mb4_unicode_ci");
}

TEST(MigrationFor, RowFormatOfNonInnodbTablesThatStaySoIsLeftAlone) {
  model::Host host = bare_host();
  host.row_format = "Dynamic";
  auto db = database({table("mdl_a", "MyISAM", "utf8mb4_unicode_ci", ""),
                      table("mdl_b", "InnoDB", "utf8mb4_unicode_ci", ""),
                      table("mdl_c", "InnoDB", "utf8mb4_unicode_ci", "Redundant")});
  auto migration = migration_for(host, db);
  ASSERT_TRUE(migration);
  ASSERT_EQ(migration->tables.size(), 1u);
  EXPECT_EQ(migration->tables[0].table, "mdl_c");
  EXPECT_EQ(migration->tables[0].row_format_to, "Dynamic");
}

TEST(MigrationFor, CharsetOnlyComparesCharsets) {
  model::Host host = bare_host();
  host.charset = "utf8mb4";
  auto db =
      database({table("mdl_a", "InnoDB", "utf8mb4_general_ci", "Dynamic", {{"utf8mb4_bin", 1}}),
                table("mdl_b", "InnoDB", "utf8mb3_general_ci", "Dynamic")},
               "utf8mb4_general_ci");
  auto migration = migration_for(host, db);
  ASSERT_TRUE(migration);
  ASSERT_EQ(migration->tables.size(), 1u);
  EXPECT_EQ(migration->tables[0].table, "mdl_b");
  EXPECT_EQ(migration->tables[0].collation_to, "utf8mb4");
  EXPECT_TRUE(migration->collation_to.empty());
}

TEST(MigrationFor, CollationAloneImpliesItsCharset) {
  model::Host host = bare_host();
  host.collation = "utf8mb4_unicode_ci";
  EXPECT_EQ(migration_target(host).charset, "utf8mb4");
  auto db = database({}, "utf8mb3_unicode_ci");
  db.charset = "utf8mb3";
  auto migration = migration_for(host, db);
  ASSERT_TRUE(migration);
  EXPECT_TRUE(migration->tables.empty());
  EXPECT_EQ(migration->charset_to, "utf8mb4");
  EXPECT_EQ(migration->collation_to, "utf8mb4_unicode_ci");
}

TEST(MigrationSummary, CountsTablesPerMoveAndBytes) {
  std::vector<model::TableFacts> tables;
  for (int i = 0; i < 3; ++i) {
    tables.push_back(table("mdl_t" + std::to_string(i), "InnoDB", "utf8mb3_unicode_ci", "Dynamic"));
  }
  tables.push_back(table("mdl_m", "MyISAM", "utf8mb3_unicode_ci", ""));
  tables.push_back(table("mdl_c", "InnoDB", "utf8mb4_unicode_ci", "Compact"));
  auto db = database(tables, "utf8mb3_general_ci");
  db.charset = "utf8mb3";
  auto migration = migration_for(target_host(), db);
  ASSERT_TRUE(migration);
  EXPECT_EQ(migration_summary(*migration),
            "4 tables utf8mb3_unicode_ci → utf8mb4_unicode_ci, 1 table MyISAM → InnoDB, "
            "1 table (MyISAM) → Dynamic, 1 table Compact → Dynamic; database default "
            "utf8mb3_general_ci → utf8mb4_unicode_ci; 100.0 KB to rewrite in 5 tables");
}

TEST(MigrationSummary, DatabaseDefaultOnly) {
  plan::Migration migration;
  migration.charset_from = "latin1";
  migration.charset_to = "utf8mb4";
  EXPECT_EQ(migration_summary(migration), "database default latin1 → utf8mb4");
}

TEST(HumanBytes, UsesPowersOf1024) {
  EXPECT_EQ(human_bytes(512), "512 B");
  EXPECT_EQ(human_bytes(1536), "1.5 KB");
  EXPECT_EQ(human_bytes(3ull * 1024 * 1024 * 1024), "3.0 GB");
}

} // namespace
} // namespace vmoodle::diff
