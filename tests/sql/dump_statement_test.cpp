#include "vmoodle/sql/dump_statement.hpp"

#include <gtest/gtest.h>

namespace vmoodle::sql {
namespace {

using K = DumpStatementKind;

void expect(std::string_view statement, K kind, const std::string& table = {}) {
  const DumpStatement got = classify_dump_statement(statement);
  EXPECT_EQ(got.kind, kind) << statement;
  EXPECT_EQ(got.table, table) << statement;
}

TEST(ClassifyDumpStatement, SessionSetsInAndOutOfExecutableComments) {
  expect("/*!40101 SET NAMES utf8mb4 */", K::session_set);
  expect("/*!40014 SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0 */", K::session_set);
  expect("/*M!100616 SET @OLD_NOTE_VERBOSITY=@@NOTE_VERBOSITY, NOTE_VERBOSITY=0 */",
         K::session_set);
  expect("SET character_set_client = utf8mb4", K::session_set);
  expect("set time_zone='+00:00'", K::session_set);
  expect("SETTINGS", K::other);
}

TEST(ClassifyDumpStatement, TableStatementsNameTheirTable) {
  expect("DROP TABLE IF EXISTS `mdl_config`", K::drop_table, "mdl_config");
  expect("drop table mdl_config", K::drop_table, "mdl_config");
  expect("CREATE TABLE `mdl_a``b` (\n `id` bigint)", K::create_table, "mdl_a`b");
  expect("CREATE OR REPLACE TABLE IF NOT EXISTS `t` (x int)", K::create_table, "t");
  expect("INSERT INTO `mdl_user` VALUES (1,'a'),(2,'b')", K::insert, "mdl_user");
  expect("INSERT IGNORE INTO `t` (`a`) VALUES (1)", K::insert, "t");
  expect("REPLACE INTO t VALUES (1)", K::insert, "t");
  expect("/*!40000 ALTER TABLE `mdl_user` DISABLE KEYS */", K::keys, "mdl_user");
  expect("/*!40000 ALTER TABLE `mdl_user` ENABLE KEYS */", K::keys, "mdl_user");
  expect("LOCK TABLES `mdl_user` WRITE", K::lock_tables);
  expect("UNLOCK TABLES", K::lock_tables);
}

TEST(ClassifyDumpStatement, ADropSaysWhetherItMayFindNoTable) {
  EXPECT_TRUE(classify_dump_statement("/*!40000 DROP TABLE IF EXISTS `t` */").if_exists);
  EXPECT_TRUE(classify_dump_statement("drop table if exists t").if_exists);
  EXPECT_FALSE(classify_dump_statement("DROP TABLE `t`").if_exists);
  EXPECT_EQ(classify_dump_statement("DROP TABLE IF `t`").kind, K::other);
}

TEST(ClassifyDumpStatement, AnythingThatCouldTouchAnotherTableIsOther) {
  expect("DROP TABLE IF EXISTS `a`, `b`", K::other);
  expect("CREATE TEMPORARY TABLE t (x int)", K::other);
  expect("INSERT INTO `otherdb`.`t` VALUES (1)", K::other);
  expect("ALTER TABLE `t` ADD KEY (x)", K::other);
  expect("/*!50001 CREATE ALGORITHM=UNDEFINED VIEW `v` AS select 1 */", K::other);
  expect("/*!50001 DROP VIEW IF EXISTS `v`*/", K::other);
  expect("CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW SET NEW.x = 1", K::other);
  expect("/*!40101 SET a=1 */ /*!40101 SET b=2 */", K::other);
  expect("INSERT INTO", K::other);
}

} // namespace
} // namespace vmoodle::sql
