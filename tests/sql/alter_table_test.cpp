#include "vmoodle/sql/alter_table.hpp"

#include <gtest/gtest.h>

namespace vmoodle::sql {
namespace {

TEST(CanonicalNames, Utf8IsUtf8mb3AndCaseDoesNotMatter) {
  EXPECT_EQ(canonical_charset("UTF8"), "utf8mb3");
  EXPECT_EQ(canonical_charset("utf8mb4"), "utf8mb4");
  EXPECT_EQ(canonical_collation("utf8_unicode_ci"), "utf8mb3_unicode_ci");
  EXPECT_EQ(canonical_collation("UTF8MB3_Unicode_CI"), "utf8mb3_unicode_ci");
  EXPECT_EQ(canonical_collation("utf8mb4_unicode_ci"), "utf8mb4_unicode_ci");
  EXPECT_EQ(canonical_row_format("DYNAMIC"), "Dynamic");
  EXPECT_EQ(canonical_row_format("compressed"), "Compressed");
  EXPECT_EQ(canonical_row_format("Page"), "Page");
}

TEST(CanonicalNames, CharsetOfCollationIsTheTextBeforeTheFirstUnderscore) {
  EXPECT_EQ(charset_of("utf8mb4_0900_ai_ci"), "utf8mb4");
  EXPECT_EQ(charset_of("utf8_general_ci"), "utf8mb3");
  EXPECT_EQ(charset_of("latin1_swedish_ci"), "latin1");
  EXPECT_EQ(charset_of("utf8mb4"), "utf8mb4");
}

TEST(CanonicalNames, CaseInsensitiveEqualityAndInnodb) {
  EXPECT_TRUE(iequals("InnoDB", "INNODB"));
  EXPECT_TRUE(iequals("", ""));
  EXPECT_FALSE(iequals("InnoDB", "InnoDB2"));
  EXPECT_FALSE(iequals("Dynamic", "Compact"));
  EXPECT_TRUE(is_innodb("innodb"));
  EXPECT_FALSE(is_innodb("MyISAM"));
}

TEST(CanonicalNames, BytesPerCharacter) {
  EXPECT_EQ(max_bytes_per_char("utf8mb4"), 4);
  EXPECT_EQ(max_bytes_per_char("utf8"), 3);
  EXPECT_EQ(max_bytes_per_char("ucs2"), 2);
  EXPECT_EQ(max_bytes_per_char("latin1"), 1);
}

TEST(AlterTableSql, CarriesAllThreeClausesInOneStatement) {
  auto sql =
      alter_table_sql({"vmdl_a", "mdl_log", "InnoDB", "Dynamic", "utf8mb4", "utf8mb4_unicode_ci"});
  ASSERT_TRUE(sql) << sql.error().render();
  EXPECT_EQ(*sql, "ALTER TABLE `vmdl_a`.`mdl_log` ENGINE=InnoDB, ROW_FORMAT=DYNAMIC, CONVERT TO "
                  "CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
}

TEST(AlterTableSql, CarriesOnlyTheClausesSet) {
  EXPECT_EQ(*alter_table_sql({"d", "t", "", "Compressed", "", ""}),
            "ALTER TABLE `d`.`t` ROW_FORMAT=COMPRESSED");
  EXPECT_EQ(*alter_table_sql({"d", "t", "MyISAM", "", "", ""}),
            "ALTER TABLE `d`.`t` ENGINE=MyISAM");
  EXPECT_EQ(*alter_table_sql({"d", "t", "", "", "utf8mb4", ""}),
            "ALTER TABLE `d`.`t` CONVERT TO CHARACTER SET utf8mb4");
  EXPECT_EQ(*alter_table_sql({"d", "t", "InnoDB", "Default", "", ""}),
            "ALTER TABLE `d`.`t` ENGINE=InnoDB, ROW_FORMAT=DEFAULT");
}

TEST(AlterTableSql, RefusesNothingToDoAndHostileNames) {
  EXPECT_FALSE(alter_table_sql({"d", "t", "", "", "", ""}));
  EXPECT_FALSE(alter_table_sql({"d", "t`; DROP TABLE x; --", "InnoDB", "", "", ""}));
  EXPECT_FALSE(alter_table_sql({"d", "t", "InnoDB; DROP DATABASE d", "", "", ""}));
  EXPECT_FALSE(alter_table_sql({"d", "t", "", "Dynamic; DROP", "", ""}));
  EXPECT_FALSE(alter_table_sql({"d", "t", "", "", "utf8mb4", "x COLLATE y"}));
  EXPECT_FALSE(alter_table_sql({"d", "t", "", "", "", "utf8mb4_bin"}));
}

TEST(AlterDatabaseSql, SetsCharsetAndOptionalCollation) {
  EXPECT_EQ(*alter_database_sql("vmdl_a", "utf8mb4", "utf8mb4_unicode_ci"),
            "ALTER DATABASE `vmdl_a` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
  EXPECT_EQ(*alter_database_sql("vmdl_a", "utf8mb4", ""),
            "ALTER DATABASE `vmdl_a` CHARACTER SET utf8mb4");
  EXPECT_FALSE(alter_database_sql("vmdl_a", "", ""));
  EXPECT_FALSE(alter_database_sql("vmdl_a'", "utf8mb4", ""));
}

} // namespace
} // namespace vmoodle::sql
