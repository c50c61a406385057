#include "vmoodle/sql/prefix_rewrite.hpp"

#include <string>

#include <gtest/gtest.h>

namespace vmoodle::sql {
namespace {

TEST(RewritePrefix, RenamesTablesAndIndexes) {
  EXPECT_EQ(rewrite_prefix("CREATE TABLE `mdl_config` (\n  `id` bigint NOT NULL,\n"
                           "  UNIQUE KEY `mdl_conf_nam_uix` (`name`)\n)",
                           "mdl_", "x_"),
            "CREATE TABLE `x_config` (\n  `id` bigint NOT NULL,\n"
            "  UNIQUE KEY `x_conf_nam_uix` (`name`)\n)");
  EXPECT_EQ(rewrite_prefix("DROP TABLE IF EXISTS `mdl_course`", "mdl_", "vm1_"),
            "DROP TABLE IF EXISTS `vm1_course`");
}

TEST(RewritePrefix, NeverTouchesData) {
  const std::string statement =
      "INSERT INTO `mdl_config` VALUES (1,'mdl_course is a table','`mdl_x`'),"
      "(2,\"mdl_user \\\" `mdl_y`\",'it\\'s `mdl_z`'),(3,'o''`mdl_w`','\\\\'),(4,mdl_bare,'')";
  EXPECT_EQ(
      rewrite_prefix(statement, "mdl_", "x_"),
      "INSERT INTO `x_config` VALUES (1,'mdl_course is a table','`mdl_x`'),"
      "(2,\"mdl_user \\\" `mdl_y`\",'it\\'s `mdl_z`'),(3,'o''`mdl_w`','\\\\'),(4,mdl_bare,'')");
}

TEST(RewritePrefix, RewritesInsideExecutableCommentsOnly) {
  EXPECT_EQ(rewrite_prefix("/*!40000 ALTER TABLE `mdl_x` DISABLE KEYS */", "mdl_", "x_"),
            "/*!40000 ALTER TABLE `x_x` DISABLE KEYS */");
  EXPECT_EQ(rewrite_prefix("/*M!100000 SELECT `mdl_a` */ /*+ `mdl_b` */", "mdl_", "x_"),
            "/*M!100000 SELECT `x_a` */ /*+ `x_b` */");
  EXPECT_EQ(
      rewrite_prefix("SELECT 1 /* `mdl_a` */ -- `mdl_b`\n# `mdl_c`\nFROM `mdl_d`", "mdl_", "x_"),
      "SELECT 1 /* `mdl_a` */ -- `mdl_b`\n# `mdl_c`\nFROM `x_d`");
}

TEST(RewritePrefix, LeavesOtherIdentifiersAlone) {
  EXPECT_EQ(rewrite_prefix("SELECT `id`, `xmdl_a`, `mdl` FROM `mdl_a`", "mdl_", "x_"),
            "SELECT `id`, `xmdl_a`, `mdl` FROM `x_a`");
  EXPECT_EQ(rewrite_prefix("DEFINER=`root`@`localhost`", "mdl_", "x_"),
            "DEFINER=`root`@`localhost`");
}

TEST(RewritePrefix, HandlesDoubledBackquotes) {
  EXPECT_EQ(rewrite_prefix("SELECT `mdl_a``b`, `c``mdl_d`", "mdl_", "x`_"),
            "SELECT `x``_a``b`, `c``mdl_d`");
}

TEST(RewritePrefix, SameOrEmptyPrefixChangesNothing) {
  const std::string statement = "SELECT `mdl_a` FROM `mdl_b`";
  EXPECT_EQ(rewrite_prefix(statement, "mdl_", "mdl_"), statement);
  EXPECT_EQ(rewrite_prefix(statement, "", "x_"), statement);
}

TEST(RewritePrefix, UnterminatedPartsAreCopiedUnchanged) {
  EXPECT_EQ(rewrite_prefix("SELECT `mdl_a`, 'open `mdl_b`", "mdl_", "x_"),
            "SELECT `x_a`, 'open `mdl_b`");
  EXPECT_EQ(rewrite_prefix("SELECT `mdl_a`, `mdl_open", "mdl_", "x_"), "SELECT `x_a`, `mdl_open");
}

TEST(CreatedTable, FindsTheTableName) {
  EXPECT_EQ(created_table("CREATE TABLE `mdl_config` (\n `id` int)"), "mdl_config");
  EXPECT_EQ(created_table("  create table if not exists `a``b` (x int)"), "a`b");
  EXPECT_EQ(created_table("-- c\n/* c */ CREATE\nTABLE\tIF NOT EXISTS mdl_x(id int)"), "mdl_x");
  EXPECT_EQ(created_table("CREATE OR REPLACE TABLE `t` LIKE `u`"), "t");
}

TEST(CreatedTable, IgnoresEverythingElse) {
  EXPECT_EQ(created_table("DROP TABLE IF EXISTS `mdl_config`"), std::nullopt);
  EXPECT_EQ(created_table("CREATE TEMPORARY TABLE `t` (x int)"), std::nullopt);
  EXPECT_EQ(created_table("CREATE TABLES `t`"), std::nullopt);
  EXPECT_EQ(created_table("CREATETABLE `t`"), std::nullopt);
  EXPECT_EQ(created_table("CREATE TABLE `db`.`t` (x int)"), std::nullopt);
  EXPECT_EQ(created_table("CREATE TABLE IF EXISTS `t`"), std::nullopt);
  EXPECT_EQ(created_table("/*!40101 CREATE TABLE `t` (x int) */"), std::nullopt);
  EXPECT_EQ(created_table("CREATE VIEW `v` AS SELECT 1"), std::nullopt);
  EXPECT_EQ(created_table("INSERT INTO `t` VALUES ('CREATE TABLE `x`')"), std::nullopt);
  EXPECT_EQ(created_table("CREATE TABLE"), std::nullopt);
  EXPECT_EQ(created_table("CREATE TABLE `open"), std::nullopt);
}

} // namespace
} // namespace vmoodle::sql
