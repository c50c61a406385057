#include "vmoodle/apply/migration_preflight.hpp"

#include <gtest/gtest.h>

namespace vmoodle::apply {
namespace {

ServerSettings mariadb(std::string version = "10.11.6-MariaDB-0+deb12u1") {
  ServerSettings settings;
  settings.version = std::move(version);
  settings.variables = {{"innodb_file_per_table", "ON"},
                        {"innodb_read_only_compressed", "OFF"},
                        {"innodb_page_size", "16384"},
                        {"innodb_default_row_format", "dynamic"}};
  settings.engines = {"innodb", "myisam", "aria", "memory"};
  return settings;
}

/// `mdl_config` of a legacy site: utf8mb3, a unique index on a VARCHAR(255).
TableSchema legacy_config(std::string engine = "InnoDB", std::string row_format = "Compact") {
  TableSchema t;
  t.facts.name = "mdl_config";
  t.facts.engine = std::move(engine);
  t.facts.collation = "utf8mb3_unicode_ci";
  t.facts.row_format = std::move(row_format);
  t.columns = {{"id", "bigint", 0, ""},
               {"name", "varchar", 255, "utf8mb3_unicode_ci"},
               {"value", "longtext", 4294967295u, "utf8mb3_unicode_ci"}};
  t.index_parts = {{"PRIMARY", "id", "BTREE", 0},
                   {"mdl_conf_nam_uix", "name", "BTREE", 0},
                   {"mdl_conf_val_ft", "value", "FULLTEXT", 0}};
  return t;
}

TableSchema wide_table(const std::string& name, int text_columns) {
  TableSchema t;
  t.facts.name = name;
  t.facts.engine = "InnoDB";
  t.facts.collation = "utf8mb4_unicode_ci";
  t.facts.row_format = "Dynamic";
  t.columns.push_back({"id", "bigint", 0, ""});
  for (int i = 0; i < text_columns; ++i) {
    t.columns.push_back({"c" + std::to_string(i), "longtext", 4294967295u, "utf8mb4_unicode_ci"});
  }
  return t;
}

std::vector<TableWork> work_for(const diff::MigrationTarget& target,
                                std::vector<TableSchema> tables) {
  return tables_to_migrate(target, tables);
}

diff::MigrationTarget utf8mb4(std::string row_format = "Dynamic", std::string engine = "InnoDB") {
  return {"utf8mb4", "utf8mb4_unicode_ci", std::move(engine), std::move(row_format)};
}

TEST(Preflight, LegacyToDynamicUtf8mb4PassesEveryCheck) {
  auto work = work_for(utf8mb4(), {legacy_config("MyISAM", ""), legacy_config()});
  ASSERT_EQ(work.size(), 2u);
  EXPECT_TRUE(preflight(mariadb(), work).empty());
}

TEST(Preflight, Utf8mb4WithCompactRowsHitsTheIndexPrefixLimit) {
  auto work = work_for(utf8mb4("Compact"), {legacy_config()});
  auto refusals = preflight(mariadb(), work);
  ASSERT_EQ(refusals.size(), 1u);
  EXPECT_EQ(refusals[0].tables, std::vector<std::string>{"mdl_config"});
  EXPECT_EQ(refusals[0].reason,
            "index `mdl_conf_nam_uix` would take 1020 bytes for column `name` (255 characters "
            "of utf8mb4), over the 767-byte key prefix limit of Compact rows (ERROR 1709)");
  EXPECT_NE(refusals[0].hint.find("row_format: Dynamic"), std::string::npos);
}

TEST(Preflight, Utf8mb4CompactIndexPrefixCountsWhenTheRowFormatIsUnmanaged) {
  auto work = work_for({"utf8mb4", "utf8mb4_unicode_ci", "", ""}, {legacy_config()});
  EXPECT_EQ(preflight(mariadb(), work).size(), 1u);
  // A 191-character prefix fits: 764 bytes.
  auto table = legacy_config();
  table.index_parts[1].sub_part = 191;
  work = work_for({"utf8mb4", "utf8mb4_unicode_ci", "", ""}, {table});
  EXPECT_TRUE(preflight(mariadb(), work).empty());
}

TEST(Preflight, MyisamBecomingInnodbTakesTheServerDefaultRowFormat) {
  auto settings = mariadb();
  settings.variables["innodb_default_row_format"] = "compact";
  auto work =
      work_for({"utf8mb4", "utf8mb4_unicode_ci", "InnoDB", ""}, {legacy_config("MyISAM", "")});
  EXPECT_EQ(preflight(settings, work).size(), 1u);
  settings.variables["innodb_default_row_format"] = "dynamic";
  EXPECT_TRUE(preflight(settings, work).empty());
}

TEST(Preflight, RowSizeEstimateOverAntelopeLimitIsRefusedForCompactOnly) {
  // 1000 + 8 + 10 × 768 = 8688 > 8126.
  EXPECT_EQ(moodle_row_size_estimate(wide_table("w", 10).columns), 8688u);
  auto refusals = preflight(mariadb(), work_for(utf8mb4("Compact"), {wide_table("mdl_wide", 10)}));
  ASSERT_EQ(refusals.size(), 1u);
  EXPECT_EQ(refusals[0].tables, std::vector<std::string>{"mdl_wide"});
  EXPECT_NE(refusals[0].reason.find("8688 bytes, over the 8126 bytes a Compact row holds"),
            std::string::npos)
      << refusals[0].reason;
  EXPECT_TRUE(
      preflight(mariadb(), work_for(utf8mb4("Compact"), {wide_table("mdl_narrow", 9)})).empty());
}

TEST(Preflight, MoodleEstimateCountsCharColumnsThreeBytesCappedAt768) {
  std::vector<ColumnFacts> columns = {{"id", "bigint", 0, ""},
                                      {"a", "varchar", 100, "utf8mb4_bin"},
                                      {"b", "varchar", 1333, "utf8mb4_bin"},
                                      {"c", "mediumblob", 0, ""}};
  EXPECT_EQ(moodle_row_size_estimate(columns), 1000u + 8 + 300 + 768 + 768);
  EXPECT_EQ(moodle_row_size_estimate({{"id", "bigint", 0, ""}}), 8u);
}

TEST(Preflight, CompressedNeedsFilePerTable) {
  auto settings = mariadb();
  settings.variables["innodb_file_per_table"] = "OFF";
  auto refusals = preflight(
      settings, work_for(utf8mb4("Compressed"), {legacy_config(), wide_table("mdl_b", 1)}));
  ASSERT_EQ(refusals.size(), 1u);
  EXPECT_EQ(refusals[0].tables, (std::vector<std::string>{"mdl_config", "mdl_b"}));
  EXPECT_NE(refusals[0].reason.find("innodb_file_per_table=ON"), std::string::npos);
}

TEST(Preflight, CompressedIsRefusedOnMariadb1060To1065) {
  for (const char* version : {"10.6.0-MariaDB", "10.6.4-MariaDB-1:10.6.4+maria~focal"}) {
    auto refusals = preflight(mariadb(version), work_for(utf8mb4("Compressed"), {legacy_config()}));
    ASSERT_EQ(refusals.size(), 1u) << version;
    EXPECT_NE(refusals[0].reason.find("read-only (10.6.0 to 10.6.5, MDL-72131)"),
              std::string::npos);
    EXPECT_NE(refusals[0].hint.find("10.6.6 or later"), std::string::npos);
  }
  for (const char* version : {"10.6.7-MariaDB", "10.5.4-MariaDB", "10.11.6-MariaDB"}) {
    EXPECT_TRUE(
        preflight(mariadb(version), work_for(utf8mb4("Compressed"), {legacy_config()})).empty())
        << version;
  }
}

TEST(Preflight, CompressedIsRefusedWhileReadOnlyCompressedIsOn) {
  auto settings = mariadb();
  settings.variables["innodb_read_only_compressed"] = "ON";
  auto refusals = preflight(settings, work_for(utf8mb4("Compressed"), {legacy_config()}));
  ASSERT_EQ(refusals.size(), 1u);
  EXPECT_NE(refusals[0].reason.find("innodb_read_only_compressed=ON"), std::string::npos);
}

TEST(Preflight, TargetEngineMustBeAvailable) {
  auto settings = mariadb("8.0.36");
  settings.engines = {"innodb", "myisam"};
  auto refusals = preflight(settings, work_for(utf8mb4("", "Aria"), {legacy_config()}));
  ASSERT_EQ(refusals.size(), 1u);
  EXPECT_EQ(refusals[0].reason, "engine Aria is not available on this server");
  EXPECT_EQ(refusals[0].tables, std::vector<std::string>{"mdl_config"});
}

TEST(Preflight, SmallerPagesLowerTheKeyLimit) {
  auto settings = mariadb();
  settings.variables["innodb_page_size"] = "4096";
  auto refusals = preflight(settings, work_for(utf8mb4(), {legacy_config()}));
  ASSERT_FALSE(refusals.empty());
  EXPECT_NE(refusals[0].reason.find("768-byte"), std::string::npos) << refusals[0].reason;
}

TEST(Preflight, VersionNumbers) {
  EXPECT_EQ(version_numbers("10.6.4-MariaDB-log"), (std::vector<int>{10, 6, 4}));
  EXPECT_EQ(version_numbers("8.0.36"), (std::vector<int>{8, 0, 36}));
  EXPECT_EQ(version_numbers("junk"), (std::vector<int>{0, 0, 0}));
}

TEST(AlterFor, MyisamWithFixedRowsBecomingInnodbResetsTheRowFormat) {
  auto table = legacy_config("MyISAM", "");
  table.create_options = "row_format=FIXED";
  auto work = work_for({"", "", "InnoDB", ""}, {table});
  ASSERT_EQ(work.size(), 1u);
  auto alter = alter_for("vmdl_a", {"", "", "InnoDB", ""}, work[0]);
  EXPECT_EQ(alter.row_format, "DEFAULT");
  EXPECT_EQ(alter.charset, "");
  table.create_options = "";
  work = work_for({"", "", "InnoDB", ""}, {table});
  EXPECT_EQ(alter_for("vmdl_a", {"", "", "InnoDB", ""}, work[0]).row_format, "");
}

TEST(AlterFor, ConvertsOnlyTablesWhoseCollationIsOff) {
  auto target = utf8mb4();
  auto table = legacy_config();
  table.facts.collation = "utf8mb4_unicode_ci";
  auto work = work_for(target, {table});
  ASSERT_EQ(work.size(), 1u);
  auto alter = alter_for("vmdl_a", target, work[0]);
  EXPECT_EQ(alter.charset, "");
  EXPECT_EQ(alter.row_format, "Dynamic");
  EXPECT_EQ(alter.engine, "");
}

} // namespace
} // namespace vmoodle::apply
